/**
 * An in-memory full-text index over the exchange's series, event and market
 * titles and tickers, for the instant search box (GET /api/search).
 *
 * Kalshi's own search endpoints only list tags and sport filters, so the
 * index is built from the public market-data endpoints (series, and events
 * with nested markets, paged) and rebuilt in the background once it is older
 * than REFRESH_MS; a query never waits for a rebuild except the very first.
 * One index per process and exchange, kept on globalThis like the database.
 */
import type { KalshiEvent, Market, Series } from "@/lib/schemas/market";
import type { SearchHit, SearchHitKind, SearchResponse } from "@/lib/schemas/search";
import type { KalshiMarketDataClient } from "@/server/kalshi/client";

/** A minute: titles and listings change slowly; prices are not indexed. */
const REFRESH_MS = 60_000;
/** Events per page (Kalshi's maximum for GET /events). */
const EVENT_PAGE = 200;
/** Bounds a rebuild on a large exchange: 50 pages = 10,000 events. */
const MAX_EVENT_PAGES = 50;

interface Doc {
  hit: SearchHit;
  /** Lower-cased, accent-free ticker. */
  ticker: string;
  /** Words of the title, subtitle and ticker parts. */
  words: string[];
  /** The whole searchable text, for substring matches of longer fragments. */
  text: string;
  /** Small boost: open markets and series first on ties. */
  boost: number;
}

export interface SearchIndex {
  docs: Doc[];
  builtAt: number;
}

/** Lower-case, strip accents, keep letters, digits and dots. */
export function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

function wordsOf(text: string): string[] {
  return normalize(text)
    .split(/[^a-z0-9.]+/)
    .map((word) => word.replace(/^\.+|\.+$/g, ""))
    .filter((word) => word.length > 0);
}

function makeDoc(hit: SearchHit, extra: string[], boost: number): Doc {
  const parts = [hit.title, hit.subtitle, hit.ticker, ...hit.ticker.split(/[-_]/), ...extra];
  const words = [...new Set(parts.flatMap(wordsOf))];
  return {
    hit,
    ticker: normalize(hit.ticker),
    words,
    text: normalize(parts.join(" ")),
    boost,
  };
}

const LIVE_STATUSES = new Set(["active", "open"]);

/** Builds index documents from exchange listings (pure; exported for tests). */
export function buildIndex(
  series: readonly Series[],
  events: readonly KalshiEvent[],
  now: number,
): SearchIndex {
  const docs: Doc[] = [];
  const categoryOf = new Map<string, string>();
  for (const s of series) {
    categoryOf.set(s.ticker, s.category);
    docs.push(
      makeDoc(
        {
          kind: "series",
          ticker: s.ticker,
          title: s.title,
          subtitle: s.frequency,
          category: s.category,
          status: "",
          href: `/markets?series=${encodeURIComponent(s.ticker)}`,
        },
        [s.category, ...(s.tags ?? [])],
        2,
      ),
    );
  }
  for (const event of events) {
    const category = event.category ?? categoryOf.get(event.series_ticker) ?? "";
    docs.push(
      makeDoc(
        {
          kind: "event",
          ticker: event.event_ticker,
          title: event.title,
          subtitle: event.sub_title,
          category,
          status: "",
          href: `/events/${encodeURIComponent(event.event_ticker)}`,
        },
        [],
        1,
      ),
    );
    for (const market of event.markets ?? []) docs.push(marketDoc(market, event, category));
  }
  return { docs, builtAt: now };
}

function marketDoc(market: Market, event: KalshiEvent, category: string): Doc {
  return makeDoc(
    {
      kind: "market",
      ticker: market.ticker,
      title: market.title,
      subtitle: market.yes_sub_title,
      category,
      status: market.status,
      href: `/markets/${encodeURIComponent(market.ticker)}`,
    },
    [event.title],
    LIVE_STATUSES.has(market.status) ? 1 : 0,
  );
}

/**
 * Ranks documents for `query`: every query word must match (a word of the
 * document starting with it, or a substring of the text for fragments of
 * three characters or more). An exact ticker beats a ticker prefix beats
 * title matches; ties go to series, then live markets, then shorter titles.
 */
