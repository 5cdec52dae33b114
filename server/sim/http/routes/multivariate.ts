/**
 * Multivariate event collections, api-reference/multivariate/*.md: list and
 * read collections (public), create (or find) the combo market for a set of
 * legs, and the deprecated lookup and lookup-history endpoints. Every rule
 * lives in server/sim/combos/combo-store.ts.
 */
import { z } from "zod";
import type { ComboLeg } from "@/server/sim/combos/combo-model";
import { comboStore } from "@/server/sim/combos/combo-store";
import { serializeCollection, serializeLookupPoint } from "@/server/sim/combos/serialize-combo";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import { parseJsonBody, parseQuery, pathParam, queryInt } from "@/server/sim/http/validation";
import { serializeMarket } from "@/server/sim/http/serialize-market";

const listQuery = z.strictObject({
  status: z.enum(["unopened", "open", "closed"]).optional(),
  associated_event_ticker: z.string().optional(),
  series_ticker: z.string().optional(),
  limit: queryInt(1, 200).optional(),
  cursor: z.string().optional(),
});

const tickerPair = z.strictObject({
  market_ticker: z.string().min(1, "must not be empty"),
  event_ticker: z.string().min(1, "must not be empty"),
  side: z.enum(["yes", "no"], "must be yes or no"),
});

const selectedMarkets = z.array(tickerPair).min(1, "name at least one market");

const createBody = z.strictObject({
  selected_markets: selectedMarkets,
  with_market_payload: z.boolean().optional(),
});

const lookupBody = z.strictObject({ selected_markets: selectedMarkets });

const historyQuery = z.strictObject({
  lookback_seconds: z.enum(["10", "60", "300", "3600"], "must be one of 10, 60, 300 or 3600"),
});

function legsOf(pairs: z.infer<typeof tickerPair>[]): ComboLeg[] {
  return pairs.map((p) => ({
    marketTicker: p.market_ticker,
    eventTicker: p.event_ticker,
    side: p.side,
  }));
}

export const registerMultivariateRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;
  const store = () => comboStore(state);

  // GET /multivariate_event_collections – collections, filtered, paginated
  app.get("/multivariate_event_collections", (c) => {
    const q = parseQuery(c, listQuery);
    const all = [...store().collections.values()].filter(
      (col) =>
        (q.status === undefined || store().statusOf(col) === q.status) &&
        (q.series_ticker === undefined || col.seriesTicker === q.series_ticker) &&
        (q.associated_event_ticker === undefined ||
          col.associatedEvents.some((e) => e.ticker === q.associated_event_ticker)),
    );
    const page = paginate(all, q.cursor, q.limit ?? 100);
    return c.json({
      multivariate_contracts: page.items.map(serializeCollection),
      cursor: page.cursor,
    });
  });

  // GET /multivariate_event_collections/{collection_ticker} – one collection
  app.get("/multivariate_event_collections/:collection_ticker", (c) => {
    const collection = store().collection(pathParam(c, "collection_ticker"));
    return c.json({ multivariate_contract: serializeCollection(collection) });
  });

  // POST /multivariate_event_collections/{collection_ticker} – create or find the combo market for these legs
  app.post("/multivariate_event_collections/:collection_ticker", async (c) => {
    const ticker = pathParam(c, "collection_ticker");
    const body = await parseJsonBody(c, createBody);
    const combo = store().createOrFind(ticker, legsOf(body.selected_markets));
    const market = state.market(combo.marketTicker);
    return c.json({
      event_ticker: combo.eventTicker,
      market_ticker: combo.marketTicker,
      ...(body.with_market_payload && market ? { market: serializeMarket(state, market) } : {}),
    });
  });

  // PUT /multivariate_event_collections/{collection_ticker}/lookup – an already created combo's tickers
  app.put("/multivariate_event_collections/:collection_ticker/lookup", async (c) => {
    const ticker = pathParam(c, "collection_ticker");
    const body = await parseJsonBody(c, lookupBody);
    const combo = store().lookup(ticker, legsOf(body.selected_markets));
    return c.json({ event_ticker: combo.eventTicker, market_ticker: combo.marketTicker });
  });

  // GET /multivariate_event_collections/{collection_ticker}/lookup – recently created or looked-up combos
  app.get("/multivariate_event_collections/:collection_ticker/lookup", (c) => {
    const q = parseQuery(c, historyQuery);
    const combos = store().lookupHistory(
      pathParam(c, "collection_ticker"),
      Number(q.lookback_seconds) * 1000,
    );
    return c.json({ lookup_points: combos.map(serializeLookupPoint) });
  });
};
