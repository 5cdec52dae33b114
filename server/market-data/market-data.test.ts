/**
 * The market-data service against a real simulator: the universe stays equal
 * to REST, field by field, through a scripted run of price moves, closes,
 * determinations, settlements and newly listed markets; a dropped upstream
 * socket is noticed and the universe reconciled; identical concurrent reads
 * make one upstream call.
 */
import { afterEach, describe, expect, it } from "vitest";

import type { Market } from "@/lib/schemas/market";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";
import { createTestAccount } from "@/server/sim/testing/new-account";

import {
  diffWithRest,
  eventuallyEqual,
  OffsetClock,
  ROLLING_FIELDS,
  startMarketDataRig,
  type MarketDataRig,
} from "./testing";

let rig: MarketDataRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function trader(r: MarketDataRig, now: () => number): Promise<SignedFetch> {
  const account = await createTestAccount(r.sim.restBaseUrl, { balanceCents: 1_000_000 });
  return createSignedFetch({
    restBaseUrl: account.restBaseUrl,
    apiKeyId: account.apiKeyId,
    privateKeyPem: account.privateKeyPem,
    now,
  });
}

async function order(fetcher: SignedFetch, body: Record<string, unknown>): Promise<void> {
  const response = await fetcher("/portfolio/events/orders", {
    method: "POST",
    body: JSON.stringify({
      time_in_force: "good_till_canceled",
      self_trade_prevention_type: "taker_at_cross",
      ...body,
    }),
  });
  if (response.status !== 201)
    throw new Error(`order: ${response.status} ${await response.text()}`);
}

