/**
 * Reconciliation against the simulator: after a scripted sequence (a
 * subaccount, an idempotent transfer, crossing orders in both subaccounts, a
 * partial close, a market closed, determined and settled), every figure the
 * portfolio shows — cash, contracts, average cost, mark value, unrealised and
 * realised P&L, fees, portfolio value — equals what the exchange's REST
 * answers, to the cent, per subaccount and in total; the history lists and
 * their CSV exports equal the API's records; the equity curve records the
 * transfer as a cash flow, not P&L.
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as balanceRoute from "@/app/api/portfolio/balance/route";
import * as equityRoute from "@/app/api/portfolio/equity/route";
import * as exportRoute from "@/app/api/portfolio/export/[kind]/route";
import * as historyRoute from "@/app/api/portfolio/history/[kind]/route";
import * as positionsRoute from "@/app/api/portfolio/positions/route";
import * as ordersRoute from "@/app/api/orders/route";
import * as subaccountsRoute from "@/app/api/subaccounts/route";
import * as overviewRoute from "@/app/api/subaccounts/overview/route";
import * as transfersRoute from "@/app/api/subaccounts/transfers/route";
import { parseCount, parseDollars } from "@/lib/fixed-point";
import { parseCsv, CSV_COLUMNS } from "@/lib/portfolio/csv";
import {
  addSummaries,
  portfolioValueCents,
  positionFigures,
  summarise,
  yesMark,
  type PortfolioSummary,
} from "@/lib/portfolio/figures";
import type { Market } from "@/lib/schemas/market";
import type { Balance, Fill, Positions, Settlement } from "@/lib/schemas/portfolio";
import type { EquitySeries, HistoryPage } from "@/lib/schemas/portfolio-history";
import type { SubaccountOverview } from "@/lib/schemas/subaccount";
import { createPublicKalshiClient } from "@/server/kalshi/client";
import {
  simControl,
  startBffHarness,
  type BffHarness,
  type Trader,
} from "@/server/testing/bff-harness";

import { takeSnapshot } from "./take-snapshot";
import { loadActiveCredential } from "@/server/credentials/store";

let h: BffHarness;
let alice: Trader;
let traded: Market;
let settled: Market;

const noWait = { sleep: async () => undefined, now: () => Date.now() };

async function call<T>(
  handler: unknown,
  path: string,
  init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
): Promise<{ status: number; body: T; text: string }> {
  const result = await h.call(handler as Parameters<BffHarness["call"]>[0], {
    method: init.method ?? "GET",
    path,
    body: init.body,
    params: init.params,
    cookie: alice.cookie,
  });
  return { status: result.status, body: result.body as T, text: result.text };
}

function control(ticker: string, action: string, body?: unknown): Promise<void> {
  return simControl(h, ticker, action, body);
}

async function place(body: Record<string, unknown>): Promise<void> {
  const placed = await call<{ order_id: string }>(ordersRoute.POST, "/api/orders", {
    method: "POST",
    body,
  });
  expect(placed.status, placed.text).toBe(201);
}

async function market(ticker: string): Promise<Market> {
  return await createPublicKalshiClient(h.sim.restBaseUrl, { clock: noWait }).getMarket(ticker);
}

/** Everything in a history list, page by page through our route (both tiers). */
async function wholeHistory<T>(kind: string, query = ""): Promise<T[]> {
  const items: T[] = [];
  let cursor = "";
  for (let i = 0; i < 50; i += 1) {
    const path = `/api/portfolio/history/${kind}?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await call<HistoryPage>(historyRoute.GET, path, { params: { kind } });
    expect(page.status, page.text).toBe(200);
    items.push(...(page.body.items as T[]));
    cursor = page.body.cursor;
    if (!cursor) return items;
  }
  throw new Error("history did not end");
}

/** The portfolio's figures for one subaccount, from the same REST answers the page reads. */
async function figuresOf(subaccount: number) {
  const balance = await call<Balance>(
    balanceRoute.GET,
    `/api/portfolio/balance?subaccount=${subaccount}`,
  );
  const positions = await call<Positions>(
    positionsRoute.GET,
    `/api/portfolio/positions?subaccount=${subaccount}&limit=1000`,
  );
  const rows = [];
  for (const position of positions.body.market_positions) {
    const m = await market(position.ticker);
    const mark = yesMark({
      yesBid: m.yes_bid_dollars,
      yesAsk: m.yes_ask_dollars,
      last: m.last_price_dollars,
      settlementValue:
        typeof m.settlement_value_dollars === "string" ? m.settlement_value_dollars : null,
    });
    rows.push(positionFigures(position, mark));
  }
  return {
    balance: balance.body,
    positions: positions.body.market_positions,
    rows,
    summary: summarise(balance.body.balance, rows),
  };
}

beforeAll(async () => {
  h = await startBffHarness();
  alice = await h.trader("recon-alice@example.com", { tier: "advanced", balanceCents: 1_000_000 });
  const open = await createPublicKalshiClient(h.sim.restBaseUrl, { clock: noWait }).listMarkets({
    status: "open",
    limit: 200,
  });
  const twoSided = open.markets.filter(
    (m) =>
      Number(m.yes_bid_dollars) >= 0.1 &&
      Number(m.yes_ask_dollars) <= 0.9 &&
      Number(m.yes_ask_dollars) > Number(m.yes_bid_dollars),
  );
  const [first, second] = twoSided;
  if (!first || !second) throw new Error("the seeded simulator has too few two-sided markets");
  traded = first;
  settled = second;

  // 1. A subaccount, and $100 moved into it by one intent submitted twice.
  const created = await call<{ subaccount_number: number }>(
    subaccountsRoute.POST,
    "/api/subaccounts",
    {
      method: "POST",
      body: {},
    },
  );
  expect(created.status, created.text).toBe(201);
  expect(created.body.subaccount_number).toBe(1);
  const intent = {
    from_subaccount: 0,
    to_subaccount: 1,
    amount_cents: 10_000,
    client_transfer_id: randomUUID(),
  };
  const first1 = await call(transfersRoute.POST, "/api/subaccounts/transfers", {
    method: "POST",
    body: intent,
  });
  expect(first1.status, first1.text).toBe(201);
  const again = await call(transfersRoute.POST, "/api/subaccounts/transfers", {
    method: "POST",
    body: intent,
  });
  expect(again.status).toBeGreaterThanOrEqual(200); // 201 or a 409 naming the duplicate: never a second move

  // A baseline snapshot before trading, so the next one sees the account move.
  const credential = await loadActiveCredential(h.database.db, alice.userId);
  if (!credential) throw new Error("alice has no credential");
  await takeSnapshot(h.database.db, {
    userId: alice.userId,
    credential,
    reason: "manual",
    now: new Date(Date.now() - 60_000),
  });

  // 2. Primary buys YES at the ask; the subaccount buys NO (sells YES at the bid).
  await place({
    ticker: traded.ticker,
    side: "bid",
    count: "7",
    price: traded.yes_ask_dollars,
    time_in_force: "immediate_or_cancel",
  });
  await place({
    ticker: traded.ticker,
    side: "ask",
    count: "4",
    price: traded.yes_bid_dollars,
    time_in_force: "immediate_or_cancel",
    subaccount: 1,
  });
  // 3. Primary closes part of its position: realised P&L.
  const after = await market(traded.ticker);
  await place({
    ticker: traded.ticker,
    side: "ask",
    count: "2",
    price: after.yes_bid_dollars,
    time_in_force: "immediate_or_cancel",
    reduce_only: true,
  });
  // 4. Both hold the other market, which then closes, is determined YES and settles.
  await place({
    ticker: settled.ticker,
    side: "bid",
    count: "3",
    price: settled.yes_ask_dollars,
    time_in_force: "immediate_or_cancel",
  });
  await place({
    ticker: settled.ticker,
    side: "ask",
    count: "2",
    price: settled.yes_bid_dollars,
    time_in_force: "immediate_or_cancel",
    subaccount: 1,
  });
  await control(settled.ticker, "close");
  await control(settled.ticker, "determine", { result: "yes" });
  await control(settled.ticker, "settle");
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** CSV rows equal the API's records, column by column, in order. */
function expectRows(
  rows: Array<Record<string, string>>,
  api: Array<Record<string, unknown>>,
  kind: keyof typeof CSV_COLUMNS,
): void {
  expect(rows).toHaveLength(api.length);
  rows.forEach((row, i) => {
    for (const column of CSV_COLUMNS[kind]) {
      const value = api[i]?.[column];
      expect(row[column], `${kind}[${i}].${column}`).toBe(
        value === null || value === undefined ? "" : String(value),
      );
    }
  });
}

describe("portfolio figures reconcile with the exchange", () => {
  it("moves the transfer once", async () => {
    const transfers = await wholeHistory<{ amount_cents: number; to_subaccount: number }>(
      "transfers",
    );
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ amount_cents: 10_000, to_subaccount: 1 });
    const sub1 = await figuresOf(1);
    const fills = await wholeHistory<Fill>("fills", "&subaccount=1");
    const spent = fills.reduce(
      (sum, f) =>
        sum +
        (f.book_side === "ask"
          ? parseDollars(f.no_price_dollars)
          : parseDollars(f.yes_price_dollars)) *
          (parseCount(f.count_fp) / 100) +
        parseDollars(f.fee_cost),
      0,
    );
    const settlements = await wholeHistory<Settlement>("settlements", "&subaccount=1");
    const payouts = settlements.reduce((sum, s) => sum + s.revenue * 10_000, 0);
    // $100 in, minus what its fills cost, plus its payouts: exactly its cash.
    expect(sub1.summary.cash).toBe(100 * 1_000_000 - spent + payouts);
  });

  for (const subaccount of [0, 1]) {
    it(`subaccount ${subaccount}: contracts, fees, cost, value and P&L equal REST`, async () => {
      const { balance, positions, rows, summary } = await figuresOf(subaccount);
      const fills = await wholeHistory<Fill>("fills", `&subaccount=${subaccount}`);
      expect(fills.length).toBeGreaterThan(0);
      for (const position of positions) {
        const row = rows.find((r) => r.ticker === position.ticker);
        if (!row) throw new Error(`no row for ${position.ticker}`);
        const own = fills.filter((f) => f.ticker === position.ticker);
        // Contracts: the signed sum of the fills (a bid adds YES, an ask adds NO).
        const net = own.reduce(
          (sum, f) => sum + (f.book_side === "bid" ? 1 : -1) * parseCount(f.count_fp),
          0,
        );
        const isSettled = position.ticker === settled.ticker;
        expect(parseCount(position.position_fp, { signed: true })).toBe(isSettled ? 0 : net);
        expect(row.contracts).toBe(Math.abs(parseCount(position.position_fp, { signed: true })));
        // Fees: the sum of the fills' fees.
        expect(row.fees).toBe(own.reduce((sum, f) => sum + parseDollars(f.fee_cost), 0));
        expect(row.fees).toBe(parseDollars(position.fees_paid_dollars));
        expect(row.cost).toBe(parseDollars(position.market_exposure_dollars, { signed: true }));
        expect(row.realised).toBe(parseDollars(position.realized_pnl_dollars, { signed: true }));
        if (row.contracts > 0) {
          // Average cost × contracts gives back the cost to within the rounding of one micro-dollar per contract.
          expect(
            Math.abs(((row.averageCost ?? 0) * row.contracts) / 100 - row.cost),
          ).toBeLessThanOrEqual(row.contracts);
          expect(row.unrealised).toBe((row.marketValue ?? 0) - row.cost);
        }
      }
      // Portfolio value: our marks give the exchange's own figure, to the cent.
      expect(portfolioValueCents(rows)).toBe(balance.portfolio_value);
      expect(summary.cash).toBe(balance.balance * 10_000);
      expect(summary.exposure).toBe(
        rows.reduce((sum, r) => sum + (r.contracts > 0 ? r.cost : 0), 0),
      );
      expect(Math.trunc(summary.total / 10_000)).toBe(balance.balance + balance.portfolio_value);
    });
  }

  it("the settled market shows its payout and result, and realised P&L moved", async () => {
    const settlements = await wholeHistory<Settlement>("settlements");
    const mine = settlements.filter((s) => s.ticker === settled.ticker);
    expect(mine.length).toBe(2); // one per subaccount
    for (const s of mine) expect(s.market_result).toBe("yes");
    const primary = await figuresOf(0);
    const row = primary.rows.find((r) => r.ticker === settled.ticker);
    expect(row?.side).toBe("flat");
    // Held 3 YES bought at the ask, paid $1 each: realised = payout − cost − fees as the exchange books it.
    const payout = (mine.find((s) => parseCount(s.yes_count_fp) > 0)?.revenue ?? 0) * 10_000;
    expect(payout).toBe(3 * 1_000_000);
  });

  it("adds the subaccounts into the account total, and the overview agrees", async () => {
    const parts: PortfolioSummary[] = [];
    for (const n of [0, 1]) parts.push((await figuresOf(n)).summary);
    const total = addSummaries(parts);
    const overview = await call<SubaccountOverview>(overviewRoute.GET, "/api/subaccounts/overview");
    expect(overview.status, overview.text).toBe(200);
    const rows = overview.body.subaccounts;
    expect(rows.map((r) => r.subaccount_number)).toEqual([0, 1]);
    expect(total.cash).toBe(rows.reduce((sum, r) => sum + r.balance_cents * 10_000, 0));
    expect(rows.map((r) => r.positions_count)).toEqual(parts.map((p) => p.openPositions));
    expect(rows.reduce((sum, r) => sum + r.portfolio_value_cents, 0)).toBe(
      Math.trunc(parts[0]!.positionsValue / 10_000) + Math.trunc(parts[1]!.positionsValue / 10_000),
    );
  });

  it("CSV exports hold exactly the API's records", async () => {
    for (const kind of ["fills", "orders", "settlements", "transfers"] as const) {
      const api = await wholeHistory<Record<string, unknown>>(kind);
      const csv = await call<unknown>(exportRoute.GET, `/api/portfolio/export/${kind}`, {
        params: { kind },
      });
      expect(csv.status).toBe(200);
      expectRows(parseCsv(csv.text), api, kind);
    }
    // Positions: per subaccount, and the whole account as every subaccount's in turn
    // (Kalshi's positions answer for the primary account alone when none is named).
    const apiPositions: Array<Record<string, unknown>> = [];
    for (const subaccount of [0, 1]) {
      const positions = await call<Positions>(
        positionsRoute.GET,
        `/api/portfolio/positions?subaccount=${subaccount}&limit=1000`,
      );
      expect(positions.body.market_positions.length).toBeGreaterThan(0);
      const own = positions.body.market_positions.map((p) => ({
        subaccount_number: subaccount,
        ...p,
      }));
      const csv = await call<unknown>(
        exportRoute.GET,
        `/api/portfolio/export/positions?subaccount=${subaccount}`,
        { params: { kind: "positions" } },
      );
      expectRows(parseCsv(csv.text), own, "positions");
      apiPositions.push(...own);
    }
    const whole = await call<unknown>(exportRoute.GET, "/api/portfolio/export/positions", {
      params: { kind: "positions" },
    });
    expect(whole.status).toBe(200);
    expectRows(parseCsv(whole.text), apiPositions, "positions");
  });

  it("the equity curve records the account and the transfer as a cash flow", async () => {
    const credential = await loadActiveCredential(h.database.db, alice.userId);
    if (!credential) throw new Error("alice has no credential");
    await takeSnapshot(h.database.db, { userId: alice.userId, credential, reason: "settlement" });
    const sub1 = await call<EquitySeries>(
      equityRoute.GET,
      "/api/portfolio/equity?range=1D&subaccount=1",
    );
    expect(sub1.status, sub1.text).toBe(200);
    const last = sub1.body.points.at(-1);
    const now = await figuresOf(1);
    expect(last?.totalCents).toBe(now.balance.balance + now.balance.portfolio_value);
    expect(last?.cashFlowCents).toBe(10_000);
    const all = await call<EquitySeries>(equityRoute.GET, "/api/portfolio/equity?range=1D");
    // Within the account the transfer nets to zero: it is not P&L for anyone.
    expect(all.body.points.at(-1)?.cashFlowCents).toBe(0);
    expect(all.body.points).toHaveLength(2);
  });
});
