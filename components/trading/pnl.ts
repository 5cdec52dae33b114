/**
 * A market position's figures in exact integers: contracts held and of which
 * side, average entry price, mark (what closing now would get: the best bid
 * of the held side), unrealised and realised P&L. Kalshi nets YES and NO in
 * one market into one signed position (positive = YES, negative = NO), and
 * `market_exposure_dollars` is the cost of what is held now.
 */
import type { TopOfBook } from "@/components/trading/ticket/ticket-model";
import {
  complement,
  notional,
  parseCount,
  parseDollars,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";

export interface PositionInput {
  position_fp: string;
  market_exposure_dollars: string;
  realized_pnl_dollars: string;
  fees_paid_dollars: string;
}

export interface PositionFigures {
  /** Signed: YES > 0, NO < 0. */
  position: Centis;
  side: "yes" | "no" | null;
  /** Contracts held of `side` (≥ 0). */
  held: Centis;
  /** Cost of what is held now. */
  cost: Micros;
  /** cost / held, rounded to the micro-dollar (a display figure, not a cash flow). */
  averagePrice: Micros | null;
  /** Best bid of the held side, else the last trade in that side's terms. */
  mark: Micros | null;
  /** mark × held − cost. */
  unrealised: Micros | null;
  realised: Micros;
  fees: Micros;
}

export function positionFigures(
  input: PositionInput | null,
  top: TopOfBook,
  lastYesPrice: Micros | null,
): PositionFigures {
  const position = input ? parseCount(input.position_fp, { signed: true }) : 0;
  const side = position > 0 ? "yes" : position < 0 ? "no" : null;
  const held = Math.abs(position);
  const cost = input ? Math.abs(parseDollars(input.market_exposure_dollars, { signed: true })) : 0;
  const realised = input ? parseDollars(input.realized_pnl_dollars, { signed: true }) : 0;
  const fees = input ? parseDollars(input.fees_paid_dollars, { signed: true }) : 0;
  const averagePrice = held > 0 ? Math.round((cost * 100) / held) : null;
  const mark = side === null ? null : markPrice(side, top, lastYesPrice);
  const unrealised = mark === null || held === 0 ? null : notional(mark, held) - cost;
  return { position, side, held, cost, averagePrice, mark, unrealised, realised, fees };
}

/** What one contract of `side` would sell for now: its best bid, else the last trade. */
export function markPrice(
  side: "yes" | "no",
  top: TopOfBook,
  lastYesPrice: Micros | null,
): Micros | null {
  if (side === "yes") return top.bestBid ?? lastYesPrice;
  // A NO holder sells NO into the NO bid, which is the YES ask's complement.
  if (top.bestAsk !== null) return complement(top.bestAsk);
  return lastYesPrice === null ? null : complement(lastYesPrice);
}
