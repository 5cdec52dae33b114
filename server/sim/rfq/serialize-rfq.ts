/**
 * REST wire shapes of RFQs and quotes (SDK models rfq.ts and quote.ts),
 * shaped for the caller: the public communications IDs are shown to anyone
 * who may see the record, the private fields (user IDs, order IDs,
 * subaccounts, post_only) only to the party they belong to.
 */
import { comboFields } from "@/server/sim/combos/combo-fields";
import { createHash } from "node:crypto";
import { formatCount, formatDollars } from "@/lib/fixed-point";
import { isoTime } from "@/server/sim/http/serialize-market";
import type { QuoteRecord, RfqRecord } from "@/server/sim/rfq/rfq-model";
import type { SimState } from "@/server/sim/state";

/**
 * A user's public communications ID: stable for the exchange's seed, and
 * not reversible to the user ID (which Kalshi treats as private).
 */
export function communicationsId(state: SimState, userId: string): string {
  return createHash("sha256").update(`comm|${state.seed}|${userId}`).digest("hex").slice(0, 32);
}

/** Who is looking: the user, and the subaccount a restricted key is locked to. */
export interface Viewer {
  userId: string;
  /** Non-null for subaccount-restricted keys: other subaccounts' records are not theirs. */
  lockedSubaccount: number | null;
}

/** True when `viewer` owns a record of (userId, subaccount). */
export function owns(viewer: Viewer, userId: string, subaccount: number): boolean {
  return (
    viewer.userId === userId &&
    (viewer.lockedSubaccount === null || viewer.lockedSubaccount === subaccount)
  );
}

/** The SDK's RFQ model, for `viewer`. */
export function serializeRfq(
  state: SimState,
  rfq: RfqRecord,
  viewer: Viewer,
): Record<string, unknown> {
  const mine = owns(viewer, rfq.userId, rfq.subaccount);
  return {
    id: rfq.id,
    creator_id: communicationsId(state, rfq.userId),
    market_ticker: rfq.marketTicker,
    ...comboFields(state, rfq.marketTicker),
    // Required by the schema; a target-cost RFQ has no fixed count until quoted.
    contracts_fp: formatCount(rfq.contracts ?? 0),
    ...(rfq.targetCost === null
      ? {}
      : {
          target_cost_dollars: formatDollars(rfq.targetCost),
          target_cost_excludes_fees: rfq.targetCostExcludesFees,
        }),
    status: rfq.status,
    created_ts: isoTime(rfq.createdTime),
    rest_remainder: rfq.restRemainder,
    ...(rfq.cancellationReason === null ? {} : { cancellation_reason: rfq.cancellationReason }),
    ...(mine ? { creator_user_id: rfq.userId, creator_subaccount: rfq.subaccount } : {}),
    ...(rfq.cancelledTime === null ? {} : { cancelled_ts: isoTime(rfq.cancelledTime) }),
    updated_ts: isoTime(rfq.updatedTime),
  };
}

/** The SDK's Quote model, for `viewer` (who is the quote's maker, the RFQ's creator, or both never). */
export function serializeQuote(
  state: SimState,
  quote: QuoteRecord,
  rfq: RfqRecord,
  viewer: Viewer,
): Record<string, unknown> {
  const isMaker = owns(viewer, quote.userId, quote.subaccount);
  const isRequester = owns(viewer, rfq.userId, rfq.subaccount);
  return {
    id: quote.id,
    rfq_id: quote.rfqId,
    creator_id: communicationsId(state, quote.userId),
    rfq_creator_id: communicationsId(state, rfq.userId),
    market_ticker: quote.marketTicker,
    contracts_fp: formatCount(quoteContracts(quote)),
    yes_bid_dollars: formatDollars(quote.yesBid),
    no_bid_dollars: formatDollars(quote.noBid),
    created_ts: isoTime(quote.createdTime),
    updated_ts: isoTime(quote.updatedTime),
    status: quote.status,
    ...(quote.acceptedSide === null ? {} : { accepted_side: quote.acceptedSide }),
    ...(quote.acceptedTime === null ? {} : { accepted_ts: isoTime(quote.acceptedTime) }),
    ...(quote.confirmedTime === null ? {} : { confirmed_ts: isoTime(quote.confirmedTime) }),
    ...(quote.executedTime === null ? {} : { executed_ts: isoTime(quote.executedTime) }),
    ...(quote.cancelledTime === null ? {} : { cancelled_ts: isoTime(quote.cancelledTime) }),
    rest_remainder: quote.restRemainder,
    ...(quote.cancellationReason === null ? {} : { cancellation_reason: quote.cancellationReason }),
    ...(rfq.targetCost === null
      ? {}
      : {
          rfq_target_cost_dollars: formatDollars(rfq.targetCost),
          target_cost_excludes_fees: rfq.targetCostExcludesFees,
        }),
    yes_contracts_fp: formatCount(quote.yesContracts),
    no_contracts_fp: formatCount(quote.noContracts),
    ...(isMaker
      ? {
          post_only: quote.postOnly,
          creator_user_id: quote.userId,
          creator_subaccount: quote.subaccount,
          ...(quote.creatorOrderId === null ? {} : { creator_order_id: quote.creatorOrderId }),
        }
      : {}),
    ...(isRequester
      ? {
          rfq_creator_user_id: rfq.userId,
          rfq_creator_subaccount: rfq.subaccount,
          ...(quote.rfqCreatorOrderId === null
            ? {}
            : { rfq_creator_order_id: quote.rfqCreatorOrderId }),
        }
      : {}),
  };
}

/**
 * `contracts_fp` of a quote: the accepted side's count once accepted,
 * otherwise the larger of the two offered counts (equal for contracts RFQs).
 */
export function quoteContracts(quote: QuoteRecord): number {
  if (quote.acceptedSide === "yes") return quote.yesContracts;
  if (quote.acceptedSide === "no") return quote.noContracts;
  return Math.max(quote.yesContracts, quote.noContracts);
}
