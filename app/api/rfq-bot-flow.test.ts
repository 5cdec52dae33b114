/**
 * A requester alone, through the BFF, against the simulator with its RFQ
 * maker bot at its default timing (the only maker present): an RFQ on a
 * single market gets the bot's quote within seconds; accepting it, the bot
 * confirms and the trade executes into the requester's position. Combos:
 * the same legs in any order find one combo market, bad legs are refused
 * with the exchange's documented 400 naming the leg and create nothing, and
 * an RFQ on the combo gets the bot's wider quote.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as collection from "@/app/api/collections/[ticker]/route";
import * as collections from "@/app/api/collections/route";
import * as positions from "@/app/api/portfolio/positions/route";
import * as acceptQuote from "@/app/api/quotes/[quoteId]/accept/route";
import * as quote from "@/app/api/quotes/[quoteId]/route";
import * as quotes from "@/app/api/quotes/route";
import * as rfqs from "@/app/api/rfqs/route";
import { parseDollars } from "@/lib/fixed-point";
import type { Collection } from "@/lib/schemas/collection";
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
let market: MarketRecord;

beforeAll(async () => {
  // The RFQ maker bot with its defaults (1.5 s before quoting), never letting a window lapse.
  h = await startBffHarness({ rfqMaker: { lapseProbability: 0 } });
  requester = await h.trader("alone@example.com", { balanceCents: 200_000, tier: "advanced" });
  const found = [...h.sim.exchange.state.markets.values()].find(
    (m) =>
      m.status === "active" &&
      m.priceLevelStructure === "linear_cent" &&
      !m.ticker.startsWith("KXMVE"),
  );
  if (!found) throw new Error("no active linear_cent market in the seeded simulator");
  market = found;
  // High-volatility timing (3 s to confirm, 1 s to execute) keeps the flow quick on a real clock.
  h.sim.exchange.rfqDesk.configure({ isHighVolatility: () => true });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const get = (handler: unknown, path: string, params?: Record<string, string>) =>
  h.call(handler as Handler, { method: "GET", path, params, cookie: requester.cookie });
const post = (handler: unknown, path: string, body?: unknown, params?: Record<string, string>) =>
  h.call(handler as Handler, { method: "POST", path, body, params, cookie: requester.cookie });

interface QuoteView {
  id: string;
  status: string;
  yes_bid_dollars: string;
  no_bid_dollars: string;
}

/** Polls the requester's quotes on `rfqId` until one is there; returns it and how long it took. */
async function firstQuote(rfqId: string): Promise<{ quote: QuoteView; ms: number }> {
  const started = Date.now();
  let found: QuoteView | undefined;
  await expect
    .poll(
      async () => {
        const list = await get(quotes.GET, `/api/quotes?role=requester&rfq_id=${rfqId}`);
        found = (list.body.quotes as QuoteView[] | undefined)?.[0];
        return found !== undefined;
      },
      { timeout: 10_000, interval: 100 },
    )
    .toBe(true);
  return { quote: found as QuoteView, ms: Date.now() - started };
}

describe("the RFQ maker bot and a requester alone", () => {
  it("quotes a single-market RFQ within seconds, confirms the acceptance, and the fill lands", async () => {
    const created = await post(rfqs.POST, "/api/rfqs", {
      market_ticker: market.ticker,
      contracts: "5",
    });
    expect(created.status, created.text).toBe(201);
    const rfqId = String(created.body.id);
    const { quote: q, ms } = await firstQuote(rfqId);
    console.log(`rfq-bot-flow: first bot quote on a single market after ${ms} ms`);
    const yes = parseDollars(q.yes_bid_dollars);
    const no = parseDollars(q.no_bid_dollars);
    // Two cents below fair value on each side: the pair leaves the bot at least $0.04.
    expect(yes + no).toBeLessThanOrEqual(parseDollars("0.96"));
    expect(no).toBeGreaterThan(0);

    const accepted = await post(
      acceptQuote.POST,
      `/api/quotes/${q.id}/accept`,
      { accepted_side: "no" },
      { quoteId: q.id },
    );
    expect(accepted.status, accepted.text).toBe(200);
    await expect
      .poll(
        async () =>
          ((await get(quote.GET, `/api/quotes/${q.id}`, { quoteId: q.id })).body.quote as QuoteView)
            .status,
        { timeout: 10_000, interval: 100 },
      )
      .toBe("executed");
    const held = await get(positions.GET, `/api/portfolio/positions?ticker=${market.ticker}`);
    const position = (
      held.body.market_positions as Array<{ ticker: string; position_fp: string }>
    ).find((p) => p.ticker === market.ticker);
    // Accepting NO buys YES at $1 − the no bid.
    expect(position?.position_fp).toBe("5.00");
  });
});

