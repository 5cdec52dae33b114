/**
 * The live/historical boundary (getting_started/historical_data.md): four
 * cutoff timestamps, and which records fall before them. Live endpoints drop
 * those records; the `/historical/*` endpoints serve only them.
 *
 * Kalshi keeps about three months live. The simulator's seed holds about four
 * weeks of history, so it keeps a compressed window of `LIVE_WINDOW_MS` (one
 * week): the oldest seeded markets (and their trades) are historical, the last
 * few days' markets and trades live, and both tiers have data to show. Like
 * Kalshi's, the cutoffs advance in steps (at each whole UTC hour of the
 * exchange clock), not continuously.
 */
import type {
  EventRecord,
  FillRecord,
  MarketRecord,
  OrderRecord,
  PositionRecord,
  TradeRecord,
} from "@/server/sim/model";
import { statePart, type SimState } from "@/server/sim/state";

const HOUR_MS = 3_600_000;
/** How far behind the exchange clock (rounded down to the hour) every cutoff sits. */
export const LIVE_WINDOW_MS = 7 * 24 * HOUR_MS;

/** Epoch milliseconds; a record strictly older than its cutoff is historical. */
export interface HistoricalCutoffs {
  /** Markets (and their candlesticks) settled before this. */
  marketSettled: number;
  /** Trades and fills created before this. */
  tradesCreated: number;
  /** Canceled or fully executed orders last updated before this. */
  ordersUpdated: number;
  /** Settled positions of events archived before this. */
  marketPositionsLastUpdated: number;
}

// Pins are set in-process by tests and demos (never journaled), so snapshots leave them out too.
const PINNED = statePart<{ current: HistoricalCutoffs | undefined }>(
  "historical-cutoffs",
  () => ({ current: undefined }),
  { persist: false },
);

/**
 * The cutoffs in effect now: pinned ones if set, else one window behind the
 * clock's hour; the trade and order cutoffs never behind the newest record
 * that left memory (retention.ts), so a record that left memory is
 * historical and each record is served by exactly one tier.
 */
export function historicalCutoffs(state: SimState): HistoricalCutoffs {
  const { ordersBefore, tradesBefore } = state.retention;
  const fixed = state.part(PINNED).current;
  const cutoff = Math.floor(state.now() / HOUR_MS) * HOUR_MS - LIVE_WINDOW_MS;
  const base = fixed ?? {
    marketSettled: cutoff,
    tradesCreated: cutoff,
    ordersUpdated: cutoff,
    marketPositionsLastUpdated: cutoff,
  };
  if (tradesBefore <= base.tradesCreated && ordersBefore <= base.ordersUpdated) return base;
  return {
    ...base,
    tradesCreated: Math.max(base.tradesCreated, tradesBefore),
    ordersUpdated: Math.max(base.ordersUpdated, ordersBefore),
  };
}

/**
 * Fixes the cutoffs at given times (tests and demos put the boundary exactly
 * where they need it); `null` returns to the clock-relative default.
 */
export function pinHistoricalCutoffs(state: SimState, cutoffs: HistoricalCutoffs | null): void {
  state.part(PINNED).current = cutoffs ? { ...cutoffs } : undefined;
}

/** A finalized market that settled before `market_settled_ts`. */
export function isHistoricalMarket(market: MarketRecord, cutoffs: HistoricalCutoffs): boolean {
  return (
    market.status === "finalized" &&
    market.settlementTime !== null &&
    market.settlementTime < cutoffs.marketSettled
  );
}

/** A trade or fill created before `trades_created_ts`. */
export function isHistoricalTrade(
  record: TradeRecord | FillRecord,
  cutoffs: HistoricalCutoffs,
): boolean {
  return record.createdTime < cutoffs.tradesCreated;
}

/** A canceled or executed order last touched before `orders_updated_ts`; resting orders never are. */
export function isHistoricalOrder(order: OrderRecord, cutoffs: HistoricalCutoffs): boolean {
  return order.status !== "resting" && order.lastUpdateTime < cutoffs.ordersUpdated;
}

/**
 * When an event's positions were archived: the last settlement among its
 * markets once every one of them is finalized, else null (positions are
 * archived per whole event, never split).
 */
export function eventArchivedAt(state: SimState, event: EventRecord): number | null {
  let latest = -Infinity;
  for (const ticker of event.marketTickers) {
    const market = state.market(ticker);
    if (!market) continue;
    if (market.status !== "finalized" || market.settlementTime === null) return null;
    latest = Math.max(latest, market.settlementTime);
  }
  return latest === -Infinity ? null : latest;
}

/** A position whose whole event was archived before `market_positions_last_updated_ts`. */
export function isHistoricalPosition(
  state: SimState,
  position: PositionRecord,
  cutoffs: HistoricalCutoffs,
): boolean {
  const market = state.market(position.ticker);
  const event = market ? state.events.get(market.eventTicker) : undefined;
  if (!event) return false;
  const archived = eventArchivedAt(state, event);
  return archived !== null && archived < cutoffs.marketPositionsLastUpdated;
}
