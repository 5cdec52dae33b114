/**
 * Whole trading flows through the BFF route handlers, against the real
 * simulator: RFQs and quotes between two traders down to fills and
 * positions, order groups (create, trip, reset), subaccounts and transfers,
 * account limits, and candlesticks that reach past the historical cutoff.
 * Every answer passes the client's zod schemas on the way (a mismatch with
 * what the simulator/SDK models send is a 502 kalshi_invalid_response here).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as accountLimits from "@/app/api/account/limits/route";
import * as candlesticks from "@/app/api/markets/[ticker]/candlesticks/route";
import * as orderGroupLimit from "@/app/api/order-groups/[groupId]/limit/route";
import * as orderGroupReset from "@/app/api/order-groups/[groupId]/reset/route";
import * as orderGroupTrigger from "@/app/api/order-groups/[groupId]/trigger/route";
import * as orderGroup from "@/app/api/order-groups/[groupId]/route";
import * as orderGroups from "@/app/api/order-groups/route";
import * as orderRoute from "@/app/api/orders/[orderId]/route";
import * as orders from "@/app/api/orders/route";
import * as balance from "@/app/api/portfolio/balance/route";
import * as fills from "@/app/api/portfolio/fills/route";
import * as positions from "@/app/api/portfolio/positions/route";
import * as acceptQuote from "@/app/api/quotes/[quoteId]/accept/route";
import * as confirmQuote from "@/app/api/quotes/[quoteId]/confirm/route";
import * as quote from "@/app/api/quotes/[quoteId]/route";
import * as quotes from "@/app/api/quotes/route";
import * as rfq from "@/app/api/rfqs/[rfqId]/route";
import * as rfqs from "@/app/api/rfqs/route";
import * as subaccounts from "@/app/api/subaccounts/route";
import * as transfers from "@/app/api/subaccounts/transfers/route";
import { pinHistoricalCutoffs } from "@/server/sim/historical/cutoff";
import type { MarketRecord } from "@/server/sim/model";
import {
  errorOf,
  startBffHarness,
  type BffHarness,
  type Handler,
  type Trader,
} from "@/server/testing/bff-harness";

let h: BffHarness;
let requester: Trader;
let maker: Trader;
let market: MarketRecord;

beforeAll(async () => {
  h = await startBffHarness();
  requester = await h.trader("requester@example.com", { balanceCents: 200_000, tier: "advanced" });
  maker = await h.trader("maker@example.com", { balanceCents: 200_000, tier: "advanced" });
  const active = [...h.sim.exchange.state.markets.values()].filter(
    (m) => m.status === "active" && m.priceLevelStructure === "linear_cent",
  );
  const found = active[0];
  if (!found) throw new Error("no active linear_cent market in the seeded simulator");
  market = found;
  // High-volatility timing (3 s to confirm, 1 s to execute) keeps the flow quick on a real clock.
  h.sim.exchange.rfqDesk.configure({ isHighVolatility: () => true });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

beforeEach(() => {
  h.resetUpstream();
});

const get = (handler: unknown, who: Trader, path: string, params?: Record<string, string>) =>
  h.call(handler as Handler, { method: "GET", path, params, cookie: who.cookie });
const send = (
  handler: unknown,
  who: Trader,
  method: string,
  path: string,
  body?: unknown,
  params?: Record<string, string>,
) => h.call(handler as Handler, { method, path, body, params, cookie: who.cookie });

function expectOk(result: { status: number; text: string }, status = 200) {
  if (result.status !== status)
    throw new Error(`expected ${status}, got ${result.status}: ${result.text}`);
}

describe("RFQs and quotes between two traders", () => {
  it("runs create → quote → accept → confirm → execution, and both see fills and positions", async () => {
    const created = await send(rfqs.POST, requester, "POST", "/api/rfqs", {
      market_ticker: market.ticker,
      contracts: "10",
    });
    expectOk(created, 201);
    const rfqId = String(created.body.id);

    // Both see it; only the requester sees it as theirs.
    const mine = await get(rfqs.GET, requester, "/api/rfqs?mine=true&status=open");
    expectOk(mine);
    expect((mine.body.rfqs as Array<{ id: string }>).map((r) => r.id)).toContain(rfqId);
    const makersOwn = await get(rfqs.GET, maker, "/api/rfqs?mine=true");
    expect((makersOwn.body.rfqs as Array<{ id: string }>).map((r) => r.id)).not.toContain(rfqId);
    const seen = await get(rfq.GET, maker, `/api/rfqs/${rfqId}`, { rfqId });
    expectOk(seen);
    expect(seen.body.rfq).toMatchObject({
      id: rfqId,
      market_ticker: market.ticker,
      contracts_fp: "10.00",
    });

    const quoted = await send(quotes.POST, maker, "POST", "/api/quotes", {
      rfq_id: rfqId,
      yes_bid: "0.40",
      no_bid: "0.55",
    });
    expectOk(quoted, 201);
    const quoteId = String(quoted.body.id);

    const onMyRfqs = await get(quotes.GET, requester, `/api/quotes?role=requester&rfq_id=${rfqId}`);
    expectOk(onMyRfqs);
    expect(onMyRfqs.body.quotes).toEqual([
      expect.objectContaining({
        id: quoteId,
        rfq_id: rfqId,
        yes_bid_dollars: "0.4000",
        no_bid_dollars: "0.5500",
        status: "open",
      }),
    ]);
    const made = await get(quotes.GET, maker, "/api/quotes?role=maker");
    expect((made.body.quotes as Array<{ id: string }>).map((q) => q.id)).toContain(quoteId);

    const accepted = await send(
      acceptQuote.POST,
      requester,
      "POST",
      `/api/quotes/${quoteId}/accept`,
      {
        accepted_side: "yes",
      },
      { quoteId },
    );
    expectOk(accepted);
    const afterAccept = await get(quote.GET, maker, `/api/quotes/${quoteId}`, { quoteId });
    expect(afterAccept.body.quote).toMatchObject({ status: "accepted", accepted_side: "yes" });

    const confirmed = await send(
      confirmQuote.POST,
      maker,
      "POST",
      `/api/quotes/${quoteId}/confirm`,
      undefined,
      {
        quoteId,
      },
    );
    expectOk(confirmed);

    await new Promise((resolve) => setTimeout(resolve, 1_300));
    h.sim.exchange.tick();

    const done = await get(quote.GET, requester, `/api/quotes/${quoteId}`, { quoteId });
    expectOk(done);
    expect(done.body.quote).toMatchObject({ status: "executed" });

    // Accepting "yes" sells the maker YES at yes_bid: the maker is long YES, the requester long NO.
    const requesterFills = await get(
      fills.GET,
      requester,
      `/api/portfolio/fills?ticker=${market.ticker}`,
    );
    expectOk(requesterFills);
    expect(requesterFills.body.fills).toEqual([
      expect.objectContaining({ ticker: market.ticker, count_fp: "10.00" }),
    ]);
    const makerFills = await get(fills.GET, maker, `/api/portfolio/fills?ticker=${market.ticker}`);
    expect((makerFills.body.fills as unknown[]).length).toBe(1);

    const requesterPositions = await get(
      positions.GET,
      requester,
      `/api/portfolio/positions?ticker=${market.ticker}`,
    );
    expectOk(requesterPositions);
    const makerPositions = await get(
      positions.GET,
      maker,
      `/api/portfolio/positions?ticker=${market.ticker}`,
    );
    const position = (result: typeof requesterPositions) =>
      (result.body.market_positions as Array<{ ticker: string; position_fp: string }>).find(
        (p) => p.ticker === market.ticker,
      )?.position_fp;
    expect(position(makerPositions)).toBe("10.00");
    expect(position(requesterPositions)).toBe("-10.00");

    // The RFQ is closed now; deleting it is refused by the exchange, not by us.
    const closed = await get(rfq.GET, requester, `/api/rfqs/${rfqId}`, { rfqId });
    expect((closed.body.rfq as { status: string }).status).not.toBe("open");
  });

  it("lets the requester withdraw an open RFQ and the maker withdraw a quote", async () => {
    const created = await send(rfqs.POST, requester, "POST", "/api/rfqs", {
      market_ticker: market.ticker,
      contracts: "3",
      replace_existing: true,
    });
    expectOk(created, 201);
    const rfqId = String(created.body.id);
    const quoted = await send(quotes.POST, maker, "POST", "/api/quotes", {
      rfq_id: rfqId,
      yes_bid: "0.30",
      no_bid: "0.60",
    });
    expectOk(quoted, 201);
    const quoteId = String(quoted.body.id);
    expectOk(
      await send(quote.DELETE, maker, "DELETE", `/api/quotes/${quoteId}`, undefined, { quoteId }),
    );
    const gone = await get(quote.GET, maker, `/api/quotes/${quoteId}`, { quoteId });
    expect((gone.body.quote as { status: string }).status).toBe("cancelled");
    expectOk(
      await send(rfq.DELETE, requester, "DELETE", `/api/rfqs/${rfqId}`, undefined, { rfqId }),
    );
    const closed = await get(rfq.GET, requester, `/api/rfqs/${rfqId}`, { rfqId });
    expect((closed.body.rfq as { status: string }).status).toBe("closed");
  });
});

describe("order groups", () => {
  const restingOrder = (groupId: string) => ({
    ticker: market.ticker,
    side: "bid",
    count: "1",
    price: "0.01",
    order_group_id: groupId,
  });

  it("creates a group, trips it (orders cancelled, new ones refused), and resets it", async () => {
    const created = await send(orderGroups.POST, requester, "POST", "/api/order-groups", {
      contracts_limit: "5",
    });
    expectOk(created, 201);
    const groupId = String(created.body.order_group_id);

    const listed = await get(orderGroups.GET, requester, "/api/order-groups");
    expectOk(listed);
    expect(listed.body.order_groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: groupId,
          contracts_limit_fp: "5.00",
          is_auto_cancel_enabled: true,
        }),
      ]),
    );

    const placed = await send(orders.POST, requester, "POST", "/api/orders", restingOrder(groupId));
    expectOk(placed, 201);
    const orderId = String(placed.body.order_id);
    const detail = await get(orderGroup.GET, requester, `/api/order-groups/${groupId}`, {
      groupId,
    });
    expectOk(detail);
    expect(detail.body).toMatchObject({ orders: [orderId], contracts_limit_fp: "5.00" });

    expectOk(
      await send(
        orderGroupTrigger.POST,
        requester,
        "POST",
        `/api/order-groups/${groupId}/trigger`,
        undefined,
        { groupId },
      ),
    );
    const order = await get(orderRoute.GET, requester, `/api/orders/${orderId}`, { orderId });
    expect((order.body.order as { status: string }).status).toBe("canceled");
    const tripped = await get(orderGroup.GET, requester, `/api/order-groups/${groupId}`, {
      groupId,
    });
    expect(tripped.body.is_auto_cancel_enabled).toBe(false);
    const refused = await send(
      orders.POST,
      requester,
      "POST",
      "/api/orders",
      restingOrder(groupId),
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);

    expectOk(
      await send(
        orderGroupReset.POST,
        requester,
        "POST",
        `/api/order-groups/${groupId}/reset`,
        undefined,
        { groupId },
      ),
    );
    const again = await send(orders.POST, requester, "POST", "/api/orders", restingOrder(groupId));
    expectOk(again, 201);

    expectOk(
      await send(
        orderGroupLimit.PUT,
        requester,
        "PUT",
        `/api/order-groups/${groupId}/limit`,
        { contracts_limit: "7" },
        { groupId },
      ),
    );
    const raised = await get(orderGroup.GET, requester, `/api/order-groups/${groupId}`, {
      groupId,
    });
    expect(raised.body.contracts_limit_fp).toBe("7.00");

    expectOk(
      await send(
        orderGroup.DELETE,
        requester,
        "DELETE",
        `/api/order-groups/${groupId}`,
        undefined,
        { groupId },
      ),
    );
    const deleted = await get(orderGroup.GET, requester, `/api/order-groups/${groupId}`, {
      groupId,
    });
    expect(deleted.status).toBe(404);
    const lastOrder = await get(
      orderRoute.GET,
      requester,
      `/api/orders/${String(again.body.order_id)}`,
      {
        orderId: String(again.body.order_id),
      },
    );
    expect((lastOrder.body.order as { status: string }).status).toBe("canceled");
  });

  it("trips on its own once its filled contracts pass the limit", async () => {
    const created = await send(orderGroups.POST, requester, "POST", "/api/order-groups", {
      contracts_limit: "2",
    });
    expectOk(created, 201);
    const groupId = String(created.body.order_group_id);
    // Selling 5 YES at any price sweeps the seeded bids: 3+ filled contracts pass the limit of 2.
    const sweep = await send(orders.POST, requester, "POST", "/api/orders", {
      ticker: market.ticker,
      side: "ask",
      count: "5",
      price: "0.01",
      order_group_id: groupId,
    });
    expectOk(sweep, 201);
    const detail = await get(orderGroup.GET, requester, `/api/order-groups/${groupId}`, {
      groupId,
    });
    expectOk(detail);
    expect(detail.body.is_auto_cancel_enabled).toBe(false);
    const refused = await send(
      orders.POST,
      requester,
      "POST",
      "/api/orders",
      restingOrder(groupId),
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expectOk(
      await send(
        orderGroupReset.POST,
        requester,
        "POST",
        `/api/order-groups/${groupId}/reset`,
        undefined,
        { groupId },
      ),
    );
    const reset = await get(orderGroup.GET, requester, `/api/order-groups/${groupId}`, { groupId });
    expect(reset.body.is_auto_cancel_enabled).toBe(true);
    expectOk(await send(orders.POST, requester, "POST", "/api/orders", restingOrder(groupId)), 201);
  });
});

describe("subaccounts and transfers", () => {
  const TRANSFER_ID = "5b0c8f4e-4c1d-4a57-9d0e-2f6a1c3b7e91";
  it("opens a subaccount, moves cash into it and back, with history and balances", async () => {
    const before = await get(balance.GET, maker, "/api/portfolio/balance");
    expectOk(before);
    const opened = await send(subaccounts.POST, maker, "POST", "/api/subaccounts", {});
    expectOk(opened, 201);
    const number = opened.body.subaccount_number as number;
    expect(number).toBeGreaterThanOrEqual(1);

    const moved = await send(transfers.POST, maker, "POST", "/api/subaccounts/transfers", {
      from_subaccount: 0,
      to_subaccount: number,
      amount_cents: 12_345,
      client_transfer_id: TRANSFER_ID,
    });
    expectOk(moved, 201);
    expect(moved.body).toEqual({ client_transfer_id: TRANSFER_ID });
    // The same client_transfer_id again moves nothing more.
    await send(transfers.POST, maker, "POST", "/api/subaccounts/transfers", {
      from_subaccount: 0,
      to_subaccount: number,
      amount_cents: 12_345,
      client_transfer_id: TRANSFER_ID,
    });

    const balances = await get(subaccounts.GET, maker, "/api/subaccounts");
    expectOk(balances);
    const list = balances.body.subaccount_balances as Array<{
      subaccount_number: number;
      balance: string;
    }>;
    expect(list.find((b) => b.subaccount_number === number)?.balance).toBe("123.4500");

    const history = await get(transfers.GET, maker, "/api/subaccounts/transfers");
    expectOk(history);
    expect(history.body.transfers).toEqual([
      expect.objectContaining({ from_subaccount: 0, to_subaccount: number, amount_cents: 12_345 }),
    ]);

    const subBalance = await get(balance.GET, maker, `/api/portfolio/balance?subaccount=${number}`);
    expectOk(subBalance);
    expect(subBalance.body.balance).toBe(12_345);

    // Trade from the subaccount, then bring the rest home.
    const placed = await send(orders.POST, maker, "POST", "/api/orders", {
      ticker: market.ticker,
      side: "bid",
      count: "1",
      price: "0.02",
      subaccount: number,
    });
    expectOk(placed, 201);
    const back = await send(transfers.POST, maker, "POST", "/api/subaccounts/transfers", {
      from_subaccount: number,
      to_subaccount: 0,
      amount_cents: 10_000,
    });
    expectOk(back, 201);

    // An order group of the subaccount is acted on with ?subaccount= (Kalshi defaults to the primary).
    const group = await send(orderGroups.POST, maker, "POST", "/api/order-groups", {
      contracts_limit: "3",
      subaccount: number,
    });
    expectOk(group, 201);
    const groupId = String(group.body.order_group_id);
    const wrongBook = await send(
      orderGroupTrigger.POST,
      maker,
      "POST",
      `/api/order-groups/${groupId}/trigger`,
      undefined,
      { groupId },
    );
    expect(wrongBook.status).toBe(404);
    const path = (action: string) => `/api/order-groups/${groupId}/${action}?subaccount=${number}`;
    expectOk(
      await send(orderGroupTrigger.POST, maker, "POST", path("trigger"), undefined, { groupId }),
    );
    expectOk(
      await send(orderGroupReset.POST, maker, "POST", path("reset"), undefined, { groupId }),
    );
    expectOk(
      await send(
        orderGroupLimit.PUT,
        maker,
        "PUT",
        path("limit"),
        { contracts_limit: "4" },
        { groupId },
      ),
    );
    expectOk(
      await send(
        orderGroup.DELETE,
        maker,
        "DELETE",
        `/api/order-groups/${groupId}?subaccount=${number}`,
        undefined,
        { groupId },
      ),
    );

    // The requester (no subaccounts of their own) sees none of this.
    const theirs = await get(transfers.GET, requester, "/api/subaccounts/transfers");
    expect(theirs.body.transfers).toEqual([]);
  });

  it("refuses a transfer the exchange cannot make, keeping Kalshi's code", async () => {
    const result = await send(transfers.POST, requester, "POST", "/api/subaccounts/transfers", {
      from_subaccount: 0,
      to_subaccount: 9,
      amount_cents: 100,
    });
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect(errorOf(result)?.code).not.toBe("kalshi_invalid_response");
  });
});

describe("an exchange pause", () => {
  it("reaches the trader as the exchange's reason (503 TRADING_PAUSED), not a generic failure", async () => {
    const simOrigin = new URL(h.sim.restBaseUrl).origin;
    const admin = (path: string, body: unknown) =>
      fetch(`${simOrigin}/sim/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await admin("/exchange/pause", { kind: "trading" })).status).toBe(200);
    try {
      const refused = await send(orders.POST, requester, "POST", "/api/orders", {
        ticker: market.ticker,
        side: "bid",
        count: "1",
        price: "0.01",
      });
      expect(refused.status).toBe(503);
      expect(errorOf(refused)).toMatchObject({
        code: "TRADING_PAUSED",
        message: expect.stringMatching(/paused/),
      });
    } finally {
      expect((await admin("/exchange/resume", {})).status).toBe(200);
    }
    const placed = await send(orders.POST, requester, "POST", "/api/orders", {
      ticker: market.ticker,
      side: "bid",
      count: "1",
      price: "0.01",
    });
    expectOk(placed, 201);
  });
});

describe("account limits", () => {
  it("shows the caller's tier and buckets", async () => {
    const result = await get(accountLimits.GET, maker, "/api/account/limits");
    expectOk(result);
    expect(result.body).toMatchObject({
      usage_tier: "advanced",
      read: { refill_rate: expect.any(Number), bucket_capacity: expect.any(Number) },
      write: { refill_rate: expect.any(Number), bucket_capacity: expect.any(Number) },
    });
  });
});

describe("candlesticks across the historical cutoff", () => {
  const candlesOf = (ticker: string, series: string, start: number, end: number, period = 60) =>
    h.call(candlesticks.GET as Handler, {
      method: "GET",
      path: `/api/markets/${ticker}/candlesticks?series_ticker=${series}&start_ts=${start}&end_ts=${end}&period_interval=${period}`,
      params: { ticker },
    });

  it("serves a market settled before the cutoff from /historical", async () => {
    const state = h.sim.exchange.state;
    const settled = [...state.markets.values()]
      .filter((m) => m.status === "finalized" && m.settlementTime !== null)
      .sort((a, b) => (a.settlementTime ?? 0) - (b.settlementTime ?? 0))[0];
    if (!settled?.settlementTime) throw new Error("no settled market in the seeded simulator");
    const seriesTicker = state.events.get(settled.eventTicker)?.seriesTicker ?? "";
    // Put the boundary just after this market's settlement: it is historical now.
    const cutoff = settled.settlementTime + 3_600_000;
    pinHistoricalCutoffs(state, {
      marketSettled: cutoff,
      tradesCreated: cutoff,
      ordersUpdated: cutoff,
      marketPositionsLastUpdated: cutoff,
    });
    try {
      const end = Math.floor(settled.settlementTime / 1000);
      const result = await candlesOf(settled.ticker, seriesTicker, end - 3 * 86_400, end);
      expectOk(result);
      const candles = result.body.candlesticks as Array<{
        end_period_ts: number;
        price: Record<string, unknown>;
      }>;
      expect(candles.length).toBeGreaterThan(0);
      expect(candles[0]).toMatchObject({
        end_period_ts: expect.any(Number),
        yes_bid: expect.any(Object),
      });
      const paths = h.upstream.map((r) => r.url.split("?")[0]);
      expect(paths).toContain(`/trade-api/v2/historical/markets/${settled.ticker}/candlesticks`);
    } finally {
      pinHistoricalCutoffs(state, null);
    }
  });

  it("merges both tiers for a live market when the range spans the cutoff", async () => {
    const state = h.sim.exchange.state;
    const seriesTicker = state.events.get(market.eventTicker)?.seriesTicker ?? "";
    const now = Math.floor(Date.now() / 1000);
    const result = await candlesOf(market.ticker, seriesTicker, now - 10 * 86_400, now, 1440);
    expectOk(result);
    const paths = h.upstream.map((r) => r.url.split("?")[0]);
    expect(paths).toContain(`/trade-api/v2/historical/markets/${market.ticker}/candlesticks`);
    expect(paths).toContain(
      `/trade-api/v2/series/${seriesTicker}/markets/${market.ticker}/candlesticks`,
    );
    const candles = result.body.candlesticks as Array<{ end_period_ts: number }>;
    const stamps = candles.map((c) => c.end_period_ts);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });
});