export function searchIndex(
  index: SearchIndex,
  query: string,
  options: { limit?: number; kind?: SearchHitKind } = {},
): SearchHit[] {
  const limit = options.limit ?? 20;
  const q = normalize(query.trim());
  const terms = wordsOf(q);
  if (terms.length === 0) return [];
  const scored: Array<{ doc: Doc; score: number }> = [];
  for (const doc of index.docs) {
    if (options.kind && doc.hit.kind !== options.kind) continue;
    let score = 0;
    if (doc.ticker === q) score += 1000;
    else if (doc.ticker.startsWith(q)) score += 200;
    let matchedAll = true;
    for (const term of terms) {
      let best = 0;
      for (const word of doc.words) {
        if (word === term) best = Math.max(best, 12);
        else if (word.startsWith(term)) best = Math.max(best, 8);
      }
      if (best === 0 && term.length >= 3 && doc.text.includes(term)) best = 3;
      if (best === 0) {
        matchedAll = false;
        break;
      }
      score += best;
    }
    if (!matchedAll) continue;
    score += doc.boost * 2 - Math.min(doc.hit.title.length, 200) / 200;
    scored.push({ doc, score });
  }
  scored.sort((a, b) => b.score - a.score || a.doc.hit.ticker.localeCompare(b.doc.hit.ticker));
  return scored.slice(0, limit).map((entry) => entry.doc.hit);
}

async function fetchListings(
  client: KalshiMarketDataClient,
): Promise<{ series: Series[]; events: KalshiEvent[] }> {
  const [{ series }, events] = await Promise.all([client.listSeries(), fetchAllEvents(client)]);
  return { series, events };
}

async function fetchAllEvents(client: KalshiMarketDataClient): Promise<KalshiEvent[]> {
  const events: KalshiEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_EVENT_PAGES; page++) {
    const answer = await client.listEvents({
      limit: EVENT_PAGE,
      cursor,
      with_nested_markets: true,
    });
    events.push(...answer.events);
    if (!answer.cursor) break;
    cursor = answer.cursor;
  }
  return events;
}

interface IndexSlot {
  index?: SearchIndex;
  building?: Promise<SearchIndex>;
}

const GLOBAL_KEY = Symbol.for("kalshi-dashboard.search-index");
type GlobalWithIndex = typeof globalThis & { [GLOBAL_KEY]?: Map<string, IndexSlot> };

function slots(): Map<string, IndexSlot> {
  const g = globalThis as GlobalWithIndex;
  return (g[GLOBAL_KEY] ??= new Map());
}

/**
 * The index for the exchange behind `client`, keyed by `key` (its REST URL).
 * Fresh: returned as is. Stale: returned as is while a rebuild runs. None yet:
 * built now. A failed background rebuild keeps the old index (and is logged).
 */
export async function getSearchIndex(
  key: string,
  client: KalshiMarketDataClient,
  now: () => number = Date.now,
): Promise<SearchIndex> {
  const slot = slots().get(key) ?? {};
  slots().set(key, slot);
  const rebuild = () => {
    slot.building ??= fetchListings(client)
      .then(({ series, events }) => {
        slot.index = buildIndex(series, events, now());
        return slot.index;
      })
      .finally(() => {
        slot.building = undefined;
      });
    return slot.building;
  };
  if (!slot.index) return rebuild();
  if (now() - slot.index.builtAt > REFRESH_MS) {
    rebuild().catch((error: unknown) => {
      console.error(
        JSON.stringify({
          at: "server/search",
          what: "search index refresh failed; serving the previous index",
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  }
  return slot.index;
}

/** Runs a query against the (possibly refreshed) index of `key`'s exchange. */
export async function search(
  key: string,
  client: KalshiMarketDataClient,
  query: { q: string; limit?: number; kind?: SearchHitKind },
): Promise<SearchResponse> {
  const index = await getSearchIndex(key, client);
  return {
    hits: searchIndex(index, query.q, { limit: query.limit, kind: query.kind }),
    indexed: index.docs.length,
    refreshed_at: new Date(index.builtAt).toISOString(),
  };
}

/** Forgets every index (tests). */
export function resetSearchIndexesForTests(): void {
  slots().clear();
}
