// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { useFlatten, type UseFlattenInput } from "@/components/trading/use-flatten";
import { useOrderActions } from "@/components/trading/use-order-actions";
import { tradeFee } from "@/lib/fees";
import { parseCount as n, parseDollars as $ } from "@/lib/fixed-point";
import type { Level } from "@/lib/gateway/order-book";
import type { CreateOrderBody } from "@/lib/schemas/order";

/**
 * The one flatten (trading screen and portfolio): the plan it prepares, the
 * order it sends through the one order path (useOrderActions), and what it
 * does with an answer. The network is the one part replaced: each test
 * answers POST /api/orders itself and records what was sent.
 */
function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { mutations: { retryDelay: 0 } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

const book: { bids: Level[]; asks: Level[] } = {
  bids: [
    [$("0.50"), n("3")],
    [$("0.49"), n("10")],
  ],
  asks: [
    [$("0.53"), n("4")],
    [$("0.55"), n("10")],
  ],
};

const placed = (body: CreateOrderBody, fill = body.count) =>
  new Response(
    JSON.stringify({
      order_id: "o1",
      client_order_id: body.client_order_id,
      fill_count: fill,
      remaining_count: "0.00",
      ts_ms: 1,
      deduplicated: false,
    }),
    { status: 201, headers: { "content-type": "application/json" } },
  );

/** Records every POST /api/orders body; `answer` decides the response (or throws for a lost send). */
function stubOrders(answer: (body: CreateOrderBody, call: number) => Response | Promise<Response>) {
  const sent: CreateOrderBody[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      expect(url).toBe("/api/orders");
      const body = JSON.parse(String(init.body)) as CreateOrderBody;
      sent.push(body);
      return answer(body, sent.length);
    }),
  );
  return sent;
}

