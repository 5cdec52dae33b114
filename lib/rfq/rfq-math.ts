/**
 * The arithmetic of the RFQ screens, in exact integers (micro-dollars,
 * centi-contracts): what accepting a side of a quote means for the
 * requester, how a quote compares with the book, the best quote per side,
 * a maker's quote-around-mid, and a combo's naive independent-legs price.
 * Browser-safe.
 *
 * Accepting a side hits the maker's bid on that side (getting_started/rfqs.md
 * and the simulator's desk): accept YES and the maker buys YES at its yes
 * bid, so the requester sells YES (ends long NO) at that price; accept NO and
 * the requester ends long YES at $1 − the no bid.
 */
import { tradeFee, type FeeType } from "@/lib/fees";
import {
  ceilTo,
  complement,
  notional,
  ONE_CENT,
  ONE_DOLLAR,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";

export type Side = "yes" | "no";

/** rfqs.md "Timing": combo (KXMVE…) markets are high-volatility, with short windows. */
export function confirmationWindowMs(marketTicker: string): number {
  return isComboTicker(marketTicker) ? 3_000 : 30_000;
}

export function executionTimerMs(marketTicker: string): number {
  return isComboTicker(marketTicker) ? 1_000 : 15_000;
}

export function isComboTicker(ticker: string): boolean {
  return ticker.startsWith("KXMVE");
}

/** create-rfq.md: "You can have a maximum of 100 open RFQs at a time." */
export const MAX_OPEN_RFQS = 100;

/** The YES price the requester trades at when accepting `side` of a quote with bid `bid`. */
export function impliedYesPrice(side: Side, bid: Micros): Micros {
  return side === "yes" ? bid : complement(bid);
}

/**
 * How a quote's side compares with the book, micro-dollars, positive when
 * the quote is better for the requester: selling YES at the yes bid beats
 * the book's best yes bid; buying YES at $1 − no bid beats the best yes ask.
 */
export function edgeVsBook(
  side: Side,
  bid: Micros,
  book: { yesBid: Micros | undefined; yesAsk: Micros | undefined },
): Micros | undefined {
  if (side === "yes") return book.yesBid === undefined ? undefined : bid - book.yesBid;
  return book.yesAsk === undefined ? undefined : book.yesAsk - complement(bid);
}

/** The mid of the book, or undefined without both sides. */
export function midOf(yesBid: Micros | undefined, yesAsk: Micros | undefined): Micros | undefined {
  if (yesBid === undefined || yesAsk === undefined || yesBid <= 0 || yesAsk <= 0) return undefined;
  return Math.round((yesBid + yesAsk) / 2);
}

export interface QuoteLike {
  id: string;
  yes_bid_dollars: string;
  no_bid_dollars: string;
  status: string;
}

/** Ids of the best open quote per side (highest bid; 0 means the side is declined). */
export function bestQuotes(
  quotes: readonly QuoteLike[],
  parse: (dollars: string) => Micros | undefined,
): { yes: string | undefined; no: string | undefined } {
  let yes: { id: string; bid: Micros } | undefined;
  let no: { id: string; bid: Micros } | undefined;
  for (const quote of quotes) {
    if (quote.status !== "open") continue;
    const y = parse(quote.yes_bid_dollars) ?? 0;
    const n = parse(quote.no_bid_dollars) ?? 0;
    if (y > 0 && (!yes || y > yes.bid)) yes = { id: quote.id, bid: y };
    if (n > 0 && (!no || n > no.bid)) no = { id: quote.id, bid: n };
  }
  return { yes: yes?.id, no: no?.id };
}

export interface AcceptPreview {
  /** What the requester ends up holding. */
  holds: Side;
  /** Price per contract the requester pays for what it holds. */
  pricePaid: Micros;
  cost: Micros;
  fee: Micros;
  /** cost + fee */
  total: Micros;
  /** What the position pays if it wins: $1 a contract. */
  maxPayout: Micros;
  balanceAfter: Micros | undefined;
}

/** What accepting `side` of a quote costs the requester (the taker of the block trade). */
export function acceptPreview(input: {
  side: Side;
  bid: Micros;
  count: Centis;
  feeType: FeeType;
  feeMultiplier: number;
  balance: Micros | undefined;
}): AcceptPreview {
  const holds: Side = input.side === "yes" ? "no" : "yes";
  const pricePaid = complement(input.bid);
  const cost = notional(pricePaid, input.count);
  const fee = ceilTo(
    tradeFee({
      price: impliedYesPrice(input.side, input.bid),
      count: input.count,
      feeType: input.feeType,
      feeMultiplier: input.feeMultiplier,
      role: "taker",
    }),
    ONE_CENT,
  );
  const total = cost + fee;
  return {
    holds,
    pricePaid,
    cost,
    fee,
    total,
    maxPayout: notional(ONE_DOLLAR, input.count),
    balanceAfter: input.balance === undefined ? undefined : input.balance - total,
  };
}

/** Why a maker's pair of bids cannot be sent, or null when it can. */
export function quotePairProblem(
  yesBid: Micros | undefined,
  noBid: Micros | undefined,
): string | null {
  if (yesBid === undefined || noBid === undefined) return "Enter both bids (0 declines a side).";
  if (yesBid < 0 || noBid < 0) return "Bids cannot be negative.";
  if (yesBid === 0 && noBid === 0) return "Quote at least one side.";
  if (yesBid + noBid > ONE_DOLLAR) return "Yes bid + no bid must not exceed $1.00.";
  return null;
}

/**
 * Bids around a mid with a total spread (both micro-dollars), floored to the
 * cent grid: yes bid = mid − spread/2, no bid = (1 − mid) − spread/2.
 */
export function quoteAroundMid(mid: Micros, spread: Micros): { yesBid: Micros; noBid: Micros } {
  const half = Math.ceil(spread / 2);
  const floorCent = (v: Micros) => Math.max(0, Math.floor(v / ONE_CENT) * ONE_CENT);
  return { yesBid: floorCent(mid - half), noBid: floorCent(ONE_DOLLAR - mid - half) };
}

/**
 * A combo's naive price: the product of each leg's probability (its YES mid,
 * or $1 − mid for a NO leg), as if the legs were independent. Exact integer
 * arithmetic: the product of n micro-dollar probabilities over 10⁶ⁿ⁻¹,
 * rounded half up once at the end, so no leg count loses a micro-dollar to
 * floating point. Undefined while a leg has no mid.
 */
export function naiveComboPrice(
  legs: ReadonlyArray<{ side: Side; mid: Micros | undefined }>,
): Micros | undefined {
  if (legs.length === 0) return undefined;
  const scale = BigInt(ONE_DOLLAR);
  let numerator = 1n;
  for (const leg of legs) {
    if (leg.mid === undefined) return undefined;
    const yes = BigInt(Math.min(Math.max(leg.mid, 0), ONE_DOLLAR));
    numerator *= leg.side === "yes" ? yes : scale - yes;
  }
  const denominator = scale ** BigInt(legs.length - 1);
  return Number((2n * numerator + denominator) / (2n * denominator));
}
