/**
 * Order intents: what a trader meant ("buy 10 NO at 44¢"), turned into the
 * BFF's V2 order body (one YES book: `bid`/`ask` at a YES price), and the
 * one client_order_id each intent carries for its whole life.
 *
 * The id is made when the intent is made (the click, the key press), not when
 * a request is sent, so a double click, a retry after a network error, or a
 * re-auth round trip all send the same id and Kalshi places the order at most
 * once. Pure and browser-safe.
 */
import {
  complement,
  formatCount,
  formatDollars,
  parseCount,
  parseDollars,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";
import type { BookSide, CreateOrderBody, Order } from "@/lib/schemas/order";

export type OutcomeSide = "yes" | "no";
export type OrderAction = "buy" | "sell";
export type TimeInForce = "good_till_canceled" | "immediate_or_cancel" | "fill_or_kill";
export type SelfTradePrevention = "taker_at_cross" | "maker";

/** Everything the ticket (or the ladder, or a hotkey) can ask for. */
export interface PlaceOrderInput {
  ticker: string;
  side: OutcomeSide;
  action: OrderAction;
  /** Limit price of `side` (a NO price for NO orders). */
  price: Micros;
  count: Centis;
  timeInForce?: TimeInForce;
  /** Unix seconds; good-till-canceled only. */
  expirationTime?: number;
  postOnly?: boolean;
  reduceOnly?: boolean;
  selfTradePrevention?: SelfTradePrevention;
  cancelOnPause?: boolean;
  subaccount?: number;
  orderGroupId?: string;
}

export interface PlaceOrderIntent extends PlaceOrderInput {
  /** Made once with the intent; every send of this intent reuses it. */
  readonly clientOrderId: string;
}

/** A fresh client_order_id (a uuid: letters, digits and dashes, as Kalshi accepts). */
export function newClientOrderId(): string {
  return globalThis.crypto.randomUUID();
}

/** Freezes what the trader asked for together with its one client_order_id. */
export function createPlaceIntent(
  input: PlaceOrderInput,
  makeId: () => string = newClientOrderId,
): PlaceOrderIntent {
  return Object.freeze({ ...input, clientOrderId: makeId() });
}

/**
 * Where an outcome-side order sits on the single YES book: buying YES or
 * selling NO bids for YES; selling YES or buying NO offers YES. A NO price q
 * is a YES price of $1 − q.
 */
export function toBookOrder(
  side: OutcomeSide,
  action: OrderAction,
  price: Micros,
): { bookSide: BookSide; yesPrice: Micros } {
  const bidsForYes = (side === "yes") === (action === "buy");
  return {
    bookSide: bidsForYes ? "bid" : "ask",
    yesPrice: side === "yes" ? price : complement(price),
  };
}

/** The outcome-side view of a book order, for the side the trader is looking at. */
export function fromBookOrder(
  bookSide: BookSide,
  yesPrice: Micros,
  view: OutcomeSide,
): { action: OrderAction; price: Micros } {
  const isBid = bookSide === "bid";
  return view === "yes"
    ? { action: isBid ? "buy" : "sell", price: yesPrice }
    : { action: isBid ? "sell" : "buy", price: complement(yesPrice) };
}

/** The BFF body for `POST /api/orders` (strings exactly as Kalshi formats them). */
export function placeOrderBody(intent: PlaceOrderIntent): CreateOrderBody {
  const { bookSide, yesPrice } = toBookOrder(intent.side, intent.action, intent.price);
  const body: CreateOrderBody = {
    ticker: intent.ticker,
    side: bookSide,
    count: formatCount(intent.count),
    price: formatDollars(yesPrice),
    time_in_force: intent.timeInForce ?? "good_till_canceled",
    self_trade_prevention_type: intent.selfTradePrevention ?? "taker_at_cross",
    client_order_id: intent.clientOrderId,
  };
  if (intent.expirationTime !== undefined && body.time_in_force === "good_till_canceled")
    body.expiration_time = intent.expirationTime;
  if (intent.postOnly) body.post_only = true;
  if (intent.reduceOnly) body.reduce_only = true;
  if (intent.cancelOnPause) body.cancel_order_on_pause = true;
  if (intent.subaccount !== undefined && intent.subaccount > 0) body.subaccount = intent.subaccount;
  if (intent.orderGroupId) body.order_group_id = intent.orderGroupId;
  return body;
}

/** A resting order's numbers as integers (what the blotter and amend need). */
export interface WorkingOrder {
  orderId: string;
  ticker: string;
  bookSide: BookSide;
  yesPrice: Micros;
  filled: Centis;
  remaining: Centis;
  initial: Centis;
  subaccount: number | null;
  orderGroupId: string | null;
  createdTime: string | null;
  expirationTime: string | null;
  status: string;
}

export function toWorkingOrder(order: Order): WorkingOrder {
  return {
    orderId: order.order_id,
    ticker: order.ticker,
    bookSide: order.book_side,
    yesPrice: parseDollars(order.yes_price_dollars),
    filled: parseCount(order.fill_count_fp),
    remaining: parseCount(order.remaining_count_fp),
    initial: parseCount(order.initial_count_fp),
    subaccount: order.subaccount_number ?? null,
    orderGroupId: order.order_group_id ?? null,
    createdTime: order.created_time ?? null,
    expirationTime: order.expiration_time ?? null,
    status: order.status,
  };
}

/** An amend: a new YES price and/or a new remaining count, with its own one id. */
export interface AmendOrderIntent {
  order: Pick<
    WorkingOrder,
    "orderId" | "ticker" | "bookSide" | "yesPrice" | "filled" | "remaining"
  >;
  /** New YES price; the order's own when only the size changes. */
  yesPrice?: Micros;
  /** New remaining count; the order's own when only the price changes. */
  remaining?: Centis;
  readonly updatedClientOrderId: string;
}

export function createAmendIntent(
  order: AmendOrderIntent["order"],
  change: { yesPrice?: Micros; remaining?: Centis },
  makeId: () => string = newClientOrderId,
): AmendOrderIntent {
  return Object.freeze({ order, ...change, updatedClientOrderId: makeId() });
}

/**
 * Kalshi's amend takes the max fillable count (filled + remaining), not the
 * remaining count, so keeping the size means sending filled + remaining.
 */
export function amendOrderBody(intent: AmendOrderIntent) {
  const { order } = intent;
  const remaining = intent.remaining ?? order.remaining;
  return {
    ticker: order.ticker,
    side: order.bookSide,
    price: formatDollars(intent.yesPrice ?? order.yesPrice),
    count: formatCount(order.filled + remaining),
    updated_client_order_id: intent.updatedClientOrderId,
  };
}
