import { beforeAll, describe, expect, it } from "vitest";
import { parseCount, parseDollars } from "@/lib/fixed-point";
import { createAccount } from "@/server/sim/accounts";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { pinHistoricalCutoffs } from "@/server/sim/historical/cutoff";
import { createSimApp } from "@/server/sim/http/app";

const NOW = Date.UTC(2025, 7, 21, 17, 30, 0);
const NOW_S = NOW / 1000;
const DAY_S = 86_400;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const clock = new ManualClock(NOW);
const exchange = new SimExchange({ seed: 7, clock });
// This suite covers the live endpoints over the whole seed; the live/historical
// split at the cutoff is covered in historical.test.ts.
pinHistoricalCutoffs(exchange.state, {
  marketSettled: 0,
  tradesCreated: 0,
  ordersUpdated: 0,
  marketPositionsLastUpdated: 0,
});
const app = createSimApp(exchange);

async function get(path: string, status = 200): Promise<Json> {
  const response = await app.request(`/trade-api/v2${path}`);
  const body = (await response.json()) as Json;
  expect(response.status, `${path} → ${JSON.stringify(body).slice(0, 300)}`).toBe(status);
  return body;
}

/** Expects a 400 whose message names `param`. */
async function badRequest(path: string, param: string): Promise<void> {
  const body = await get(path, 400);
  expect(body.code).toBe("invalid_parameters");
  expect(body.message).toContain(param);
}

async function allPages(path: string, key: string, limit: number): Promise<Json[]> {
  const items: Json[] = [];
  let cursor = "";
  for (let page = 0; page < 1000; page += 1) {
    const sep = path.includes("?") ? "&" : "?";
    const body = await get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect((body[key] as Json[]).length).toBeLessThanOrEqual(limit);
    items.push(...(body[key] as Json[]));
    cursor = body.cursor as string;
    if (!cursor) return items;
  }
  throw new Error("pagination did not end");
}

const allMarkets = [...exchange.state.markets.values()];
const activeMarket = allMarkets.find(
  (m) => m.status === "active" && m.seriesTicker === "KXHIGHNY",
)!;
/** An open market priced mid-range, so its ladder is five levels deep on both sides. */
const midMarket = allMarkets.find(
  (m) => m.status === "active" && m.fairValue > 150_000 && m.fairValue < 850_000,
)!;

describe("series", () => {
  it("lists every series and filters by category and tags", async () => {
    const all = await get("/series");
    // Combo (KXMVE…) series are listed through their collections, not here.
    const plain = [...exchange.state.series.keys()].filter((t) => !t.startsWith("KXMVE"));
    expect(all.series).toHaveLength(plain.length);
    expect(all.series[0]).not.toHaveProperty("volume_fp");
    const econ = await get("/series?category=Economics");
    expect(econ.series.map((s: Json) => s.ticker).sort()).toEqual(["KXCPI", "KXFEDDECISION"]);
    const tagged = await get("/series?tags=BTC,Football");
    expect(tagged.series.map((s: Json) => s.ticker).sort()).toEqual(["KXBTC", "KXNFLGAME"]);
    const withVolume = await get("/series?include_volume=true&include_product_metadata=true");
    expect(withVolume.series.every((s: Json) => /^\d+\.\d{2}$/.test(s.volume_fp))).toBe(true);
    expect(
      withVolume.series.find((s: Json) => s.ticker === "KXHIGHNY").product_metadata,
    ).toMatchObject({ unit: "°F" });
  });

  it("returns one series, 404 for an unknown one, 400 for a bad flag", async () => {
    const { series } = await get("/series/KXBTC?include_volume=true");
    expect(series).toMatchObject({
      ticker: "KXBTC",
      category: "Crypto",
      fee_type: "quadratic",
      fee_multiplier: 0.5,
    });
    expect(series.volume_fp).toBeDefined();
    expect((await get("/series/NOPE", 404)).code).toBe("not_found");
    await badRequest("/series?include_volume=yes", "include_volume");
  });
});