function renderFlatten(input: Partial<Omit<UseFlattenInput, "actions">> = {}) {
  return renderHook(
    () => {
      const actions = useOrderActions();
      return useFlatten({
        ticker: "KXTEST-1",
        side: "yes",
        held: n("5"),
        book,
        fees: { feeType: "quadratic", feeMultiplier: 1 },
        actions,
        ...input,
      });
    },
    { wrapper },
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("useFlatten", () => {
  it("previews a YES position and sends it as a reduce-only IOC ask at the worst level it needs", async () => {
    const sent = stubOrders((body) => placed(body));
    const { result } = renderFlatten({ subaccount: 3 });
    expect(result.current.state.step).toBe("idle");
    act(() => void result.current.prepare());
    const state = result.current.state;
    if (state.step !== "preview") throw new Error(`expected a preview, got ${state.step}`);
    expect(state.plan).toMatchObject({ side: "yes", count: n("5"), limitPrice: $("0.49") });
    expect(state.takerFee).toBe(
      tradeFee({
        price: $("0.49"),
        count: n("5"),
        feeType: "quadratic",
        feeMultiplier: 1,
        role: "taker",
      }),
    );
    // Nothing leaves before the trader confirms.
    expect(sent).toHaveLength(0);
    await act(() => result.current.confirm());
    expect(sent).toEqual([
      {
        ticker: "KXTEST-1",
        side: "ask",
        count: "5.00",
        price: "0.4900",
        time_in_force: "immediate_or_cancel",
        self_trade_prevention_type: "taker_at_cross",
        reduce_only: true,
        subaccount: 3,
        client_order_id: state.intent.clientOrderId,
      },
    ]);
    expect(result.current.state).toMatchObject({ step: "done", order: { fill_count: "5.00" } });
  });

  it("plans from the whole book read at the moment of asking when given only the top (the trading screen)", () => {
    stubOrders((body) => placed(body));
    // The top alone says someone bids; the depth that fills 5 contracts is in the full book.
    const top = { bids: [[$("0.50"), 1] as const], asks: [[$("0.53"), 1] as const] };
    let reads = 0;
    const { result } = renderFlatten({
      book: top,
      readBook: () => {
        reads += 1;
        return book;
      },
    });
    expect(result.current.plan).not.toBeNull();
    expect(reads).toBe(0);
    act(() => void result.current.prepare());
    expect(reads).toBe(1);
    const state = result.current.state;
    if (state.step !== "preview") throw new Error(`expected a preview, got ${state.step}`);
    // 3 at 50¢ and 2 at 49¢: the limit reaches the second level, as with the full book.
    expect(state.plan).toMatchObject({ count: n("5"), limitPrice: $("0.49"), fillable: n("5") });
  });

  it("sells a NO position into the YES asks: a YES bid at $1 − the NO limit, primary account", async () => {
    const sent = stubOrders((body) => placed(body));
    const { result } = renderFlatten({ side: "no", held: n("6") });
    act(() => void result.current.prepare());
    await act(() => result.current.confirm());
    // 4 NO at 0.47 (1 − 0.53), then 2 at 0.45 (1 − 0.55): the limit is 0.45 NO = 0.55 YES.
    expect(sent[0]).toMatchObject({
      side: "bid",
      price: "0.5500",
      count: "6.00",
      reduce_only: true,
      time_in_force: "immediate_or_cancel",
    });
    expect(sent[0]).not.toHaveProperty("subaccount");
  });

  it("sends a double confirm once", async () => {
    let release: () => void = () => {};
    const sent = stubOrders(async (body) => {
      await new Promise<void>((resolve) => (release = resolve));
      return placed(body);
    });
    const { result } = renderFlatten();
    act(() => void result.current.prepare());
    await act(async () => {
      const first = result.current.confirm();
      const second = result.current.confirm();
      await Promise.resolve();
      release();
      await Promise.all([first, second]);
    });
    expect(sent).toHaveLength(1);
    expect(result.current.state.step).toBe("done");
  });

  it("keeps the client_order_id after a lost answer and makes a new one after a refusal", async () => {
    let mode: "lost" | "refused" | "ok" = "lost";
    const sent = stubOrders((body) => {
      if (mode === "lost") throw new TypeError("network down");
      if (mode === "refused")
        return new Response(
          JSON.stringify({ error: { code: "INVALID_ORDER", message: "no position to reduce" } }),
          { status: 400 },
        );
      return placed(body);
    });
    const { result } = renderFlatten();
    act(() => void result.current.prepare());
    await act(() => result.current.confirm());
    const failed = result.current.state;
    if (failed.step !== "failed") throw new Error(`expected failed, got ${failed.step}`);
    expect(failed.problem.retryable).toBe(true);
    const lostId = failed.intent.clientOrderId;
    // useOrderActions retried the lost send itself: every try carried the one id.
    expect(new Set(sent.map((b) => b.client_order_id))).toEqual(new Set([lostId]));

    mode = "refused";
    await act(() => result.current.confirm());
    const refused = result.current.state;
    if (refused.step !== "failed") throw new Error(`expected failed, got ${refused.step}`);
    expect(sent.at(-1)?.client_order_id).toBe(lostId);
    expect(refused.problem.retryable).toBe(false);
    expect(refused.problem.message).toContain("no position to reduce");
    expect(refused.intent.clientOrderId).not.toBe(lostId);

    mode = "ok";
    await act(() => result.current.confirm());
    expect(sent.at(-1)?.client_order_id).toBe(refused.intent.clientOrderId);
    expect(result.current.state.step).toBe("done");
  });

  it("prepares nothing when flat or when nobody bids for the held side", () => {
    const sent = stubOrders((body) => placed(body));
    const flat = renderFlatten({ side: null, held: 0 });
    act(() => expect(flat.result.current.prepare()).toBeNull());
    expect(flat.result.current.state.step).toBe("idle");
    const noBids = renderFlatten({ book: { bids: [], asks: book.asks } });
    act(() => expect(noBids.result.current.prepare()).toBeNull());
    expect(noBids.result.current.plan).toBeNull();
    expect(sent).toHaveLength(0);
  });
});
