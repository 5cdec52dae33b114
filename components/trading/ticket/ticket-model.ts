/**
 * The order ticket's arithmetic, kept pure so it is tested to the digit:
 * field validation against the market's grid and count rules, price steps
 * that follow tapered tick bands, and the live preview (cost, max payout,
 * taker and maker fee from lib/fees.ts, balance after).
 */
import type { FeeSchedule } from "@/components/trading/market-terms";
import {
  toBookOrder,
  type OrderAction,
  type OutcomeSide,
  type TimeInForce,
  type SelfTradePrevention,
} from "@/components/trading/order-intent";
import type { TicketField } from "@/components/trading/order-errors";
import { tradeFee } from "@/lib/fees";
import {
  FixedPointError,
  ONE_CENT,
  ONE_DOLLAR,
  complement,
  notional,
  parseCount,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";
import { isOnGrid, nextPrice, snapToGrid, type PriceRange } from "@/lib/price-grid";

export interface TicketState {
  side: OutcomeSide;
  action: OrderAction;
  /** Price of `side` in cents as typed ("56", "12.5"). */
  priceText: string;
  /** Contracts as typed ("10", "2.5"). */
  countText: string;
  timeInForce: TimeInForce;
  /** `datetime-local` value, or "" for none (good-till-canceled only). */
  expiration: string;
  postOnly: boolean;
  reduceOnly: boolean;
  selfTradePrevention: SelfTradePrevention;
  cancelOnPause: boolean;
  subaccount: number;
  orderGroupId: string;
}

export const INITIAL_TICKET: TicketState = {
  side: "yes",
  action: "buy",
  priceText: "",
  countText: "1",
  timeInForce: "good_till_canceled",
  expiration: "",
  postOnly: false,
  reduceOnly: false,
  selfTradePrevention: "taker_at_cross",
  cancelOnPause: false,
  subaccount: 0,
  orderGroupId: "",
};

export type TicketErrors = Partial<Record<TicketField, string>>;

export interface TicketRules {
  ranges: readonly PriceRange[];
  fractional: boolean;
  /** Now, in ms (passed in so validation is pure). */
  nowMs: number;
}

export interface ValidTicket {
  price: Micros;
  count: Centis;
  /** Unix seconds, when an expiration was set. */
  expirationTime?: number;
}

const CENTS_RE = /^\d{1,3}(\.\d{1,4})?$/;

/** Cents as typed ("56", "0.5", "99.9") into micro-dollars; null when not a number of cents. */
export function parseCents(text: string): Micros | null {
  const trimmed = text.trim();
  if (!CENTS_RE.test(trimmed)) return null;
  const [whole = "0", frac = ""] = trimmed.split(".");
  return Number(whole) * ONE_CENT + Number(frac.padEnd(4, "0"));
}

/** Micro-dollars as cents for the price field: "56", "12.5", "0.1". */
export function formatCentsInput(price: Micros): string {
  const whole = Math.floor(price / ONE_CENT);
  const frac = String(price % ONE_CENT)
    .padStart(4, "0")
    .replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Checks every field; each message names what to change. */
export function validateTicket(
  state: TicketState,
  rules: TicketRules,
): { ok: true; value: ValidTicket } | { ok: false; errors: TicketErrors } {
  const errors: TicketErrors = {};
  const price = parseCents(state.priceText);
  if (state.priceText.trim() === "") errors.price = "Enter a limit price in cents.";
  else if (price === null) errors.price = "Price must be a number of cents, like 56 or 12.5.";
  else if (price <= 0 || price >= ONE_DOLLAR) errors.price = "Price must be between 0¢ and 100¢.";
  else if (!isOnGrid(price, rules.ranges)) {
    const below = snapToGrid(price, rules.ranges, "down");
    const above = snapToGrid(price, rules.ranges, "up");
    const options = [below, above]
      .filter((p): p is Micros => p !== null)
      .map((p) => `${formatCentsInput(p)}¢`);
    errors.price = `Not on this market's price grid; nearest: ${options.join(" or ")}.`;
  }

  let count: Centis | null = null;
  try {
    count = parseCount(state.countText.trim());
  } catch (error) {
    if (!(error instanceof FixedPointError)) throw error;
  }
  if (count === null)
    errors.count = "Contracts must be a number like 10 or 2.5 (at most 2 decimals).";
  else if (count < 1) errors.count = "At least 0.01 contracts.";
  else if (!rules.fractional && count % 100 !== 0)
    errors.count = "This market trades whole contracts only.";

  let expirationTime: number | undefined;
  if (state.timeInForce === "good_till_canceled" && state.expiration !== "") {
    const ms = Date.parse(state.expiration);
    if (Number.isNaN(ms)) errors.expiration = "Expiration is not a valid date and time.";
    else if (ms <= rules.nowMs) errors.expiration = "Expiration must be in the future.";
    else expirationTime = Math.floor(ms / 1000);
  }
  if (state.postOnly && state.timeInForce !== "good_till_canceled")
    errors.postOnly = "Post-only orders must rest: use good till canceled.";

  if (Object.keys(errors).length > 0 || price === null || count === null)
    return { ok: false, errors };
  return {
    ok: true,
    value: { price, count, ...(expirationTime === undefined ? {} : { expirationTime }) },
  };
}

/** One grid step up or down from the typed price (or from the edge when empty). */
export function stepPrice(
  priceText: string,
  ranges: readonly PriceRange[],
  direction: "up" | "down",
): Micros | null {
  const current = parseCents(priceText);
  if (current === null) return nextPrice(direction === "up" ? 0 : ONE_DOLLAR, ranges, direction);
  const clamped = Math.min(Math.max(current, 0), ONE_DOLLAR);
  return nextPrice(clamped, ranges, direction) ?? (isOnGrid(clamped, ranges) ? clamped : null);
}

/** Best YES bid and ask of the book, micro-dollars. */
export interface TopOfBook {
  bestBid: Micros | null;
  bestAsk: Micros | null;
}

/** Would an order at this price trade at once against the book? */
export function crossesBook(
  side: OutcomeSide,
  action: OrderAction,
  price: Micros,
  top: TopOfBook,
): boolean {
  const { bookSide, yesPrice } = toBookOrder(side, action, price);
  return bookSide === "bid"
    ? top.bestAsk !== null && top.bestAsk <= yesPrice
    : top.bestBid !== null && top.bestBid >= yesPrice;
}

/** Best price to take on the other side for this side/action (in `side` terms), or null. */
export function takePrice(side: OutcomeSide, action: OrderAction, top: TopOfBook): Micros | null {
  // Buying YES lifts the YES ask; buying NO hits the YES bid (NO ask = 1 − YES bid).
  const bidsForYes = (side === "yes") === (action === "buy");
  const yes = bidsForYes ? top.bestAsk : top.bestBid;
  if (yes === null) return null;
  return side === "yes" ? yes : complement(yes);
}

export interface TicketPreview {
  /** Cash the order takes if it all fills at the limit price (collateral for new contracts). */
  cost: Micros;
  /** Cash received for contracts it closes (sells of a held side). */
  proceeds: Micros;
  /** What the new contracts pay if they win ($1 each). */
  maxPayout: Micros;
  /** Contracts that close an existing position / that open new exposure. */
  closing: Centis;
  opening: Centis;
  /** Fee if it all trades now as the taker, and if it all rests and fills as a maker. */
  takerFee: Micros;
  makerFee: Micros;
  crosses: boolean;
  /** Balance after, with the fee of the likely role; null when the balance is unknown. */
  balanceAfter: Micros | null;
}

export interface PreviewInput {
  side: OutcomeSide;
  action: OrderAction;
  price: Micros;
  count: Centis;
  fees: FeeSchedule;
  top: TopOfBook;
  /** Contracts held of `side` (≥ 0) — what a sell can close. */
  held: Centis;
  balance: Micros | null;
}

/**
 * The preview of an order filling entirely at its limit price. A buy pays
 * price × count; a sell of held contracts receives price × count for those
 * and pays the complement as collateral for any beyond the holding (it opens
 * the other side, as Kalshi's single book does). Fees are lib/fees.ts's exact
 * per-fill fees, ceiled to the centicent.
 */
export function previewTicket(input: PreviewInput): TicketPreview {
  const { side, action, price, count, fees } = input;
  const closing = action === "sell" ? Math.min(Math.max(input.held, 0), count) : 0;
  const opening = count - closing;
  const proceeds = notional(price, closing);
  const cost = action === "buy" ? notional(price, opening) : notional(complement(price), opening);
  const maxPayout = notional(ONE_DOLLAR, opening);
  const feeInput = { price, count, feeType: fees.feeType, feeMultiplier: fees.feeMultiplier };
  const takerFee = tradeFee({ ...feeInput, role: "taker" });
  const makerFee = tradeFee({ ...feeInput, role: "maker" });
  const crosses = crossesBook(side, action, price, input.top);
  const balanceAfter =
    input.balance === null
      ? null
      : input.balance - cost + proceeds - (crosses ? takerFee : makerFee);
  return { cost, proceeds, maxPayout, closing, opening, takerFee, makerFee, crosses, balanceAfter };
}