describe("combos through the BFF", () => {
  let open: Collection;

  beforeAll(async () => {
    const list = await get(
      collections.GET,
      "/api/collections?status=open&series_ticker=KXMVEGAMEDAY",
    );
    expect(list.status, list.text).toBe(200);
    const first = (list.body.multivariate_contracts as Collection[])[0];
    if (!first) throw new Error("no open game-day collection seeded");
    open = first;
  });

  /** The first market of each of the collection's first two events. */
  function legs() {
    return open.associated_events.slice(0, 2).map((event, i) => ({
      market_ticker: h.sim.exchange.state.events.get(event.ticker)?.marketTickers[0] ?? "",
      event_ticker: event.ticker,
      side: i === 0 || event.is_yes_only ? ("yes" as const) : ("no" as const),
    }));
  }
  const create = (selected_markets: unknown) =>
    post(
      collection.POST,
      `/api/collections/${open.collection_ticker}`,
      { selected_markets },
      { ticker: open.collection_ticker },
    );

  it("finds one combo market for the same legs in any order", async () => {
    const before = h.sim.exchange.state.markets.size;
    const first = await create(legs());
    expect(first.status, first.text).toBe(200);
    const again = await create([...legs()].reverse());
    expect(again.status, again.text).toBe(200);
    expect(again.body.market_ticker).toBe(first.body.market_ticker);
    expect(String(first.body.market_ticker).startsWith(`${open.series_ticker}-`)).toBe(true);
    expect(h.sim.exchange.state.markets.size).toBe(before + 1);
  });

  it("refuses bad legs with the exchange's 400 naming the leg, and creates nothing", async () => {
    const [a, b] = legs() as [ReturnType<typeof legs>[number], ReturnType<typeof legs>[number]];
    const before = h.sim.exchange.state.markets.size;
    const cases: Array<[unknown, string]> = [
      [[a], "legs"], // fewer than size_min
      [[a, { ...b, event_ticker: "KXNOTINIT-26JAN01" }], "selected_markets[1]"],
      [[a, { ...b, market_ticker: a.market_ticker }], "selected_markets[1]"],
    ];
    for (const [selected, names] of cases) {
      const refused = await create(selected);
      expect(refused.status, refused.text).toBe(400);
      expect(errorOf(refused)?.code).toBe("invalid_parameters");
      expect(errorOf(refused)?.message).toContain(names);
    }
    expect(h.sim.exchange.state.markets.size).toBe(before);
  });

  it("gets the bot's quote on a combo RFQ, wider than on a single market", async () => {
    const combo = await create(legs());
    const created = await post(rfqs.POST, "/api/rfqs", {
      market_ticker: combo.body.market_ticker,
      contracts: "3",
    });
    expect(created.status, created.text).toBe(201);
    const { quote: q, ms } = await firstQuote(String(created.body.id));
    console.log(`rfq-bot-flow: first bot quote on a combo after ${ms} ms`);
    // Five cents below fair value on each side: at least $0.10 left to the bot.
    expect(parseDollars(q.yes_bid_dollars) + parseDollars(q.no_bid_dollars)).toBeLessThanOrEqual(
      parseDollars("0.90"),
    );
  });
});
