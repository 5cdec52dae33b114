/**
 * Conformance: the unchanged `kalshi-typescript` MultivariateApi (and the
 * Market/RFQ models' combo fields) against a running, seeded simulator; the
 * deprecated lookup endpoints, which the SDK no longer wraps, over signed
 * fetches of the same key. Ends with the RFQ maker bot quoting a combo RFQ
 * within seconds for a requester alone.
 */
import axios from "axios";
import {
  CommunicationsApi,
  Configuration,
  MarketApi,
  MultivariateApi,
  type TickerPair,
} from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey, type NewApiKey } from "@/server/sim/accounts";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addUser } from "@/server/sim/testing/engine-fixtures";
import { sdkRejection } from "@/server/sim/testing/sdk-clients";
import { signRequest } from "@/server/sim/testing/signed-fetch";
import { msgOf, signedHeaders, TestClient } from "@/server/sim/ws/test-support";
import { sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";

let sim: RunningSim;
let key: NewApiKey;
let multivariate: MultivariateApi;
let communications: CommunicationsApi;
let markets: MarketApi;

const conforms = (model: string, data: unknown) =>
  expect(sdkShapeProblems(model, data)).toEqual([]);

beforeAll(async () => {
  // The RFQ maker bot runs with a short delay; the market bots stay off to keep the test quiet.
  sim = await startSimExchange({
    port: 0,
    bots: false,
    rfqMaker: { quoteDelayMs: 200, intervalMs: 50, lapseProbability: 0 },
    tickMs: 50,
  });
  const user = addUser(sim.exchange.state, 1_000_000);
  user.tier = "advanced";
  key = generateApiKey(sim.exchange.state, user, "multivariate sdk test");
  const configuration = new Configuration({
    basePath: sim.restBaseUrl,
    apiKey: key.apiKeyId,
    privateKeyPem: key.privateKeyPem,
  });
  multivariate = new MultivariateApi(configuration, undefined, axios.create());
  communications = new CommunicationsApi(configuration, undefined, axios.create());
  markets = new MarketApi(configuration, undefined, axios.create());
});

afterAll(async () => {
  await sim?.close();
});

/** Two legs from the first two events of the game-day collection: each event's first market. */
async function gameDayLegs(): Promise<{ collection: string; legs: TickerPair[] }> {
  const list = await multivariate.getMultivariateEventCollections(
    "open",
    undefined,
    "KXMVEGAMEDAY",
  );
  const collection = list.data.multivariate_contracts[0];
  if (!collection) throw new Error("no open game-day collection seeded");
  const legs = collection.associated_events.slice(0, 2).map((event, i) => {
    const first = sim.exchange.state.events.get(event.ticker)?.marketTickers[0] ?? "";
    return {
      market_ticker: first,
      event_ticker: event.ticker,
      side: i === 0 ? "yes" : "no",
    } as TickerPair;
  });
  return { collection: collection.collection_ticker, legs };
}

/** A signed fetch with the test key (for the deprecated lookup endpoints). */
async function signed(method: string, path: string, body?: unknown): Promise<Response> {
  const url = new URL(sim.restBaseUrl + path);
  const headers = signRequest({
    apiKeyId: key.apiKeyId,
    privateKey: key.privateKeyPem,
    method,
    path: url.pathname,
  });
  return fetch(url, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("MultivariateApi through the official SDK", () => {
  it("lists and reads the seeded collections", async () => {
    const list = await multivariate.getMultivariateEventCollections();
    conforms("get-multivariate-event-collections-response", list.data);
    const tickers = list.data.multivariate_contracts.map((c) => c.collection_ticker);
    expect(tickers).toContain("KXMVEECONREL");
    expect(tickers.some((t) => t.startsWith("KXMVEGAMEDAY-"))).toBe(true);
    const one = await multivariate.getMultivariateEventCollection("KXMVEECONREL");
    conforms("get-multivariate-event-collection-response", one.data);
    expect(one.data.multivariate_contract.size_min).toBe(2);
    const missing = await sdkRejection(multivariate.getMultivariateEventCollection("KXMVENOPE"));
    expect(missing.status).toBe(404);
  });

  it("creates a combo once for the same legs, with its market payload and combo fields", async () => {
    const { collection, legs } = await gameDayLegs();
    const first = await multivariate.createMarketInMultivariateEventCollection(collection, {
      selected_markets: legs,
      with_market_payload: true,
    });
    conforms("create-market-in-multivariate-event-collection-response", first.data);
    conforms("market", first.data.market);
    expect(first.data.market?.mve_collection_ticker).toBe(collection);
    expect(first.data.market?.mve_selected_legs?.map((l) => l.market_ticker).sort()).toEqual(
      legs.map((l) => l.market_ticker).sort(),
    );
    const again = await multivariate.createMarketInMultivariateEventCollection(collection, {
      selected_markets: [...legs].reverse(),
    });
    expect(again.data.market_ticker).toBe(first.data.market_ticker);
    expect(again.data.market).toBeUndefined();

    const market = await markets.getMarket(first.data.market_ticker);
    conforms("get-market-response", market.data);
    expect(market.data.market.mve_collection_ticker).toBe(collection);

    // The deprecated lookup endpoints (not in the SDK): tickers of an existing combo, and the history.
    const lookup = await signed("PUT", `/multivariate_event_collections/${collection}/lookup`, {
      selected_markets: legs,
    });
    expect(lookup.status).toBe(200);
    expect(await lookup.json()).toEqual({
      event_ticker: first.data.event_ticker,
      market_ticker: first.data.market_ticker,
    });
    const history = await fetch(
      `${sim.restBaseUrl}/multivariate_event_collections/${collection}/lookup?lookback_seconds=60`,
    );
    const points = (await history.json()) as { lookup_points: Array<{ market_ticker: string }> };
    expect(points.lookup_points.map((p) => p.market_ticker)).toContain(first.data.market_ticker);
  });

  it("refuses bad legs with 400 and lists nothing new", async () => {
    const { collection, legs } = await gameDayLegs();
    const before = sim.exchange.state.markets.size;
    const [a] = legs as [TickerPair];
    const tooFew = await sdkRejection(
      multivariate.createMarketInMultivariateEventCollection(collection, { selected_markets: [a] }),
    );
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.code).toBe("invalid_parameters");
    const foreign = await sdkRejection(
      multivariate.createMarketInMultivariateEventCollection(collection, {
        selected_markets: [
          a,
          { market_ticker: "KXCPI-X", event_ticker: "KXCPI-26NOV", side: "yes" },
        ],
      }),
    );
    expect(foreign.status).toBe(400);
    expect(String(foreign.body.message)).toContain("selected_markets[1]");
    const lookupMissing = await signed(
      "PUT",
      `/multivariate_event_collections/${collection}/lookup`,
      {
        selected_markets: [{ ...a, side: a.side === "yes" ? "no" : "yes" }, legs[1]],
      },
    );
    expect(lookupMissing.status).toBe(404);
    expect(sim.exchange.state.markets.size).toBe(before);
  });

  it("rfq_created on the communications channel carries the combo's collection and legs", async () => {
    const ws = await TestClient.connect(sim.wsUrl, signedHeaders(key));
    try {
      await ws.command({ id: 1, cmd: "subscribe", params: { channels: ["communications"] } });
      const { collection, legs } = await gameDayLegs();
      const combo = await multivariate.createMarketInMultivariateEventCollection(collection, {
        selected_markets: legs,
      });
      await communications.createRFQ({
        market_ticker: combo.data.market_ticker,
        contracts_fp: "1.00",
        rest_remainder: false,
        replace_existing: true,
      });
      const frame = await ws.waitFor(
        (f) => f.type === "rfq_created" && msgOf(f).market_ticker === combo.data.market_ticker,
      );
      const msg = msgOf(frame);
      expect(msg.mve_collection_ticker).toBe(collection);
      // websockets/communications.md: each leg has event_ticker, market_ticker, side (all strings).
      for (const leg of msg.mve_selected_legs as Array<Record<string, unknown>>) {
        expect(Object.keys(leg).sort()).toEqual(["event_ticker", "market_ticker", "side"]);
        for (const value of Object.values(leg)) expect(typeof value).toBe("string");
      }
    } finally {
      ws.close();
    }
  });

  it("a requester alone gets a quote from the RFQ maker bot on a combo, wider than on its legs", async () => {
    const { collection, legs } = await gameDayLegs();
    const combo = await multivariate.createMarketInMultivariateEventCollection(collection, {
      selected_markets: legs,
    });
    const created = await communications.createRFQ({
      market_ticker: combo.data.market_ticker,
      contracts_fp: "10.00",
      rest_remainder: false,
      replace_existing: true,
    });
    const rfq = await communications.getRFQ(created.data.id);
    conforms("get-rfqresponse", rfq.data);
    expect(rfq.data.rfq.mve_collection_ticker).toBe(collection);
    expect(rfq.data.rfq.mve_selected_legs).toHaveLength(2);

    let quotes: Awaited<ReturnType<CommunicationsApi["getQuotes"]>>["data"]["quotes"] = [];
    await expect
      .poll(
        async () => {
          const list = await communications.getQuotes(
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            "self",
            undefined,
            undefined,
            created.data.id,
          );
          quotes = list.data.quotes;
          return quotes.length;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThan(0);
    const quote = quotes[0];
    if (!quote) throw new Error("no quote");
    const yes = Number(quote.yes_bid_dollars);
    const no = Number(quote.no_bid_dollars);
    // $0.05 below fair on each side: the two bids leave at least $0.10 to the bot.
    expect(yes + no).toBeLessThanOrEqual(0.9 + 1e-9);
    const fair = sim.exchange.state.market(combo.data.market_ticker)?.fairValue ?? 0;
    expect(yes).toBeLessThan(fair / 1e6);
  });
});
