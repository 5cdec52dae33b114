/**
 * The market status changes of getting_started/market_lifecycle.md, as
 * exchange functions the clock (market-lifecycle.ts) and the sim-only
 * controls both use. Each checks the current status and throws a 409 SimError
 * for a transition the docs do not allow, publishes the documented
 * `market_lifecycle` bus event, and marks the market for rescheduling.
 *
 * Implicit (no event): initialized → active at open_time; active/inactive →
 * closed at close_time. Explicit: deactivated, activated (resting orders are
 * canceled on reactivation), close_date_updated (also when a market closes
 * early or reopens), determined, settled.
 */
import { ONE_DOLLAR, formatDollars, type Micros } from "@/lib/fixed-point";
import { SimError, simErrors } from "@/server/sim/errors";
import type { ExchangeCore } from "@/server/sim/exchange-core";
import type { MarketLifecycleEventType } from "@/server/sim/bus";
import type { MarketRecord, MarketStatus } from "@/server/sim/model";
import {
  exclusiveEventOf,
  recordForcedOutcome,
  resolvedYesSibling,
  type Outcome,
} from "@/server/sim/lifecycle/determination";
import { touchMarket } from "@/server/sim/lifecycle/lifecycle-schedule";
import { payOutPositions } from "@/server/sim/lifecycle/settlement";
import { placeOpeningLadder } from "@/server/sim/lifecycle/opening-liquidity";

/** 409: the market's status does not allow this transition. */
export function statusConflict(market: MarketRecord, action: string): SimError {
  return new SimError(
    409,
    "MARKET_STATUS_CONFLICT",
    `market ${market.ticker} is ${market.status} and cannot be ${action}`,
  );
}

/** The market, or a 404 MARKET_NOT_FOUND. */
export function requireMarket(exchange: ExchangeCore, ticker: string): MarketRecord {
  const market = exchange.state.market(ticker);
  if (!market) throw simErrors.marketNotFound(ticker);
  return market;
}

function requireStatus(
  market: MarketRecord,
  allowed: readonly MarketStatus[],
  action: string,
): void {
  if (!allowed.includes(market.status)) throw statusConflict(market, action);
}

function publish(
  exchange: ExchangeCore,
  market: MarketRecord,
  eventType: MarketLifecycleEventType,
): void {
  exchange.state.bus.publish({
    kind: "market_lifecycle",
    ticker: market.ticker,
    eventType,
    tsMs: exchange.state.now(),
  });
}

function changed(exchange: ExchangeCore, market: MarketRecord): void {
  market.updatedTime = exchange.state.now();
  touchMarket(exchange.state, market.ticker);
}

/** initialized → active at open_time (no WebSocket event, per the docs), with the seed maker's ladder. */
export function openMarket(exchange: ExchangeCore, market: MarketRecord): void {
  requireStatus(market, ["initialized"], "opened");
  market.status = "active";
  changed(exchange, market);
  placeOpeningLadder(exchange, market);
}

/**
 * active/inactive → closed. Before close_time (an early close) the close
 * time moves to now and `close_date_updated` is published. Resting orders are
 * canceled, each with an update on its owner's user channels.
 */
export function closeMarket(exchange: ExchangeCore, market: MarketRecord): void {
  requireStatus(market, ["active", "inactive"], "closed");
  const now = exchange.state.now();
  market.status = "closed";
  changed(exchange, market);
  if (market.closeTime > now) {
    market.closeTime = now;
    publish(exchange, market, "close_date_updated");
  }
  exchange.engine.cancelMarketOrders(market.ticker, "market_closed");
}

/** active → inactive (`deactivated`): trading stops, resting orders stay, cancels are still accepted. */
export function deactivateMarket(exchange: ExchangeCore, market: MarketRecord): void {
  requireStatus(market, ["active"], "deactivated");
  if (exchange.state.now() >= market.closeTime)
    throw statusConflict(market, "deactivated after its close time");
  market.status = "inactive";
  changed(exchange, market);
  publish(exchange, market, "deactivated");
}