async function control(r: MarketDataRig, ticker: string, action: string, body: unknown = {}) {
  const response = await fetch(
    `${new URL(r.sim.restBaseUrl).origin}/sim/v1/markets/${ticker}/${action}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  if (response.status !== 200)
    throw new Error(`${action} ${ticker}: ${response.status} ${await response.text()}`);
}

/** An open market on the one-cent grid with room between its bid and ask. */
function quotedMarket(r: MarketDataRig, skip: ReadonlySet<string> = new Set()): Market {
  const open = r.service.queries.listMarkets({ status: "open", sort: "volume_24h", limit: 1000 });
  const found = open.markets.find((m) => {
    const bid = Math.round(Number(m.yes_bid_dollars) * 100);
    const ask = Math.round(Number(m.yes_ask_dollars) * 100);
    return (
      !skip.has(m.ticker) &&
      (m as Record<string, unknown>).price_level_structure === "linear_cent" &&
      bid >= 5 &&
      ask - bid >= 2
    );
  });
  if (!found) throw new Error("no quoted open market in the seeded simulator");
  return found;
}

const cents = (dollars: number) => (Math.round(dollars * 100) / 100).toFixed(2);

describe("the in-memory universe", () => {
  it("stays equal to REST, field by field, through price moves, closes, settlements and new markets", async () => {
    const clock = new OffsetClock();
    rig = await startMarketDataRig({ clock });
    const r = rig;
    const live = { ignore: ROLLING_FIELDS, now: clock.now };
    expect(await eventuallyEqual(() => diffWithRest(r, live))).toEqual([]);
    const loadCalls = r.upstream.length;
    const before = new Set(r.service.universe.markets.keys());

    // Price moves: a better bid rests (quote), then a seller hits it (trade: last, volume, OI).
    const alice = await trader(r, clock.now);
    const bob = await trader(r, clock.now);
    const moved = quotedMarket(r);
    const bid = Number(moved.yes_bid_dollars) + 0.01;
    await order(alice, { ticker: moved.ticker, side: "bid", count: "7", price: cents(bid) });
    await order(bob, {
      ticker: moved.ticker,
      side: "ask",
      count: "3",
      price: cents(bid),
      time_in_force: "immediate_or_cancel",
    });

    // A close, a determination and a settlement through the simulator's controls.
    const closing = quotedMarket(r, new Set([moved.ticker]));
    await control(r, closing.ticker, "close");
    const settling = quotedMarket(r, new Set([moved.ticker, closing.ticker]));
    await control(r, settling.ticker, "close");
    await control(r, settling.ticker, "determine", { result: "no" });
    await control(r, settling.ticker, "settle");
    await control(r, closing.ticker, "determine", { result: "no" });

    // An hour later: hourly markets closed on their own (no message says so), and
    // the recurring series listed new events and markets (`created` messages).
    clock.advance(65 * 60_000);

    const diffs = await eventuallyEqual(() => diffWithRest(r, live), 10_000);
    expect(diffs).toEqual([]);
    const held = r.service.universe;
    expect(held.market(moved.ticker)?.last_price_dollars).toBe(cents(bid).padEnd(6, "0"));
    // Determined; an hour on, its settlement timer has run too.
    expect(held.market(closing.ticker)?.status).toBe("finalized");
    expect(held.market(settling.ticker)?.status).toBe("finalized");
    const added = [...held.markets.keys()].filter((ticker) => !before.has(ticker));
    expect(added.length).toBeGreaterThan(0);

    // Kept current by the stream and batched re-reads, not by reloading everything.
    const during = r.upstream.slice(loadCalls);
    expect(during.filter((url) => url.includes("/series"))).toEqual([]);
    expect(during.filter((url) => /[?&]status=/.test(url))).toEqual([]);

    // The rolling fields (24h volume, the day-ago prices, updated_time) move with the
    // clock; the reconcile brings them in (compared right after one: they keep rolling).
    const reconciled = async () => {
      await r.service.reconcile("test");
      return diffWithRest(r, { now: clock.now });
    };
    expect(await eventuallyEqual(reconciled, 3_000)).toEqual([]);
  }, 60_000);

  it("notices a dropped upstream socket and reconciles what it missed", async () => {
    rig = await startMarketDataRig();
    const r = rig;
    const loads = r.service.stats().loads;
    const alice = await trader(r, Date.now);
    const bob = await trader(r, Date.now);
    const moved = quotedMarket(r);
    const closing = quotedMarket(r, new Set([moved.ticker]));

    // The socket drops; while it is down a trade prints and a market closes.
    r.feed.dropForTests();
    const bid = Number(moved.yes_bid_dollars) + 0.01;
    await order(alice, { ticker: moved.ticker, side: "bid", count: "5", price: cents(bid) });
    await order(bob, {
      ticker: moved.ticker,
      side: "ask",
      count: "5",
      price: cents(bid),
      time_in_force: "immediate_or_cancel",
    });
    await control(r, closing.ticker, "close");

    expect(
      await eventuallyEqual(() => diffWithRest(r, { ignore: ROLLING_FIELDS }), 10_000),
    ).toEqual([]);
    const stats = r.service.stats();
    expect(stats.feed).toBe("connected");
    expect(stats.loads).toBe(loads + 1);
    expect(stats.lastLoad?.corrected).toBeGreaterThan(0);
    expect(r.service.universe.market(closing.ticker)?.status).toBe("closed");
  }, 60_000);
});

describe("candles", () => {
  it("fetches ended periods once and keeps the live candle from trades, equal to the exchange's", async () => {
    rig = await startMarketDataRig();
    const r = rig;
    const market = quotedMarket(r);
    const series = r.service.universe.markets.get(market.ticker)?.series ?? "";
    const nowS = Math.floor(Date.now() / 1000);
    const liveEnd = Math.ceil(nowS / 60) * 60;
    const query = {
      series_ticker: series,
      start_ts: liveEnd - 3_600,
      end_ts: liveEnd,
      period_interval: 1 as const,
    };
    const calls = () => r.upstream.filter((url) => url.includes("/candlesticks")).length;
    const first = await r.service.getMarketCandlesticks(market.ticker, query);
    expect(calls()).toBe(1);
    await r.service.getMarketCandlesticks(market.ticker, query);
    expect(calls()).toBe(1);

    // A trade: the live candle moves without asking the exchange.
    const alice = await trader(r, Date.now);
    const bob = await trader(r, Date.now);
    const price = cents(Number(market.yes_bid_dollars) + 0.01);
    await order(alice, { ticker: market.ticker, side: "bid", count: "6", price });
    await order(bob, {
      ticker: market.ticker,
      side: "ask",
      count: "6",
      price,
      time_in_force: "immediate_or_cancel",
    });
    const live = async () =>
      (await r.service.getMarketCandlesticks(market.ticker, query)).candlesticks.at(-1);
    await eventuallyEqual(async () =>
      (await live())?.price.close_dollars === `${price}00` ? [] : ["not yet"],
    );
    // Same period as when asked: no new call (a period that ended meanwhile is fetched once).
    if (Math.ceil(Date.now() / 60_000) * 60 === liveEnd) expect(calls()).toBe(1);
    const ours = await live();
    const rest = (await (
      await fetch(
        `${r.sim.restBaseUrl}/series/${series}/markets/${market.ticker}/candlesticks?start_ts=${query.start_ts}&end_ts=${query.end_ts}&period_interval=1`,
      )
    ).json()) as { candlesticks: Array<Record<string, unknown>> };
    const theirs = rest.candlesticks.at(-1) as Record<string, Record<string, unknown>>;
    expect(ours?.end_period_ts).toBe(theirs.end_period_ts);
    expect(ours?.volume_fp).toBe(theirs.volume_fp);
    expect(ours?.price.close_dollars).toBe(theirs.price?.close_dollars);
    expect(ours?.price.high_dollars).toBe(theirs.price?.high_dollars);
    expect(ours?.yes_bid.close_dollars).toBe(theirs.yes_bid?.close_dollars);
    expect(first.candlesticks.length).toBeGreaterThan(0);
  }, 60_000);
});

describe("reads the universe does not hold", () => {
  it("make one upstream call for 100 identical concurrent requests", async () => {
    rig = await startMarketDataRig();
    const r = rig;
    const ticker = quotedMarket(r).ticker;
    const before = r.upstream.length;
    const books = await Promise.all(
      Array.from({ length: 100 }, () => r.service.getOrderbook(ticker, { depth: 5 })),
    );
    const trades = await Promise.all(
      Array.from({ length: 100 }, () => r.service.listTrades({ ticker, limit: 50 })),
    );
    const calls = r.upstream.slice(before);
    expect(calls.filter((url) => url.includes("/orderbook"))).toHaveLength(1);
    expect(calls.filter((url) => url.includes("/markets/trades"))).toHaveLength(1);
    expect(new Set(books.map((book) => JSON.stringify(book))).size).toBe(1);
    expect(trades[99]).toBe(trades[0]);

    // A lookup by ticker: held ones from memory, the rest (combos, old settlements) upstream, in order.
    const held = [...r.service.universe.markets.keys()].slice(0, 2);
    const lookedUp = r.upstream.length;
    const answer = await r.service.listMarkets({
      tickers: [held[0], "KXMVE-NOT-HELD", held[1]].join(","),
    });
    expect(answer.markets.map((m) => m.ticker)).toEqual(held);
    expect(r.upstream.slice(lookedUp)).toEqual(["/trade-api/v2/markets?tickers=KXMVE-NOT-HELD"]);
  }, 30_000);
});
