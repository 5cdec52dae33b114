/**
 * Kalshi's `GET /markets?status=` mapping (getting_started/market_lifecycle.md),
 * applied to markets held in memory. The filter names differ from the
 * statuses markets report, and two transitions are implicit (no WebSocket
 * event): initialized → active at open_time and active/inactive → closed at
 * close_time, so "open" also needs the clock.
 */
import type { MarketStatusFilter } from "@/lib/schemas/market";

export interface StatusFields {
  status: string;
  /** close_time, epoch ms (NaN when unreadable). */
  closeMs: number;
}

export function matchesStatusFilter(
  market: StatusFields,
  filter: MarketStatusFilter,
  nowMs: number,
): boolean {
  const beforeClose = !(market.closeMs <= nowMs);
  switch (filter) {
    case "unopened":
      return market.status === "initialized";
    case "open":
      return market.status === "active" && beforeClose;
    case "paused":
      return market.status === "inactive" && beforeClose;
    case "closed":
      return (
        market.status === "closed" ||
        market.status === "determined" ||
        market.status === "disputed" ||
        market.status === "amended" ||
        ((market.status === "active" || market.status === "inactive") && !beforeClose)
      );
    case "settled":
      return market.status === "finalized";
    default: {
      const exhaustive: never = filter;
      return exhaustive;
    }
  }
}

/** Statuses whose market may still change by time alone (open_time or close_time passing). */
export function awaitsImplicitTransition(market: StatusFields, openMs: number, nowMs: number) {
  if (market.status === "initialized") return openMs <= nowMs;
  if (market.status === "active" || market.status === "inactive") return market.closeMs <= nowMs;
  return false;
}
