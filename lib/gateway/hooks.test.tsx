// @vitest-environment happy-dom
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";

import { parseCount as n, parseDollars as $ } from "@/lib/fixed-point";
import { GatewayProvider, useBook, useTopOfBook } from "@/lib/gateway/hooks";
import { MemoryGateway } from "@/lib/gateway/testing/memory-gateway";

/**
 * The top-of-book hook re-renders its component only when the best bid, the
 * best ask or the stream status moves: a trading screen reading the top does
 * not redraw for every delta deeper in a busy book (the ladder reads those).
 */
function setup() {
  const gateway = new MemoryGateway();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <GatewayProvider client={gateway}>{children}</GatewayProvider>
  );
  return { gateway, wrapper };
}

const book = (bidSize: string, bestBid = "0.50") => ({
  bids: [
    [$(bestBid), n("3")],
    [$("0.49"), n(bidSize)],
  ] as const satisfies readonly (readonly [number, number])[],
  asks: [[$("0.53"), n("4")]] as const satisfies readonly (readonly [number, number])[],
});

describe("useTopOfBook", () => {
  it("re-renders for a new best price, not for a size change behind it", () => {
    const { gateway, wrapper } = setup();
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders += 1;
        return useTopOfBook("MKT");
      },
      { wrapper },
    );
    expect(result.current).toEqual({ status: "loading", bestBid: null, bestAsk: null });

    act(() =>
      gateway.publishBook("MKT", { bids: [...book("10").bids], asks: [...book("10").asks] }),
    );
    expect(result.current).toEqual({ status: "live", bestBid: $("0.50"), bestAsk: $("0.53") });
    const afterFirst = renders;
    const first = result.current;

    // Deeper level changes, three times: same top, no render, same object.
    for (const size of ["11", "12", "13"])
      act(() =>
        gateway.publishBook("MKT", { bids: [...book(size).bids], asks: [...book(size).asks] }),
      );
    expect(renders).toBe(afterFirst);
    expect(result.current).toBe(first);

    // The best bid moves: one render with the new top.
    const moved = book("13", "0.51");
    act(() => gateway.publishBook("MKT", { bids: [...moved.bids], asks: [...moved.asks] }));
    expect(renders).toBe(afterFirst + 1);
    expect(result.current.bestBid).toBe($("0.51"));
  });

  it("reports a book that empties on one side as null there", () => {
    const { gateway, wrapper } = setup();
    const { result } = renderHook(() => useTopOfBook("MKT"), { wrapper });
    act(() => gateway.publishBook("MKT", { bids: [], asks: [[$("0.53"), n("4")]] }));
    expect(result.current).toEqual({ status: "live", bestBid: null, bestAsk: $("0.53") });
  });

  it("follows a change of market", () => {
    const { gateway, wrapper } = setup();
    act(() => gateway.publishBook("A", { bids: [[$("0.20"), n("1")]], asks: [] }));
    act(() => gateway.publishBook("B", { bids: [[$("0.70"), n("1")]], asks: [] }));
    const { result, rerender } = renderHook(({ ticker }) => useTopOfBook(ticker), {
      wrapper,
      initialProps: { ticker: "A" },
    });
    expect(result.current.bestBid).toBe($("0.20"));
    rerender({ ticker: "B" });
    expect(result.current.bestBid).toBe($("0.70"));
    expect(gateway.subscribed).toEqual(["book:A", "book:B"]);
  });
});

describe("useBook", () => {
  it("re-renders for every published book (what the ladder needs)", () => {
    const { gateway, wrapper } = setup();
    let renders = 0;
    renderHook(
      () => {
        renders += 1;
        return useBook("MKT");
      },
      { wrapper },
    );
    const start = renders;
    for (const size of ["11", "12"])
      act(() =>
        gateway.publishBook("MKT", { bids: [...book(size).bids], asks: [...book(size).asks] }),
      );
    expect(renders).toBe(start + 2);
  });
});
