/**
 * The market lifecycle on the exchange clock, run by `ExchangeCore.tick()`
 * every 250 ms: markets open at open_time, close at close_time (or at their
 * expected expiration when they may close early), are determined once their
 * outcome is due, and are finalized with payouts when the settlement timer
 * runs out; recurring series get new events listed ahead of time.
 *
 * Cheap per tick: due times sit in a min-heap (lifecycle-schedule.ts), so a
 * tick with nothing due costs one comparison. New markets are noticed when
 * the market map grows, and once a second of clock time every live market's
 * due time is recomputed, so code that edits a record directly (tests,
 * other modules) is picked up without having to call `touchMarket`.
 */
import type { ExchangeCore } from "@/server/sim/exchange-core";
import type { MarketRecord } from "@/server/sim/model";
import { outcomeFor } from "@/server/sim/lifecycle/outcome-sources";
import { scheduleOf, type LifecycleSchedule } from "@/server/sim/lifecycle/lifecycle-schedule";
import { listRecurringEvents } from "@/server/sim/lifecycle/rolling-series";
import { scaledMs } from "@/server/sim/lifecycle/time-scale";
import {
  closeMarket,
  determineMarket,
  openMarket,
  settleMarket,
} from "@/server/sim/lifecycle/transitions";

/** How often (clock time) every live market's due time is recomputed. */
const RESYNC_MS = 1_000;
/** Shortest wait between close and determination at time scale 1: the result is never known the instant trading stops. */
const MIN_DETERMINATION_DELAY_MS = 60_000;
/** More transitions than a market has statuses means a bug; stop rather than spin. */
const MAX_STEPS_PER_MARKET = 8;

/** The next automatic transition of `market` and when it is due, or null in a terminal or held status. */
export function nextTransition(
  market: MarketRecord,
  timeScale: number,
): { due: number; action: "open" | "close" | "determine" | "settle" } | null {
  switch (market.status) {
    case "initialized":
      return { due: market.openTime, action: "open" };
    case "active": {
      // A market that may close early does so once its outcome is expected (a game ends before its late close_time).
      const early =
        market.canCloseEarly && market.expectedExpirationTime < market.closeTime
          ? Math.max(market.expectedExpirationTime, market.openTime)
          : market.closeTime;
      return { due: early, action: "close" };
    }
    case "inactive":
      return { due: market.closeTime, action: "close" };
    case "closed": {
      const wait = Math.max(
        market.expectedExpirationTime - market.closeTime,
        MIN_DETERMINATION_DELAY_MS,
      );
      return { due: market.closeTime + scaledMs(wait, timeScale), action: "determine" };
    }
    case "determined":
    case "amended": {
      const from = market.determinationTime ?? market.closeTime;
      return {
        due: from + scaledMs(market.settlementTimerSeconds * 1000, timeScale),
        action: "settle",
      };
    }
    case "disputed":
    case "finalized":
      return null;
  }
}

/** Runs every transition of `market` that is due at `now` (a market may pass several in one tick). */
function advanceMarket(exchange: ExchangeCore, market: MarketRecord, now: number): void {
  for (let step = 0; step < MAX_STEPS_PER_MARKET; step += 1) {
    const next = nextTransition(market, exchange.timeScale);
    if (!next || next.due > now) return;
    switch (next.action) {
      case "open":
        openMarket(exchange, market);
        break;
      case "close":
        closeMarket(exchange, market);
        break;
      case "determine": {
        const outcome = outcomeFor(exchange.state, market);
        // Not decidable yet (a combo waiting for its legs): retried on a later tick.
        if (outcome === null) return;
        determineMarket(exchange, market, outcome);
        break;
      }
      case "settle":
        settleMarket(exchange, market);
        break;
    }
  }
}

/** Looks for markets added since the last tick, and periodically rechecks every live market. */
function collectDirty(exchange: ExchangeCore, schedule: LifecycleSchedule, now: number): void {
  const { markets } = exchange.state;
  if (markets.size !== schedule.seenMarketCount) {
    for (const market of markets.values()) {
      if (market.status !== "finalized" && !schedule.live.has(market.ticker)) {
        schedule.live.add(market.ticker);
        schedule.dirty.add(market.ticker);
      }
    }
    schedule.seenMarketCount = markets.size;
  }
  if (now - schedule.lastResync >= RESYNC_MS) {
    schedule.lastResync = now;
    for (const ticker of schedule.live) schedule.dirty.add(ticker);
  }
}

/** Retry delay for a market whose due transition failed (so it cannot spin inside one tick). */
const RETRY_MS = 1_000;

function reschedule(
  exchange: ExchangeCore,
  schedule: LifecycleSchedule,
  ticker: string,
  attemptedAt?: number,
): void {
  const market = exchange.state.market(ticker);
  const next = market ? nextTransition(market, exchange.timeScale) : null;
  if (next === null) {
    schedule.live.delete(ticker);
    schedule.set(ticker, null);
    return;
  }
  const stuck = attemptedAt !== undefined && next.due <= attemptedAt;
  schedule.set(ticker, stuck ? attemptedAt + RETRY_MS : next.due);
}

/** One lifecycle pass: list due recurring events, then run every due market transition. */
export function advanceLifecycle(exchange: ExchangeCore): void {
  const { state } = exchange;
  const now = state.now();
  const schedule = scheduleOf(state);
  listRecurringEvents(exchange);
  collectDirty(exchange, schedule, now);
  for (const ticker of schedule.dirty) reschedule(exchange, schedule, ticker);
  schedule.dirty.clear();

  for (let ticker = schedule.popDue(now); ticker !== undefined; ticker = schedule.popDue(now)) {
    const market = state.market(ticker);
    if (!market) continue;
    try {
      advanceMarket(exchange, market, now);
    } catch (error) {
      // One broken market must not stop the clock for every other one.
      console.error(
        JSON.stringify({
          at: "sim.lifecycle",
          what: "transition failed",
          ticker,
          error: String(error),
        }),
      );
    }
    reschedule(exchange, schedule, ticker, now);
    // Transitions mark their market dirty; it was just rescheduled.
    schedule.dirty.delete(ticker);
  }
}
