// @vitest-environment happy-dom
import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { useTransfer } from "@/components/subaccounts/use-transfer";

/**
 * "A double submit moves money once", from the browser's side: the network
 * is replaced by a stand-in for POST /api/subaccounts/transfers that behaves
 * like the BFF over Kalshi (a client_transfer_id moves money once; the same
 * id again is a 409 client_transfer_id_reused). The BFF's own idempotency is
 * tested against the simulator in app/api/bff-flows.test.ts.
 */
let moved: number;
let ids: string[];
let lose: number;

beforeEach(() => {
  moved = 0;
  ids = [];
  lose = 0;
  const used = new Set<string>();
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as {
        client_transfer_id: string;
        amount_cents: number;
      };
      ids.push(body.client_transfer_id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (used.has(body.client_transfer_id))
        return Response.json(
          {
            error: {
              code: "client_transfer_id_reused",
              message: "client_transfer_id was already used",
            },
          },
          { status: 409 },
        );
      if (body.amount_cents > 1_000_000)
        return Response.json(
          { error: { code: "insufficient_balance", message: "Not enough cash" } },
          { status: 400 },
        );
      used.add(body.client_transfer_id);
      moved += body.amount_cents;
      // The answer is lost on the way back, after the money moved.
      if (lose > 0) {
        lose -= 1;
        throw new TypeError("network down");
      }
      return Response.json({ client_transfer_id: body.client_transfer_id }, { status: 201 });
    }),
  );
});

afterEach(() => vi.unstubAllGlobals());

const request = { from_subaccount: 0, to_subaccount: 1, amount_cents: 10_000 };

describe("useTransfer", () => {
  it("sends a double submit once and moves the money once", async () => {
    const { result } = renderHook(() => useTransfer());
    let outcomes: unknown[] = [];
    await act(async () => {
      outcomes = await Promise.all([result.current.send(request), result.current.send(request)]);
    });
    expect(ids).toHaveLength(1);
    expect(moved).toBe(10_000);
    expect(outcomes).toEqual([
      expect.objectContaining({ ok: true, duplicate: false }),
      expect.objectContaining({ ok: true, duplicate: false }),
    ]);
  });

  it("retries a lost answer with the same id, moving the money once, and reports it done", async () => {
    lose = 1;
    const { result } = renderHook(() => useTransfer());
    const first = await act(() => result.current.send(request));
    expect(first).toMatchObject({ ok: false, code: "network" });
    const retry = await act(() => result.current.send(request));
    expect(retry).toMatchObject({ ok: true, duplicate: true });
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(moved).toBe(10_000);
  });

  it("starts a new intent after a success or a change of the form, not after a refusal", async () => {
    const { result } = renderHook(() => useTransfer());
    await act(() => result.current.send(request));
    await act(() => result.current.send(request)); // a second, deliberate transfer
    expect(new Set(ids).size).toBe(2);
    expect(moved).toBe(20_000);

    const refused = await act(() => result.current.send({ ...request, amount_cents: 2_000_000 }));
    expect(refused).toMatchObject({ ok: false, code: "insufficient_balance" });
    await act(() => result.current.send({ ...request, amount_cents: 2_000_000 }));
    expect(ids[3]).toBe(ids[2]);
    act(() => result.current.renew());
    await act(() => result.current.send({ ...request, amount_cents: 500 }));
    expect(ids[4]).not.toBe(ids[3]);
    expect(moved).toBe(20_500);
  });
});
