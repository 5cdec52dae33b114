/**
 * The portfolio's arithmetic: one position row's figures (side, contracts,
 * average cost, mark, market value, unrealised and realised P&L, fees) and the
 * account summary, from Kalshi's own records and a market quote. Pure and
 * exact: micro-dollars and centi-contracts only (lib/fixed-point.ts), so the
 * figures reconcile with the exchange's REST answers to the cent.
 */
import {
  microsToCents,
  notional,
  ONE_DOLLAR,
  parseCount,
  parseDollars,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";
import type { MarketPosition } from "@/lib/schemas/portfolio";

/** The price data a mark is taken from (ticker message or market object fields). */
export interface QuoteInput {
  yesBid?: string | null;
  yesAsk?: string | null;
  last?: string | null;
  /** A determined market's settlement value (dollars per YES contract); wins over the book. */
  settlementValue?: string | null;
}

function micros(text: string | null | undefined): Micros | undefined {
  if (text == null || text === "") return undefined;
  try {
    return parseDollars(text, { signed: true });
  } catch {
    return undefined;
  }
}

/**
 * The YES mark of a market, the way Kalshi values `portfolio_value`: the
 * settlement value once determined; else the mid of a two-sided YES quote,
 * floored to the centicent; else the last traded price. Null when nothing is known.
 */
export function yesMark(quote: QuoteInput): Micros | null {
  const settled = micros(quote.settlementValue);
  if (settled !== undefined) return settled;
  const bid = micros(quote.yesBid) ?? 0;
  const ask = micros(quote.yesAsk) ?? ONE_DOLLAR;
  if (bid > 0 && ask < ONE_DOLLAR) return Math.floor((bid + ask) / 200) * 100;
  return micros(quote.last) ?? null;
}

export type PositionSide = "yes" | "no" | "flat";

export interface PositionFigures {
  ticker: string;
  side: PositionSide;
  /** Contracts held, always ≥ 0 (the side says which). */
  contracts: Centis;
  /** What the open position cost (`market_exposure_dollars`): also its maximum loss. */
  cost: Micros;
  /** Cost per contract, rounded to the nearest micro-dollar; null when flat. */
  averageCost: Micros | null;
  /** The held side's price per contract (YES mark, or $1 − mark for NO); null when unknown. */
  mark: Micros | null;
  /** contracts × mark; 0 when flat; null when the mark is unknown. */
  marketValue: Micros | null;
  /** marketValue − cost. */
  unrealised: Micros | null;
  /** Unrealised P&L as a fraction of cost in basis points (1% = 100). */
  unrealisedBps: number | null;
  realised: Micros;
  fees: Micros;
}

/** One market position's figures at the given YES mark. */
export function positionFigures(position: MarketPosition, yes: Micros | null): PositionFigures {
  const signed = parseCount(position.position_fp, { signed: true });
  const contracts = Math.abs(signed);
  const side: PositionSide = signed > 0 ? "yes" : signed < 0 ? "no" : "flat";
  const cost = parseDollars(position.market_exposure_dollars, { signed: true });
  const mark = yes === null || side === "flat" ? null : side === "yes" ? yes : ONE_DOLLAR - yes;
  const marketValue = side === "flat" ? 0 : mark === null ? null : notional(mark, contracts);
  const unrealised = marketValue === null ? null : marketValue - cost;
  return {
    ticker: position.ticker,
    side,
    contracts,
    cost,
    averageCost: contracts === 0 ? null : Math.round((cost * 100) / contracts),
    mark,
    marketValue,
    unrealised,
    unrealisedBps:
      unrealised === null || cost === 0 ? null : Math.round((unrealised * 10_000) / cost),
    realised: parseDollars(position.realized_pnl_dollars, { signed: true }),
    fees: parseDollars(position.fees_paid_dollars, { signed: true }),
  };
}

export interface PortfolioSummary {
  cash: Micros;
  /** Σ market value of open positions (positions with an unknown mark count at cost). */
  positionsValue: Micros;
  /** cash + positionsValue. */
  total: Micros;
  realised: Micros;
  unrealised: Micros;
  fees: Micros;
  /** Σ cost of open positions: the most that can still be lost. */
  exposure: Micros;
  openPositions: number;
  /** Positions valued without a mark (at cost). */
  unmarked: number;
}

/** The account summary from the cash balance (cents, as GET /portfolio/balance answers) and position rows. */
export function summarise(
  balanceCents: number,
  rows: readonly PositionFigures[],
): PortfolioSummary {
  const cash = balanceCents * 10_000;
  let positionsValue = 0;
  let realised = 0;
  let unrealised = 0;
  let fees = 0;
  let exposure = 0;
  let openPositions = 0;
  let unmarked = 0;
  for (const row of rows) {
    realised += row.realised;
    fees += row.fees;
    if (row.side === "flat") continue;
    openPositions += 1;
    exposure += row.cost;
    if (row.marketValue === null) {
      unmarked += 1;
      positionsValue += row.cost;
    } else {
      positionsValue += row.marketValue;
      unrealised += row.unrealised ?? 0;
    }
  }
  return {
    cash,
    positionsValue,
    total: cash + positionsValue,
    realised,
    unrealised,
    fees,
    exposure,
    openPositions,
    unmarked,
  };
}

/** Portfolio value in whole cents as Kalshi reports it (`portfolio_value`: truncated, not rounded). */
export function portfolioValueCents(rows: readonly PositionFigures[]): number {
  let total = 0;
  for (const row of rows) total += row.marketValue ?? 0;
  return microsToCents(total);
}

/** Adds summaries (subaccounts into the account total). */
export function addSummaries(parts: readonly PortfolioSummary[]): PortfolioSummary {
  const zero: PortfolioSummary = {
    cash: 0,
    positionsValue: 0,
    total: 0,
    realised: 0,
    unrealised: 0,
    fees: 0,
    exposure: 0,
    openPositions: 0,
    unmarked: 0,
  };
  return parts.reduce(
    (sum, part) => ({
      cash: sum.cash + part.cash,
      positionsValue: sum.positionsValue + part.positionsValue,
      total: sum.total + part.total,
      realised: sum.realised + part.realised,
      unrealised: sum.unrealised + part.unrealised,
      fees: sum.fees + part.fees,
      exposure: sum.exposure + part.exposure,
      openPositions: sum.openPositions + part.openPositions,
      unmarked: sum.unmarked + part.unmarked,
    }),
    zero,
  );
}

/** One equity-curve point as the server records it. */
export interface EquityPoint {
  /** Epoch ms. */
  at: number;
  /** cash + positions value, cents. */
  totalCents: number;
  /** Deposits, withdrawals and transfers into (+) or out of (−) the scope since the previous point, cents. */
  cashFlowCents: number;
}

/**
 * Change of the account since `since` that is P&L, not cash moved in or out:
 * now − the last point at or before `since` − the cash flows after it.
 * Null without a point that old (a new account has no "today's change" yet).
 */
export function changeSince(
  points: readonly EquityPoint[],
  since: number,
  nowTotalCents: number,
): number | null {
  let base: EquityPoint | undefined;
  let flows = 0;
  for (const point of points) {
    if (point.at <= since) {
      base = point;
      flows = 0;
    } else if (base) {
      flows += point.cashFlowCents;
    }
  }
  if (!base) {
    // Fall back to the first point of the period, so a new account's first day still shows.
    const first = points.find((point) => point.at > since);
    if (!first) return null;
    base = first;
    flows = points
      .filter((point) => point.at > first.at)
      .reduce((sum, point) => sum + point.cashFlowCents, 0);
  }
  return nowTotalCents - base.totalCents - flows;
}
