/**
 * Reads that reach past memory into the history tier (retention.ts): pages of
 * fills and trades that continue from the oldest record in memory to the
 * evicted ones, and an order looked up by id wherever it is. Records keep
 * their global index (the n-th fill ever is index n in memory and on disk),
 * which is the page cursor, so eviction between two pages shifts nothing.
 */
import { simErrors } from "@/server/sim/errors";
import type { FillRecord, OrderRecord, TradeRecord } from "@/server/sim/model";
import type { HistoryBlockSummary } from "@/server/sim/retention";
import type { SimState } from "@/server/sim/state";

export function encodeIndexCursor(index: number): string {
  return Buffer.from(`i:${index}`).toString("base64url");
}

export function decodeIndexCursor(cursor: string): number {
  const match = /^i:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const index = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(index)) {
    throw simErrors.invalidParameters("cursor: not a cursor returned by this endpoint");
  }
  return index;
}

/** The evicted trades (of `ticker`, or all), newest first below a sequence number; none without a history tier. */
export function evictedTrades(
  state: SimState,
  ticker: string | undefined,
): ((beforeSeq: number) => Iterable<TradeRecord>) | undefined {
  const history = state.retention.history;
  if (!history) return undefined;
  return function* (beforeSeq) {
    const mayMatch = (block: HistoryBlockSummary) =>
      ticker === undefined || block.hasTicker(ticker);
    for (const [, trade] of history.newestFirst("trades", beforeSeq, mayMatch)) {
      if (ticker === undefined || trade.ticker === ticker) yield trade;
    }
  };
}

export interface IndexPage<T> {
  items: T[];
  /** Cursor of the next page (the global index below which it starts), or null at the end. */
  next: number | null;
}

/**
 * One page of fills newest first with global index < `before`: the matching
 * fills in memory, then on disk (blocks `mayMatch` rejects are not read).
 */
export function historicalFillsPage(
  state: SimState,
  query: {
    before: number;
    limit: number;
    matches: (fill: FillRecord) => boolean;
    mayMatch: (block: HistoryBlockSummary) => boolean;
  },
): IndexPage<FillRecord> {
  const { fills, retention } = state;
  const base = retention.evicted.fills;
  const items: FillRecord[] = [];
  let lastIndex = 0;
  const take = (index: number, fill: FillRecord): "full" | "taken" | "skipped" => {
    if (!query.matches(fill)) return "skipped";
    if (items.length === query.limit) return "full";
    items.push(fill);
    lastIndex = index;
    return "taken";
  };
  for (let i = Math.min(fills.length, query.before - base) - 1; i >= 0; i -= 1) {
    if (take(base + i, fills[i] as FillRecord) === "full") return { items, next: lastIndex };
  }
  const evicted = retention.history?.newestFirst(
    "fills",
    Math.min(query.before, base),
    query.mayMatch,
  );
  for (const [index, fill] of evicted ?? []) {
    if (take(index, fill) === "full") return { items, next: lastIndex };
  }
  return { items, next: null };
}

/** An order by id: in memory, or (finished and evicted) from the history tier. */
export function findOrder(state: SimState, orderId: string): OrderRecord | undefined {
  return state.orders.get(orderId) ?? state.retention.history?.findOrder(orderId);
}
