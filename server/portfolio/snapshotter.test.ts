/**
 * The equity curve's recorder against the simulator and a real database:
 * the interval pass records every trader with a key; the watch pass records
 * at once after a fill, a transfer and a settlement (with the reason, and
 * the transfer as a cash flow, not P&L); a new recorder (a restarted server)
 * finds the curve where it was and carries on.
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as equityRoute from "@/app/api/portfolio/equity/route";
import * as ordersRoute from "@/app/api/orders/route";
import * as subaccountsRoute from "@/app/api/subaccounts/route";
import * as transfersRoute from "@/app/api/subaccounts/transfers/route";
import type { Market } from "@/lib/schemas/market";
import type { EquitySeries } from "@/lib/schemas/portfolio-history";
import {
  simControl,
  startBffHarness,
  twoSidedMarket,
  type BffHarness,
  type Trader,
} from "@/server/testing/bff-harness";

import { createSnapshotter, type Snapshotter } from "./snapshotter";

let h: BffHarness;
let carol: Trader;
let market: Market;
let recorder: Snapshotter;

async function call<T>(handler: unknown, path: string, method = "GET", body?: unknown) {
  const result = await h.call(handler as Parameters<BffHarness["call"]>[0], {
    method,
    path,
    body,
    cookie: carol.cookie,
  });
  return { status: result.status, body: result.body as T, text: result.text };
}

async function curve(subaccount?: number) {
  const answer = await call<EquitySeries>(
    equityRoute.GET,
    `/api/portfolio/equity?range=1D${subaccount === undefined ? "" : `&subaccount=${subaccount}`}`,
  );
  expect(answer.status, answer.text).toBe(200);
  return answer.body.points;
}

function control(ticker: string, action: string, body?: unknown): Promise<void> {
  return simControl(h, ticker, action, body);
}

/** Passes are whole seconds apart in the record: keep each one in its own second. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_050));

beforeAll(async () => {
  h = await startBffHarness();
  carol = await h.trader("equity-carol@example.com", { tier: "advanced", balanceCents: 500_000 });
  market = await twoSidedMarket(h);
  recorder = createSnapshotter({ intervalMs: 0, watchMs: 0, db: async () => h.database.db });
}, 60_000);

afterAll(async () => {
  recorder?.stop();
  await h?.close();
});

describe("the portfolio snapshotter", () => {
  it("records the baseline, then a fill, a transfer and a settlement as they happen", async () => {
    await recorder.snapshotAll();
    await recorder.watchOnce(); // the first look only sets the watermarks
    expect((await curve()).map((p) => p.reason)).toEqual(["interval"]);

    await nextSecond();
    const placed = await call(ordersRoute.POST, "/api/orders", "POST", {
      ticker: market.ticker,
      side: "bid",
      count: "4",
      price: market.yes_ask_dollars,
      time_in_force: "immediate_or_cancel",
    });
    expect(placed.status, placed.text).toBe(201);
    await recorder.watchOnce();
    expect((await curve()).map((p) => p.reason)).toEqual(["interval", "fill"]);
    await recorder.watchOnce(); // nothing new: nothing recorded
    expect(await curve()).toHaveLength(2);

    await nextSecond();
    const opened = await call<{ subaccount_number: number }>(
      subaccountsRoute.POST,
      "/api/subaccounts",
      "POST",
      {},
    );
    expect(opened.status, opened.text).toBe(201);
    const moved = await call(transfersRoute.POST, "/api/subaccounts/transfers", "POST", {
      from_subaccount: 0,
      to_subaccount: opened.body.subaccount_number,
      amount_cents: 2_500,
      client_transfer_id: randomUUID(),
    });
    expect(moved.status, moved.text).toBe(201);
    await recorder.watchOnce();
    const afterTransfer = await curve(0);
    expect(afterTransfer.at(-1)).toMatchObject({ reason: "transfer", cashFlowCents: -2_500 });
    // For the whole account the move is not a flow at all.
    expect((await curve()).at(-1)?.cashFlowCents).toBe(0);

    await nextSecond();
    const beforeCash = (await curve(0)).at(-1)?.cashCents ?? 0;
    await control(market.ticker, "close");
    await control(market.ticker, "determine", { result: "yes" });
    await control(market.ticker, "settle");
    await recorder.watchOnce();
    const settled = (await curve(0)).at(-1);
    expect(settled?.reason).toBe("settlement");
    // Four YES contracts paid $1 each: the position became $4.00 of cash.
    expect(settled?.positionsCents).toBe(0);
    expect((settled?.cashCents ?? 0) - beforeCash).toBe(400);
  });

  it("a restarted recorder finds the record and carries on", async () => {
    const before = await curve();
    recorder.stop();
    recorder = createSnapshotter({ intervalMs: 0, watchMs: 0, db: async () => h.database.db });
    await nextSecond();
    await recorder.snapshotAll();
    const after = await curve();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)?.reason).toBe("interval");
  });

  it("a trader new since the last interval pass gets a baseline at the watch's first look", async () => {
    // Signed up after the server's start-up pass, and already filled before the watch looks:
    // waiting for the next interval would leave the curve empty for minutes.
    const dave = await h.trader("equity-dave@example.com", {
      tier: "advanced",
      balanceCents: 100_000,
    });
    const as = (handler: unknown, path: string, method = "GET", body?: unknown) =>
      h.call(handler as Parameters<BffHarness["call"]>[0], {
        method,
        path,
        body,
        cookie: dave.cookie,
      });
    // The first test settled `market`: a market still open.
    const open = await twoSidedMarket(h);
    const placed = await as(ordersRoute.POST, "/api/orders", "POST", {
      ticker: open.ticker,
      side: "bid",
      count: "2",
      price: "0.95",
      time_in_force: "immediate_or_cancel",
    });
    expect(placed.status, placed.text).toBe(201);
    const daveCurve = async () =>
      (
        (await as(equityRoute.GET, "/api/portfolio/equity?range=1D"))
          .body as unknown as EquitySeries
      ).points;
    expect(await daveCurve()).toHaveLength(0);
    await recorder.watchOnce();
    expect((await daveCurve()).map((p) => p.reason)).toEqual(["interval"]);
    await recorder.watchOnce(); // nothing new since: nothing recorded
    expect(await daveCurve()).toHaveLength(1);
  });
});
