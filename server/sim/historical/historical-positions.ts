/**
 * GET /historical/positions: a user's settled positions whose whole event was
 * archived before `market_positions_last_updated_ts`, with the per-event
 * totals Kalshi's GetPositionsResponse carries next to them.
 */
import {
  serializeEventPositions,
  serializeMarketPosition,
} from "@/server/sim/http/serialize-portfolio";
import { paginate } from "@/server/sim/http/pagination";
import { historicalCutoffs, isHistoricalPosition } from "@/server/sim/historical/cutoff";
import type { PositionRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

export interface HistoricalPositionsQuery {
  userId: string;
  subaccount: number;
  ticker?: string;
  eventTicker?: string;
  limit: number;
  cursor?: string;
}

/** One page of archived positions, newest update first, and their event totals. */
export function historicalPositionsPage(state: SimState, q: HistoricalPositionsQuery) {
  const cutoffs = historicalCutoffs(state);
  const positions: PositionRecord[] = [];
  for (const position of state.positions.values()) {
    if (position.userId !== q.userId || position.subaccount !== q.subaccount) continue;
    if (q.ticker !== undefined && position.ticker !== q.ticker) continue;
    const eventTicker = state.market(position.ticker)?.eventTicker;
    if (q.eventTicker !== undefined && eventTicker !== q.eventTicker) continue;
    // A position that never traded is not a position (same rule as the live list).
    if (position.position === 0 && position.totalTraded === 0) continue;
    if (!isHistoricalPosition(state, position, cutoffs)) continue;
    positions.push(position);
  }
  positions.sort((a, b) => b.lastUpdated - a.lastUpdated || a.ticker.localeCompare(b.ticker));
  const page = paginate(positions, q.cursor, q.limit);
  return {
    market_positions: page.items.map(serializeMarketPosition),
    event_positions: serializeEventPositions(
      page.items,
      (ticker) => state.market(ticker)?.eventTicker,
    ),
    cursor: page.cursor,
  };
}
