// @vitest-environment happy-dom
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";

import { parseCount as n, parseDollars as $ } from "@/lib/fixed-point";
import {
  GatewayProvider,
  useBook,
  useBookReader,
  useThrottledTopOfBook,
  useTopicListener,
  useTopicSelector,
  useTopicStatus,
} from "@/lib/gateway/hooks";
import { topOf } from "@/lib/gateway/order-book";
import type { TopicState } from "@/lib/gateway/topic-state";
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

// The top of a book as a selector: what a component that needs only the top reads.
const selectTop = (state: TopicState) => ({ status: state.status, ...topOf(state.book) });
const sameTop = (a: ReturnType<typeof selectTop>, b: ReturnType<typeof selectTop>) =>
  a.status === b.status && a.bestBid === b.bestBid && a.bestAsk === b.bestAsk;
const useTopOfBook = (ticker: string) => useTopicSelector(`book:${ticker}`, selectTop, sameTop);

describe("useTopicSelector (the top of a book)", () => {
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

describe("useTopicListener and useTopicStatus", () => {
  it("hand every published book to the listener without a render, and render for status changes only", () => {
    const { gateway, wrapper } = setup();
    const seen: Array<number | undefined> = [];
    const onState = (state: TopicState) => seen.push(state.book?.bids[0]?.[1]);
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders += 1;
        useTopicListener("book:MKT", onState);
        return useTopicStatus("book:MKT");
      },
      { wrapper },
    );
    expect(result.current).toBe("loading");
    expect(seen).toEqual([undefined]); // the state at subscription
    const start = renders;
    act(() => gateway.publishBook("MKT", { bids: [[$("0.50"), n("3")]], asks: [] }));
    expect(result.current).toBe("live");
    expect(renders).toBe(start + 1); // loading → live
    for (const size of ["4", "5", "6"])
      act(() => gateway.publishBook("MKT", { bids: [[$("0.50"), n(size)]], asks: [] }));
    expect(renders).toBe(start + 1);
    expect(seen).toEqual([undefined, n("3"), n("4"), n("5"), n("6")]);
  });
});

describe("useThrottledTopOfBook and useBookReader", () => {
  const top = (bid: string) => ({ bids: [[$(bid), n("1")] as const], asks: [] });

  it("shows the first move at once and later moves within the interval together at its end", async () => {
    const { gateway, wrapper } = setup();
    act(() => gateway.publishBook("MKT", top("0.40")));
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders += 1;
        return useThrottledTopOfBook("MKT", 80);
      },
      { wrapper },
    );
    expect(result.current.bestBid).toBe($("0.40"));
    await act(async () => {
      await Promise.resolve();
    });
    const start = renders;
    // Five moves in a burst: one render now (the first), one at the end of the window (the last).
    act(() => gateway.publishBook("MKT", top("0.41")));
    expect(result.current.bestBid).toBe($("0.41"));
    for (const bid of ["0.42", "0.43", "0.44", "0.45"])
      act(() => gateway.publishBook("MKT", top(bid)));
    expect(result.current.bestBid).toBe($("0.41"));
    await waitFor(() => expect(result.current.bestBid).toBe($("0.45")));
    expect(renders).toBe(start + 2);
    // A delta that leaves the top alone renders nothing.
    act(() =>
      gateway.publishBook("MKT", {
        bids: [
          [$("0.45"), n("1")],
          [$("0.30"), n("9")],
        ],
        asks: [],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(renders).toBe(start + 2);
  });

  it("reads the latest book at the moment of asking, without rendering", () => {
    const { gateway, wrapper } = setup();
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders += 1;
        return useBookReader("MKT");
      },
      { wrapper },
    );
    const read = result.current;
    expect(read()).toBeNull();
    act(() => gateway.publishBook("MKT", top("0.52")));
    act(() => gateway.publishBook("MKT", top("0.53")));
    expect(read()?.bids[0]?.[0]).toBe($("0.53"));
    expect(renders).toBe(1);
  });
});
