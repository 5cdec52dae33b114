/**
 * Cash and position effects of one fill for one side of a trade: the leg's
 * cost, Kalshi's trade fee with fee rounding and the per-order accumulator,
 * netting of YES against NO (a pair pays out $1 at once), realized P&L and
 * open interest.
 */
import { complement, notional, ONE_DOLLAR, type Centis, type Micros } from "@/lib/fixed-point";
import { applyFeeRounding } from "@/lib/fees";
import { seriesTradeFee } from "@/server/sim/engine/fee-memo";
import type { OrderRecord, PositionRecord, SeriesRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

/** What the fill paid in the leg's own price: a bid buys YES at p, an ask buys NO at $1 − p. */
export function legPrice(order: Pick<OrderRecord, "side">, yesPrice: Micros): Micros {
  return order.side === "bid" ? yesPrice : complement(yesPrice);
}

export interface FillEffect {
  /** Net fee (trade + rounding − rebate). */
  fee: Micros;
  position: PositionRecord;
  /** Change of this user's long-YES contracts (for open interest). */
  longYesDelta: Centis;
  /** Contracts of this fill that closed an existing opposite position. */
  closed: Centis;
  /** How much of the order's `coveredRemaining` this fill used up (already subtracted). */
  coveredUsed: Centis;
}

/**
 * Applies one fill of `count` at YES price `price` to `order`'s owner. The
 * order's reservation is released pro rata; the real cost, fee and any
 * netting payout then move the free balance.
 */
export function applyFill(
  state: SimState,
  user: UserRecord,
  order: OrderRecord,
  series: SeriesRecord | undefined,
  price: Micros,
  count: Centis,
  isTaker: boolean,
  /** Where to write the effect (the engine reuses two per match); a new object without. */
  out?: FillEffect,
): FillEffect {
  const leg = legPrice(order, price);
  const cost = notional(leg, count);
  const fee = seriesTradeFee(series, price, count, isTaker ? "taker" : "maker");
  const rounding = applyFeeRounding({
    revenue: -cost,
    tradeFee: fee,
    accumulator: order.feeAccumulator,
    balancePrecision: user.balancePrecision,
  });
  order.feeAccumulator = rounding.accumulatorAfter;

  // The reservation pays for the contracts that open exposure at the limit's
  // leg price (never below the fill's; any saving goes to free cash) and for
  // this fill's fee out of the fee headroom, i.e. whatever it holds beyond the
  // opening contracts still unfilled, so those always stay funded. Contracts
  // that close a position were never reserved for: the $1-per-pair payout
  // below pays for them (a pro-rata release here would leave the order's
  // still-unfilled opening contracts under-funded).
  const coveredUsed = Math.min(order.coveredRemaining, count);
  const opening = count - coveredUsed;
  const limitLeg = legPrice(order, order.price);
  const headroom = Math.max(
    0,
    order.reserved - notional(limitLeg, order.remainingCount - order.coveredRemaining),
  );
  const release =
    count >= order.remainingCount
      ? order.reserved
      : opening === 0
        ? 0
        : notional(limitLeg, opening) + Math.min(headroom, Math.max(rounding.netFee, 0));
  order.reserved -= release;
  order.coveredRemaining -= coveredUsed;
  state.adjustBalance(user, order.subaccount, release + rounding.balanceChange + rounding.rebate);

  if (isTaker) {
    order.takerFillCost += cost;
    order.takerFees += rounding.netFee;
  } else {
    order.makerFillCost += cost;
    order.makerFees += rounding.netFee;
  }

  const position = state.position(order.userId, order.subaccount, order.ticker);
  const before = position.position;
  const signed = order.side === "bid" ? count : -count;
  const opposes = before !== 0 && Math.sign(before) !== Math.sign(signed);
  const closed = opposes ? Math.min(Math.abs(before), count) : 0;
  if (closed > 0) {
    // A YES and a NO contract together are worth exactly $1: pay it out now.
    const closedCost =
      closed === Math.abs(before)
        ? position.cost
        : Math.floor((position.cost * closed) / Math.abs(before));
    const payout = notional(ONE_DOLLAR, closed);
    const closingLegCost = notional(leg, closed);
    state.adjustBalance(user, order.subaccount, payout);
    position.realizedPnl += payout - closedCost - closingLegCost;
    position.cost -= closedCost;
  }
  const opened = count - closed;
  if (opened > 0) position.cost += notional(leg, opened);
  position.position = before + signed;
  position.feesPaid += rounding.netFee;
  position.totalTraded += cost;
  position.volume += count;
  position.lastUpdated = state.now();

  const longYesDelta = Math.max(position.position, 0) - Math.max(before, 0);
  if (!out) return { fee: rounding.netFee, position, longYesDelta, closed, coveredUsed };
  out.fee = rounding.netFee;
  out.position = position;
  out.longYesDelta = longYesDelta;
  out.closed = closed;
  out.coveredUsed = coveredUsed;
  return out;
}
