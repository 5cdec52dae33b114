/**
 * One history list per kind across Kalshi's two tiers. Fills and orders older
 * than `GET /historical/cutoff` are only served by `/historical/*`; a page
 * cursor of ours (`live:…` / `historical:…`) says which tier to read next, so
 * a trader's whole history scrolls as one list. Settlements and transfers have
 * no historical tier.
 */
import type { FillsQuery } from "@/lib/schemas/portfolio";
import type {
  HistoryItem,
  HistoryKind,
  HistoryPage,
  HistoryQuery,
} from "@/lib/schemas/portfolio-history";
import { historyKey } from "@/lib/portfolio/history-rows";
import type { KalshiClient } from "@/server/kalshi/client";

const DEFAULT_LIMIT = 100;
/** Historical pages may be thinned by the subaccount filter; read on at most this many to fill one. */
const MAX_EMPTY_HOPS = 5;

interface ParsedCursor {
  tier: "live" | "historical";
  upstream: string | undefined;
}

function parseCursor(cursor: string | undefined): ParsedCursor {
  if (!cursor) return { tier: "live", upstream: undefined };
  const colon = cursor.indexOf(":");
  const tier = cursor.slice(0, colon) === "historical" ? "historical" : "live";
  const upstream = cursor.slice(colon + 1);
  return { tier, upstream: upstream === "" ? undefined : upstream };
}

const hasHistoricalTier = (kind: HistoryKind) => kind === "fills" || kind === "orders";

/** The next page of `kind` for `query`; `cursor` "" when the whole history has been read. */
export async function pageHistory<K extends HistoryKind>(
  client: KalshiClient,
  kind: K,
  query: HistoryQuery,
  signal?: AbortSignal,
): Promise<HistoryPage<K>> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  let { tier, upstream } = parseCursor(query.cursor);
  for (let hop = 0; ; hop += 1) {
    const { items, next } = await readTier(client, kind, tier, query, limit, upstream, signal);
    if (next) {
      if (items.length === 0 && hop < MAX_EMPTY_HOPS) {
        upstream = next;
        continue;
      }
      return { kind, items, tier, cursor: `${tier}:${next}` };
    }
    // This tier is done: the live tier hands over to the historical one, unless
    // the time filter starts at or after the cutoff (nothing older can match).
    if (tier === "live" && hasHistoricalTier(kind)) {
      if (await rangeAfterCutoff(client, kind, query, signal))
        return { kind, items, tier, cursor: "" };
      if (items.length > 0) return { kind, items, tier, cursor: "historical:" };
      tier = "historical";
      upstream = undefined;
      continue;
    }
    return { kind, items, tier, cursor: "" };
  }
}

/**
 * Whether `query.min_ts` is at or after the tier's cutoff (`GET /historical/cutoff`,
 * cached a minute by the client): the historical tier then holds nothing in
 * range. Unknown (no min_ts, or the cutoff unreadable) reads on.
 */
async function rangeAfterCutoff(
  client: KalshiClient,
  kind: HistoryKind,
  query: HistoryQuery,
  signal?: AbortSignal,
): Promise<boolean> {
  if (query.min_ts === undefined) return false;
  const cutoff = await client.getHistoricalCutoff(signal).catch(() => undefined);
  if (!cutoff) return false;
  const at = Date.parse(kind === "fills" ? cutoff.trades_created_ts : cutoff.orders_updated_ts);
  return Number.isFinite(at) && query.min_ts * 1000 >= at;
}

async function readTier<K extends HistoryKind>(
  client: KalshiClient,
  kind: K,
  tier: "live" | "historical",
  query: HistoryQuery,
  limit: number,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<{ items: Array<HistoryItem<K>>; next: string }> {
  const base = { limit, cursor, ticker: query.ticker, min_ts: query.min_ts, max_ts: query.max_ts };
  const sub = query.subaccount;
  const ofSub = (n: number | null | undefined) => sub === undefined || (n ?? 0) === sub;
  switch (kind) {
    case "fills": {
      const filter: FillsQuery = { ...base };
      const answer =
        tier === "live"
          ? await client.listFills({ ...filter, subaccount: sub }, signal)
          : await client.listHistoricalFills(filter, signal);
      return {
        items: answer.fills.filter((f) => ofSub(f.subaccount_number)) as Array<HistoryItem<K>>,
        next: answer.cursor,
      };
    }
    case "orders": {
      const answer =
        tier === "live"
          ? await client.listOrders({ ...base, subaccount: sub }, signal)
          : await client.listHistoricalOrders(base, signal);
      return {
        items: answer.orders.filter((o) => ofSub(o.subaccount_number)) as Array<HistoryItem<K>>,
        next: answer.cursor,
      };
    }
    case "settlements": {
      const answer = await client.listSettlements({ ...base, subaccount: sub }, signal);
      return { items: answer.settlements as Array<HistoryItem<K>>, next: answer.cursor };
    }
    case "transfers": {
      // Kalshi's transfer list takes no filters: subaccount and time are applied here.
      const answer = await client.listSubaccountTransfers({ limit, cursor }, signal);
      const items = answer.transfers.filter(
        (t) =>
          (sub === undefined || t.from_subaccount === sub || t.to_subaccount === sub) &&
          (query.min_ts === undefined || t.created_ts >= query.min_ts) &&
          (query.max_ts === undefined || t.created_ts <= query.max_ts),
      );
      return { items: items as Array<HistoryItem<K>>, next: answer.cursor };
    }
    default:
      throw new Error(`unknown history kind ${String(kind)}`);
  }
}

/**
 * Every item of `kind`, page by page (CSV export), each record once. Holds
 * one page of records at a time, plus the ids of the live tier's records of
 * kinds with a historical tier: if the cutoff advances during the export, a
 * record read live may turn up again in the historical tier, and that second
 * copy is skipped (the same rule as the browser's list, lib/portfolio/history-rows.ts).
 */
export async function* eachHistoryItem<K extends HistoryKind>(
  client: KalshiClient,
  kind: K,
  query: Omit<HistoryQuery, "cursor" | "limit">,
  signal?: AbortSignal,
): AsyncGenerator<HistoryItem<K>> {
  const liveIds = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await pageHistory(client, kind, { ...query, cursor, limit: 200 }, signal);
    for (const item of page.items) {
      if (hasHistoricalTier(kind)) {
        const key = historyKey(kind, item);
        if (page.tier === "live") liveIds.add(key);
        else if (liveIds.has(key)) continue;
      }
      yield item;
    }
    cursor = page.cursor || undefined;
  } while (cursor);
}