describe("events", () => {
  it("pages through every event exactly once", async () => {
    const events = await allPages("/events", "events", 4);
    const tickers = events.map((e) => e.event_ticker);
    expect(tickers).toEqual([...exchange.state.events.keys()]);
    expect(events[0]).not.toHaveProperty("markets");
  });

  it("matches status on any child market and nests markets on request", async () => {
    for (const [filter, statuses] of [
      ["open", ["active"]],
      ["unopened", ["initialized"]],
      ["settled", ["finalized"]],
      ["closed", ["closed", "determined"]],
    ] as const) {
      const { events } = await get(`/events?status=${filter}&with_nested_markets=true&limit=200`);
      expect(events.length, filter).toBeGreaterThan(0);
      for (const event of events) {
        expect(
          event.markets.some((m: Json) => (statuses as readonly string[]).includes(m.status)),
        ).toBe(true);
      }
      const expected = [...exchange.state.events.values()].filter((e) =>
        e.marketTickers.some((t) =>
          (statuses as readonly string[]).includes(exchange.state.market(t)!.status),
        ),
      );
      expect(events.map((e: Json) => e.event_ticker)).toEqual(expected.map((e) => e.eventTicker));
    }
  });

  it("filters by series, tickers and min_close_ts", async () => {
    const btc = await get("/events?series_ticker=KXBTC");
    expect(btc.events).toHaveLength(5);
    const two = btc.events.slice(0, 2).map((e: Json) => e.event_ticker);
    const picked = await get(`/events?tickers=${two.join(",")}`);
    expect(picked.events.map((e: Json) => e.event_ticker)).toEqual(two);
    const later = await get(`/events?min_close_ts=${NOW_S + 7 * DAY_S}`);
    expect(later.events.length).toBeGreaterThan(0);
    for (const e of later.events) {
      const closes = exchange.state.events
        .get(e.event_ticker)!
        .marketTickers.map((t) => exchange.state.market(t)!.closeTime);
      expect(Math.max(...closes)).toBeGreaterThan(NOW + 7 * DAY_S * 1000);
    }
    expect((await get("/events?with_milestones=true&limit=1")).milestones).toEqual([]);
  });

  it("rejects bad parameters naming them", async () => {
    await badRequest("/events?status=paused", "status");
    await badRequest("/events?limit=0", "limit");
    await badRequest("/events?limit=201", "limit");
    await badRequest("/events?cursor=garbage", "cursor");
    await badRequest("/events?bogus=1", "bogus");
  });

  it("returns one event with its markets, nested on request, and its metadata", async () => {
    const ticker = activeMarket.eventTicker;
    const flat = await get(`/events/${ticker}`);
    expect(flat.event.event_ticker).toBe(ticker);
    expect(flat.event).not.toHaveProperty("markets");
    expect(flat.markets).toHaveLength(6);
    const nested = await get(`/events/${ticker}?with_nested_markets=true`);
    expect(nested.event.markets).toEqual(nested.markets);
    const meta = await get(`/events/${ticker}/metadata`);
    expect(meta.market_details).toHaveLength(6);
    expect(meta.market_details[0]).toMatchObject({
      market_ticker: flat.markets[0].ticker,
      color_code: expect.stringMatching(/^#/),
    });
    expect(meta.settlement_sources[0].name).toBe("National Weather Service");
    const game = [...exchange.state.events.values()].find((e) => e.seriesTicker === "KXNFLGAME")!;
    expect(await get(`/events/${game.eventTicker}/metadata`)).toMatchObject({
      competition: "Pro Football",
      competition_scope: "Game",
    });
    await get("/events/NOPE", 404);
    await get("/events/NOPE/metadata", 404);
  });
});

describe("markets", () => {
  it("defaults to 100 per page and pages through every market exactly once", async () => {
    const first = await get("/markets");
    expect(first.markets.length).toBe(Math.min(100, allMarkets.length));
    const pages = await allPages("/markets", "markets", 7);
    expect(pages.map((m) => m.ticker)).toEqual(allMarkets.map((m) => m.ticker));
    expect((await get("/markets?limit=0")).markets.length).toBe(Math.min(100, allMarkets.length));
  });

  it("maps status filters to lifecycle states", async () => {
    const expect_ = async (filter: string, statuses: string[]) => {
      const { markets } = await get(`/markets?status=${filter}&limit=1000`);
      const expected = allMarkets.filter((m) => statuses.includes(m.status)).map((m) => m.ticker);
      expect(
        markets.map((m: Json) => m.ticker),
        filter,
      ).toEqual(expected);
      return markets;
    };
    expect((await expect_("open", ["active"])).length).toBeGreaterThan(0);
    expect((await expect_("unopened", ["initialized"])).length).toBeGreaterThan(0);
    expect(
      (await expect_("closed", ["closed", "determined", "disputed", "amended"])).length,
    ).toBeGreaterThan(0);
    expect((await expect_("settled", ["finalized"])).length).toBeGreaterThan(0);
    expect(await expect_("paused", ["inactive"])).toEqual([]);
  });

  it("filters by event, series, tickers and time windows", async () => {
    const byEvent = await get(`/markets?event_ticker=${activeMarket.eventTicker}`);
    expect(byEvent.markets.every((m: Json) => m.event_ticker === activeMarket.eventTicker)).toBe(
      true,
    );
    expect(byEvent.markets).toHaveLength(6);
    const bySeries = await get("/markets?series_ticker=KXMAYORLKP");
    expect(bySeries.markets).toHaveLength(5);
    const picked = await get(
      `/markets?tickers=${allMarkets[3]!.ticker},${allMarkets[1]!.ticker},NOPE`,
    );
    expect(picked.markets.map((m: Json) => m.ticker)).toEqual([
      allMarkets[1]!.ticker,
      allMarkets[3]!.ticker,
    ]);

    const lo = NOW_S + 3600;
    const hi = NOW_S + 5 * DAY_S;
    const closing = await get(`/markets?min_close_ts=${lo}&max_close_ts=${hi}&limit=1000`);
    expect(closing.markets.length).toBeGreaterThan(0);
    for (const m of closing.markets) {
      const close = Date.parse(m.close_time) / 1000;
      expect(close).toBeGreaterThanOrEqual(lo);
      expect(close).toBeLessThanOrEqual(hi);
    }
    const closedRecently = await get(`/markets?status=closed&min_close_ts=${NOW_S - DAY_S}`);
    expect(
      closedRecently.markets.every((m: Json) => Date.parse(m.close_time) / 1000 >= NOW_S - DAY_S),
    ).toBe(true);

    const created = await get(
      `/markets?status=open&min_created_ts=${NOW_S - 2 * DAY_S}&limit=1000`,
    );
    expect(
      created.markets.every(
        (m: Json) =>
          m.status === "active" && Date.parse(m.created_time) / 1000 >= NOW_S - 2 * DAY_S,
      ),
    ).toBe(true);
    const settled = await get(`/markets?min_settled_ts=${NOW_S - 30 * DAY_S}&limit=1000`);
    expect(settled.markets.length).toBeGreaterThan(0);
    expect(
      settled.markets.every(
        (m: Json) => m.status === "finalized" && typeof m.settlement_ts === "string",
      ),
    ).toBe(true);
    expect((await get("/markets?mve_filter=only")).markets).toEqual([]);
    expect((await get("/markets?mve_filter=exclude&limit=1000")).markets).toHaveLength(
      allMarkets.length,
    );
  });

  it("rejects malformed and contradictory filters naming the parameter", async () => {
    await badRequest("/markets?limit=1001", "limit");
    await badRequest("/markets?limit=-1", "limit");
    await badRequest("/markets?status=live", "status");
    await badRequest("/markets?min_close_ts=yesterday", "min_close_ts");
    await badRequest("/markets?event_ticker=A,B", "event_ticker");
    await badRequest("/markets?status=open&min_close_ts=1", "min_close_ts");
    await badRequest("/markets?status=closed&min_created_ts=1", "min_created_ts");
    await badRequest("/markets?min_close_ts=1&min_settled_ts=1", "min_settled_ts");
    await badRequest("/markets?min_updated_ts=1&status=open", "min_updated_ts");
    await badRequest("/markets?min_updated_ts=1&series_ticker=KXBTC", "mve_filter");
    await badRequest("/markets?tickerz=X", "tickerz");
    await badRequest("/markets?limit=5&limit=6", "limit");
    expect(
      (await get("/markets?min_updated_ts=1&series_ticker=KXBTC&mve_filter=exclude")).markets
        .length,
    ).toBeGreaterThan(0);
  });

  it("returns a market with grid, quote, volume and settlement fields", async () => {
    const { market } = await get(`/markets/${activeMarket.ticker}`);
    expect(market).toMatchObject({
      ticker: activeMarket.ticker,
      status: "active",
      result: "",
      price_level_structure: "linear_cent",
      price_ranges: [{ start: "0.0000", end: "1.0000", step: "0.0100" }],
      notional_value_dollars: "1.0000",
      liquidity_dollars: "0.0000",
    });
    expect(parseDollars(market.no_bid_dollars)).toBe(
      1_000_000 - parseDollars(market.yes_ask_dollars),
    );
    expect(parseDollars(market.no_ask_dollars)).toBe(
      1_000_000 - parseDollars(market.yes_bid_dollars),
    );
    expect(parseCount(market.volume_24h_fp)).toBeGreaterThan(0);
    expect(parseCount(market.volume_24h_fp)).toBeLessThan(parseCount(market.volume_fp));
    expect(market.last_price_dollars).toMatch(/^0\.\d{4}$/);

    const tapered = allMarkets.find((m) => m.priceLevelStructure === "tapered_deci_cent")!;
    const t = (await get(`/markets/${tapered.ticker}`)).market;
    expect(t.price_ranges).toEqual([
      { start: "0.0000", end: "0.1000", step: "0.0010" },
      { start: "0.1000", end: "0.9000", step: "0.0100" },
      { start: "0.9000", end: "1.0000", step: "0.0010" },
    ]);
    const finalized = allMarkets.find((m) => m.status === "finalized")!;
    const f = (await get(`/markets/${finalized.ticker}`)).market;
    expect(["yes", "no"]).toContain(f.result);
    expect(f.settlement_value_dollars).toBe(f.result === "yes" ? "1.0000" : "0.0000");
    expect(f.expiration_value).not.toBe("");
    expect(typeof f.settlement_ts).toBe("string");
    await get("/markets/NOPE", 404);
  });
});

describe("orderbooks", () => {
  it("lists bids of both legs ascending, best last, NO priced on the NO leg", async () => {
    const { orderbook_fp: book } = await get(`/markets/${midMarket.ticker}/orderbook`);
    const { market } = await get(`/markets/${midMarket.ticker}`);
    const yes = book.yes_dollars.map(([p]: string[]) => parseDollars(p!));
    const no = book.no_dollars.map(([p]: string[]) => parseDollars(p!));
    expect(yes).toEqual([...yes].sort((a, b) => a - b));
    expect(no).toEqual([...no].sort((a, b) => a - b));
    expect(book.yes_dollars.at(-1)).toEqual([market.yes_bid_dollars, market.yes_bid_size_fp]);
    expect(book.no_dollars.at(-1)).toEqual([market.no_bid_dollars, market.yes_ask_size_fp]);
    expect(yes.length).toBe(5);
    expect(no.length).toBe(5);

    const shallow = await get(`/markets/${midMarket.ticker}/orderbook?depth=2`);
    expect(shallow.orderbook_fp.yes_dollars).toEqual(book.yes_dollars.slice(-2));
    expect(shallow.orderbook_fp.no_dollars).toEqual(book.no_dollars.slice(-2));
    expect((await get(`/markets/${midMarket.ticker}/orderbook?depth=0`)).orderbook_fp).toEqual(
      book,
    );
    await badRequest(`/markets/${midMarket.ticker}/orderbook?depth=101`, "depth");
    await get("/markets/NOPE/orderbook", 404);
  });

  it("shows a user's NO bid at its NO price", async () => {
    const { state, engine } = exchange;
    const m = allMarkets.find((x) => x.status === "active" && x.seriesTicker === "KXMAYORLKP")!;
    const user = createAccount(state, { balanceCents: 1_000_000 });
    const bestBid = state.book(m.ticker).bestBid()!.price;
    // An ask (sell YES) at p is a NO bid at $1 − p; place it well above the book's asks' reach.
    const askPrice = state.book(m.ticker).bestAsk()!.price + 10_000;
    engine.placeOrder({
      userId: user.userId,
      ticker: m.ticker,
      side: "ask",
      price: askPrice,
      count: 777,
      timeInForce: "good_till_canceled",
    });
    const book = (await get(`/markets/${m.ticker}/orderbook`)).orderbook_fp;
    const level = book.no_dollars.find(
      ([p]: string[]) => parseDollars(p!) === 1_000_000 - askPrice,
    );
    expect(level?.[1]).toBeDefined();
    expect(parseCount(level![1]!)).toBeGreaterThanOrEqual(777);
    expect(book.yes_dollars.at(-1)[0]).toBe(
      (await get(`/markets/${m.ticker}`)).market.yes_bid_dollars,
    );
    expect(bestBid).toBeGreaterThan(0);
  });

  it("returns several books by repeated or comma-separated tickers", async () => {
    const [a, b] = allMarkets.filter((m) => m.status === "active");
    const repeated = await get(`/markets/orderbooks?tickers=${a!.ticker}&tickers=${b!.ticker}`);
    expect(repeated.orderbooks.map((o: Json) => o.ticker)).toEqual([a!.ticker, b!.ticker]);
    expect(repeated.orderbooks[0].orderbook_fp).toEqual(
      (await get(`/markets/${a!.ticker}/orderbook`)).orderbook_fp,
    );
    const comma = await get(`/markets/orderbooks?tickers=${a!.ticker},${b!.ticker}`);
    expect(comma).toEqual(repeated);
    await get(`/markets/orderbooks?tickers=${a!.ticker},NOPE`, 404);
    await badRequest("/markets/orderbooks", "tickers");
    await badRequest(
      `/markets/orderbooks?tickers=${Array.from({ length: 101 }, (_, i) => `T${i}`).join(",")}`,
      "tickers",
    );
  });
});

describe("trades", () => {
  it("lists trades newest first and pages without gaps or repeats", async () => {
    const ticker = activeMarket.ticker;
    const expected = [...(exchange.state.tradesByMarket.get(ticker) ?? [])]
      .reverse()
      .map((t) => t.tradeId);
    const pages = await allPages(`/markets/trades?ticker=${ticker}`, "trades", 97);
    expect(pages.map((t) => t.trade_id)).toEqual(expected);
    const first = pages[0]!;
    expect(first).toMatchObject({
      ticker,
      taker_book_side: expect.stringMatching(/^(bid|ask)$/),
      is_block_trade: expect.any(Boolean),
    });
    expect(first.taker_outcome_side).toBe(first.taker_book_side === "bid" ? "yes" : "no");
    expect(parseDollars(first.yes_price_dollars) + parseDollars(first.no_price_dollars)).toBe(
      1_000_000,
    );
  });

  it("keeps pages stable while new trades arrive", async () => {
    const page1 = await get("/markets/trades?limit=50");
    // A new trade lands between two page requests.
    const { state, engine } = exchange;
    const taker = createAccount(state, { balanceCents: 1_000_000 });
    const m = allMarkets.find((x) => x.status === "active" && x.seriesTicker === "KXCPI")!;
    clock.advance(1000);
    engine.placeOrder({
      userId: taker.userId,
      ticker: m.ticker,
      side: "bid",
      price: state.book(m.ticker).bestAsk()!.price,
      count: 100,
      timeInForce: "immediate_or_cancel",
    });
    const page2 = await get(`/markets/trades?limit=50&cursor=${page1.cursor}`);
    const all = state.trades.map((t) => t.tradeId).reverse();
    expect([...page1.trades, ...page2.trades].map((t: Json) => t.trade_id)).toEqual(
      all.slice(1, 101),
    );
    expect((await get("/markets/trades?limit=1")).trades[0].ticker).toBe(m.ticker);
  });

  it("filters by time window and block trades", async () => {
    const minTs = NOW_S - 6 * 3600;
    const maxTs = NOW_S - 3 * 3600;
    const windowed = await allPages(
      `/markets/trades?min_ts=${minTs}&max_ts=${maxTs}`,
      "trades",
      1000,
    );
    const expected = exchange.state.trades.filter(
      (t) => t.createdTime >= minTs * 1000 && t.createdTime < (maxTs + 1) * 1000,
    );
    expect(windowed).toHaveLength(expected.length);
    expect(windowed.length).toBeGreaterThan(100);
    const blocks = await get("/markets/trades?is_block_trade=true&limit=1000");
    expect(blocks.trades.length).toBeGreaterThan(0);
    expect(blocks.trades.every((t: Json) => t.is_block_trade === true)).toBe(true);
    await badRequest("/markets/trades?limit=5000", "limit");
    await badRequest("/markets/trades?min_ts=-5", "min_ts");
    await badRequest("/markets/trades?cursor=bad", "cursor");
    expect((await get("/markets/trades?ticker=NOPE")).trades).toEqual([]);
  });
});

describe("candlesticks", () => {
  const series = activeMarket.seriesTicker;
  const path = (q: string) => `/series/${series}/markets/${activeMarket.ticker}/candlesticks?${q}`;

  it("serves 1-minute, 1-hour and 1-day candles aligned to their period", async () => {
    for (const period of [1, 60, 1440]) {
      const start = NOW_S - 3 * DAY_S;
      const body = await get(path(`start_ts=${start}&end_ts=${NOW_S}&period_interval=${period}`));
      expect(body.ticker).toBe(activeMarket.ticker);
      const candles = body.candlesticks as Json[];
      expect(candles.length, `period ${period}`).toBeGreaterThan(period === 1440 ? 1 : 20);
      for (const k of candles) {
        expect(k.end_period_ts % (period * 60)).toBe(0);
        expect(k.end_period_ts).toBeGreaterThanOrEqual(start);
        expect(k.end_period_ts).toBeLessThanOrEqual(NOW_S);
        expect(Object.keys(k.yes_bid).sort()).toEqual([
          "close_dollars",
          "high_dollars",
          "low_dollars",
          "open_dollars",
        ]);
        if (parseCount(k.volume_fp) === 0) expect(k.price.close_dollars).toBeNull();
        else
          expect(parseDollars(k.price.low_dollars)).toBeLessThanOrEqual(
            parseDollars(k.price.high_dollars),
          );
      }
      const ends = candles.map((k) => k.end_period_ts);
      expect(ends).toEqual([...new Set(ends)].sort((a, b) => a - b));
    }
    // A day's volume is the sum of its hours.
    const days = (
      await get(path(`start_ts=${NOW_S - 2 * DAY_S}&end_ts=${NOW_S}&period_interval=1440`))
    ).candlesticks as Json[];
    const day = days.find((k) => k.end_period_ts <= NOW_S)!;
    const hours = (
      await get(
        path(
          `start_ts=${day.end_period_ts - DAY_S + 1}&end_ts=${day.end_period_ts}&period_interval=60`,
        ),
      )
    ).candlesticks as Json[];
    const sum = hours.reduce((s, k) => s + parseCount(k.volume_fp), 0);
    expect(sum).toBe(parseCount(day.volume_fp));
  });

  it("prepends a carried-forward candle with include_latest_before_start", async () => {
    const list = (await get(path(`start_ts=${NOW_S - DAY_S}&end_ts=${NOW_S}&period_interval=1`)))
      .candlesticks as Json[];
    // Start just after some real candle, before the next one: a gap to bridge.
    const i = list.findIndex((k, j) => j > 0 && k.end_period_ts - list[j - 1]!.end_period_ts > 120);
    expect(i).toBeGreaterThan(0);
    const prev = list[i - 1]!;
    const start = prev.end_period_ts + 1;
    const body = await get(
      path(`start_ts=${start}&end_ts=${NOW_S}&period_interval=1&include_latest_before_start=true`),
    );
    const synthetic = body.candlesticks[0];
    expect(synthetic.end_period_ts).toBe(prev.end_period_ts + 60);
    expect(synthetic.price.open_dollars).toBeNull();
    expect(synthetic.price.previous_dollars).toBe(
      prev.price.close_dollars ?? prev.price.previous_dollars,
    );
    expect(synthetic.yes_bid.open_dollars).toBe(prev.yes_bid.close_dollars);
    expect(body.candlesticks[1].end_period_ts).toBe(list[i]!.end_period_ts);
  });

  it("validates parameters and tickers", async () => {
    await badRequest(path(`start_ts=1&end_ts=2&period_interval=5`), "period_interval");
    await badRequest(path(`end_ts=2&period_interval=1`), "start_ts");
    await badRequest(path(`start_ts=3&end_ts=2&period_interval=1`), "start_ts");
    await get(
      `/series/KXBTC/markets/${activeMarket.ticker}/candlesticks?start_ts=1&end_ts=2&period_interval=1`,
      404,
    );
    await get(
      `/series/${series}/markets/NOPE/candlesticks?start_ts=1&end_ts=2&period_interval=1`,
      404,
    );
  });

  it("batches markets and caps the total", async () => {
    const [a, b] = allMarkets.filter((m) => m.status === "active");
    const q = `start_ts=${NOW_S - DAY_S}&end_ts=${NOW_S}&period_interval=60`;
    const body = await get(`/markets/candlesticks?market_tickers=${a!.ticker},${b!.ticker}&${q}`);
    expect(body.markets.map((m: Json) => m.market_ticker)).toEqual([a!.ticker, b!.ticker]);
    const single = await get(`/series/${a!.seriesTicker}/markets/${a!.ticker}/candlesticks?${q}`);
    expect(body.markets[0].candlesticks).toEqual(single.candlesticks);
    await get(`/markets/candlesticks?market_tickers=NOPE&${q}`, 404);
    await badRequest(`/markets/candlesticks?${q}`, "market_tickers");
  });

  it("serves an event's markets side by side with adjusted_end_ts", async () => {
    const event = exchange.state.events.get(activeMarket.eventTicker)!;
    const q = `start_ts=${NOW_S - DAY_S}&end_ts=${NOW_S}&period_interval=60`;
    const body = await get(`/series/${series}/events/${event.eventTicker}/candlesticks?${q}`);
    expect(body.market_tickers).toEqual(event.marketTickers);
    expect(body.market_candlesticks).toHaveLength(6);
    expect(body.market_candlesticks.every((list: Json[]) => list.length > 0)).toBe(true);
    expect(body.adjusted_end_ts).toBe(NOW_S);
    await get(`/series/KXBTC/events/${event.eventTicker}/candlesticks?${q}`, 404);
  });
});

describe("search", () => {
  it("maps categories to tags and sports to competitions", async () => {
    const { tags_by_categories: tags } = await get("/search/tags_by_categories");
    expect(tags.Crypto).toEqual(["BTC", "Hourly"]);
    expect(Object.keys(tags).sort()).toEqual([
      "Climate and Weather",
      "Crypto",
      "Economics",
      "Politics",
      "Sports",
    ]);
    const sports = await get("/search/filters_by_sport");
    expect(sports.sport_ordering).toEqual(["Football"]);
  });
});

beforeAll(() => {
  expect(activeMarket).toBeDefined();
});
