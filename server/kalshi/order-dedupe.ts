/**
 * Deciding whether an order that already carries a client_order_id is THIS
 * order (a replayed create: return it as `deduplicated`) or a different one
 * (the trader reused the id: refuse with `client_order_id_reused`).
 *
 * Kalshi's order object shows ticker, book side, price, initial count,
 * expiration, self-trade prevention, order group, cancel-on-pause and
 * subaccount, but not time in force, post-only or reduce-only. Those are
 * compared from what this process sent earlier under the same id (a bounded
 * memory), and time in force also from what the order did (an IOC/FOK never
 * rests).
 */
import { parseCount, parseDollars } from "@/lib/fixed-point";
import type { CreateOrderInput, Order } from "@/lib/schemas/order";

import { KalshiError, LOCAL_ERROR_CODES } from "./errors";

/** The create fields the order object does not echo back. */
interface UnseenFields {
  time_in_force: string;
  post_only: boolean;
  reduce_only: boolean;
}

/** Enough for every order a busy process sends within the exchange's dedupe lookback. */
const MEMORY_LIMIT = 10_000;
const sent = new Map<string, UnseenFields>();

function unseen(input: CreateOrderInput): UnseenFields {
  return {
    time_in_force: input.time_in_force,
    post_only: input.post_only ?? false,
    reduce_only: input.reduce_only ?? false,
  };
}

/**
 * Remembers what was placed (or may have been) under a client_order_id,
 * scoped by `owner` (base URL + key id: ids are per trader). The first
 * order to take an id is the one that holds it, so a later one never
 * overwrites it.
 */
export function rememberSentOrder(owner: string, clientOrderId: string, input: CreateOrderInput) {
  const key = `${owner}|${clientOrderId}`;
  if (sent.has(key)) return;
  if (sent.size >= MEMORY_LIMIT) {
    const oldest = sent.keys().next().value;
    if (oldest !== undefined) sent.delete(oldest);
  }
  sent.set(key, unseen(input));
}

/** Forgets every remembered order (tests only: simulates another process). */
export function resetPlacedOrderMemoryForTests(): void {
  sent.clear();
}

/** Prices as fixed point ("0.03" and "0.0300" and ".03" are one price). */
function samePrice(a: string, b: string): boolean {
  const normal = (text: string) => parseDollars(text.startsWith(".") ? `0${text}` : text);
  return normal(a) === normal(b);
}

/**
 * The fields in which `existing` (found by client_order_id) differs from
 * `input`; empty when it is the same order. `firstSent` is what this process
 * sent first under the id, if it remembers.
 */
export function orderDifferences(
  existing: Order,
  input: CreateOrderInput,
  firstSent?: UnseenFields,
): string[] {
  const diffs: string[] = [];
  if (existing.ticker !== input.ticker) diffs.push("ticker");
  if (existing.book_side !== input.side) diffs.push("side");
  if (!samePrice(existing.yes_price_dollars, input.price)) diffs.push("price");
  if (parseCount(existing.initial_count_fp) !== parseCount(input.count)) diffs.push("count");
  const expiration = existing.expiration_time
    ? Math.floor(Date.parse(existing.expiration_time) / 1000)
    : undefined;
  if (expiration !== input.expiration_time) diffs.push("expiration_time");
  if (
    existing.self_trade_prevention_type != null &&
    existing.self_trade_prevention_type !== input.self_trade_prevention_type
  ) {
    diffs.push("self_trade_prevention_type");
  }
  if ((existing.order_group_id ?? undefined) !== input.order_group_id) diffs.push("order_group_id");
  if (
    existing.cancel_order_on_pause != null &&
    existing.cancel_order_on_pause !== (input.cancel_order_on_pause ?? false)
  ) {
    diffs.push("cancel_order_on_pause");
  }
  if ((existing.subaccount_number ?? 0) !== (input.subaccount ?? 0)) diffs.push("subaccount");
  const wanted = unseen(input);
  // An immediate-or-cancel or fill-or-kill order never rests.
  if (existing.status === "resting" && wanted.time_in_force !== "good_till_canceled") {
    diffs.push("time_in_force");
  } else if (firstSent && firstSent.time_in_force !== wanted.time_in_force) {
    diffs.push("time_in_force");
  }
  if (firstSent && firstSent.post_only !== wanted.post_only) diffs.push("post_only");
  if (firstSent && firstSent.reduce_only !== wanted.reduce_only) diffs.push("reduce_only");
  return diffs;
}

/** Looks up what this process first sent under a client_order_id. */
export function firstSentOrder(owner: string, clientOrderId: string): UnseenFields | undefined {
  return sent.get(`${owner}|${clientOrderId}`);
}

/**
 * The error for a client_order_id that already names another order: a 409
 * the trader can act on (pick a new id), never a silent "already placed".
 */
export function clientOrderIdReused(
  cause: KalshiError,
  clientOrderId: string,
  differences: readonly string[],
): KalshiError {
  const which =
    differences.length > 0
      ? ` (it differs in ${differences.join(", ")})`
      : " (no order with this id was found on this market and subaccount)";
  return new KalshiError({
    status: 409,
    code: LOCAL_ERROR_CODES.clientOrderIdReused,
    message: `client_order_id ${clientOrderId} is already used by a different order${which}; nothing was placed. Send this order with a new client_order_id.`,
    method: cause.method,
    path: cause.path,
    attempts: cause.attempts,
    cause,
  });
}
