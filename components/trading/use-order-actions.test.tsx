// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createPlaceIntent } from "@/components/trading/order-intent";
import { useOrderActions } from "@/components/trading/use-order-actions";

/**
 * The browser side of "placed at most once": whatever happens to a send, the
 * same intent goes out with the same client_order_id. The network is the one
 * part replaced here (the BFF's own dedupe is covered by its route tests).
 */
function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { mutations: { retryDelay: 0 } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

const placed = (body: { client_order_id: string }) =>
  new Response(
    JSON.stringify({
      order_id: "o1",
      client_order_id: body.client_order_id,
      fill_count: "0.00",
      remaining_count: "1.00",
      ts_ms: 1,
      deduplicated: false,
    }),
    { status: 201, headers: { "content-type": "application/json" } },
  );

afterEach(() => vi.unstubAllGlobals());

describe("useOrderActions.place", () => {
  it("retries a lost send with the same client_order_id", async () => {
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        const body = JSON.parse(String(init.body)) as { client_order_id: string };
        sent.push(body.client_order_id);
        if (sent.length === 1) throw new TypeError("network down");
        return placed(body);
      }),
    );
    const { result } = renderHook(() => useOrderActions(), { wrapper });
    const intent = createPlaceIntent({
      ticker: "KXTEST-1",
      side: "yes",
      action: "buy",
      price: 500_000,
      count: 100,
    });
    await act(async () => {
      await result.current.place(intent);
    });
    expect(sent).toEqual([intent.clientOrderId, intent.clientOrderId]);
  });

  it("sends a double submit of one intent once", async () => {
    let calls = 0;
    let release: () => void = () => {};
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        calls += 1;
        await new Promise<void>((resolve) => (release = resolve));
        return placed(JSON.parse(String(init.body)) as { client_order_id: string });
      }),
    );
    const { result } = renderHook(() => useOrderActions(), { wrapper });
    const intent = createPlaceIntent({
      ticker: "KXTEST-1",
      side: "yes",
      action: "buy",
      price: 500_000,
      count: 100,
    });
    await act(async () => {
      const first = result.current.place(intent);
      const second = result.current.place(intent);
      await Promise.resolve();
      release();
      await Promise.all([first, second]);
    });
    expect(calls).toBe(1);
  });

  it("asks for the password on reauth_required and resends the same id", async () => {
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        const body = JSON.parse(String(init.body)) as { client_order_id: string };
        sent.push(body.client_order_id);
        if (sent.length === 1)
          return new Response(
            JSON.stringify({
              error: { code: "reauth_required", message: "Confirm your password." },
            }),
            { status: 401 },
          );
        return placed(body);
      }),
    );
    const confirmReauth = vi.fn(async () => true);
    const { result } = renderHook(() => useOrderActions({ confirmReauth }), { wrapper });
    const intent = createPlaceIntent({
      ticker: "KXTEST-1",
      side: "no",
      action: "buy",
      price: 400_000,
      count: 100,
    });
    await act(async () => {
      await result.current.place(intent);
    });
    expect(confirmReauth).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([intent.clientOrderId, intent.clientOrderId]);
  });
});