/** inactive → active (`activated`); every resting order is canceled first, as the docs say. */
export function activateMarket(exchange: ExchangeCore, market: MarketRecord): void {
  requireStatus(market, ["inactive"], "activated");
  if (exchange.state.now() >= market.closeTime)
    throw statusConflict(market, "activated after its close time");
  exchange.engine.cancelMarketOrders(market.ticker, "pause");
  market.status = "active";
  changed(exchange, market);
  publish(exchange, market, "activated");
}

/**
 * Moves close_time (`close_date_updated`). A time at or before now closes an
 * open market at once; a future time reopens a closed, undetermined market
 * (`close_date_updated`, then `activated`).
 */
export function updateCloseTime(
  exchange: ExchangeCore,
  market: MarketRecord,
  closeTime: number,
): void {
  requireStatus(market, ["initialized", "active", "inactive", "closed"], "given a new close time");
  const now = exchange.state.now();
  if (closeTime <= market.openTime) {
    throw simErrors.invalidParameters("close_time: must be after the market's open_time");
  }
  if (market.status === "initialized" && closeTime <= now) {
    throw simErrors.invalidParameters("close_time: must be in the future for an unopened market");
  }
  if (market.status === "active" || market.status === "inactive") {
    if (closeTime <= now) {
      closeMarket(exchange, market);
      return;
    }
    market.closeTime = closeTime;
    changed(exchange, market);
    publish(exchange, market, "close_date_updated");
    return;
  }
  market.closeTime = closeTime;
  changed(exchange, market);
  publish(exchange, market, "close_date_updated");
  if (market.status === "closed" && closeTime > now) {
    market.status = "active";
    publish(exchange, market, "activated");
  }
}

/**
 * closed → determined with `outcome` (`determined`). A forced YES in a
 * mutually exclusive event whose other market already resolved YES is a 409.
 */
export function determineMarket(
  exchange: ExchangeCore,
  market: MarketRecord,
  outcome: Outcome,
): void {
  const { state } = exchange;
  requireStatus(market, ["closed"], "determined");
  checkOutcome(outcome);
  if (outcome.result === "yes") {
    const event = exclusiveEventOf(state, market);
    const sibling = event ? resolvedYesSibling(state, event) : undefined;
    if (event && sibling !== undefined && sibling !== market.ticker) {
      throw new SimError(
        409,
        "MARKET_STATUS_CONFLICT",
        `event ${event.eventTicker} is mutually exclusive and ${sibling} already resolved yes`,
      );
    }
  }
  recordForcedOutcome(state, market, outcome.result);
  market.result = outcome.result;
  market.settlementValue = outcome.settlementValue;
  market.determinationTime = state.now();
  market.status = "determined";
  changed(exchange, market);
  publish(exchange, market, "determined");
}

function checkOutcome(outcome: Outcome): void {
  const value: Micros = outcome.settlementValue;
  const expected = outcome.result === "yes" ? ONE_DOLLAR : outcome.result === "no" ? 0 : null;
  if (expected !== null && value !== expected) {
    throw simErrors.invalidParameters(
      `settlement_value: a ${outcome.result} result settles at ${formatDollars(expected)}`,
    );
  }
  if (!Number.isSafeInteger(value) || value < 0 || value > ONE_DOLLAR || value % 100 !== 0) {
    throw simErrors.invalidParameters(
      "settlement_value: must be a dollar amount from 0.0000 to 1.0000",
    );
  }
}

/**
 * determined/amended → finalized (`settled`): every open position is paid
 * out (settlement.ts) and published on `market_positions`, then the market is
 * finalized with its settlement time.
 */
export function settleMarket(exchange: ExchangeCore, market: MarketRecord): void {
  const { state } = exchange;
  requireStatus(market, ["determined", "amended"], "settled");
  const positions = payOutPositions(state, market);
  for (const position of positions)
    state.bus.publish({ kind: "position", position: { ...position } });
  market.status = "finalized";
  market.settlementTime = state.now();
  changed(exchange, market);
  publish(exchange, market, "settled");
}
