/**
 * Settlement payouts (getting_started/market_settlement.md): every open
 * position in the market, per user and subaccount, is paid the settlement
 * value per YES contract or $1 − value per NO contract. Positions are already
 * netted (a YES and a NO contract pay $1 as soon as they meet), so only net
 * positions settle. The payout is rounded down to whole cents; the sub-cent
 * remainder is a settlement fee ("CollateralAmountChange + MiscFeeAmt equals
 * the pre-rounding settlement value"), which only a sub-cent scalar value or
 * a fractional count can produce.
 */
import { complement, floorTo, notional, ONE_CENT, type Micros } from "@/lib/fixed-point";
import type { MarketRecord, PositionRecord, SettlementRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

export interface PositionPayout {
  /** Value before rounding. */
  gross: Micros;
  /** Credited to the balance: `gross` rounded down to the cent. */
  paid: Micros;
  /** The sub-cent remainder kept as a settlement fee. */
  settlementFee: Micros;
}

/** What one net position of `position` centi-contracts (signed) is paid at `value` per YES contract. */
export function positionPayout(position: number, value: Micros): PositionPayout {
  const gross =
    position > 0
      ? notional(value, position)
      : position < 0
        ? notional(complement(value), -position)
        : 0;
  const paid = floorTo(gross, ONE_CENT);
  return { gross, paid, settlementFee: gross - paid };
}

/**
 * Pays out every open position of `market` (which must have a settlement
 * value), appends one SettlementRecord per position to `state.settlements`,
 * zeroes the positions (realized P&L takes the gross payout minus cost; the
 * settlement fee joins the position's fees) and returns the changed
 * positions, for the caller to publish.
 */
export function payOutPositions(state: SimState, market: MarketRecord): PositionRecord[] {
  const value = market.settlementValue;
  if (value === null) throw new Error(`market ${market.ticker} has no settlement value`);
  const now = state.now();
  const changed: PositionRecord[] = [];
  for (const position of state.positions.values()) {
    if (position.ticker !== market.ticker || position.position === 0) continue;
    const user = state.users.get(position.userId);
    if (!user) continue;
    const held = position.position;
    const payout = positionPayout(held, value);
    state.adjustBalance(user, position.subaccount, payout.paid);

    const record: SettlementRecord = {
      userId: position.userId,
      subaccount: position.subaccount,
      ticker: market.ticker,
      eventTicker: market.eventTicker,
      result: market.result,
      yesCount: Math.max(held, 0),
      yesTotalCost: held > 0 ? position.cost : 0,
      noCount: Math.max(-held, 0),
      noTotalCost: held < 0 ? position.cost : 0,
      revenue: payout.paid,
      feeCost: position.feesPaid + payout.settlementFee,
      settledTime: now,
      value,
    };
    state.settlements.push(record);

    position.realizedPnl += payout.gross - position.cost;
    position.feesPaid += payout.settlementFee;
    position.cost = 0;
    position.position = 0;
    position.lastUpdated = now;
    changed.push(position);
  }
  if (changed.length > 0) state.touchUserData();
  return changed;
}
