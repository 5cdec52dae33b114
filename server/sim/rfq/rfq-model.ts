/**
 * Records of the simulator's RFQ desk (getting_started/rfqs.md): requests for
 * quote, the makers' quotes on them, and the timing rules of the two-step
 * lock (accept → confirm → execute). Money is integer micro-dollars, counts
 * integer centi-contracts, times epoch ms, as everywhere in the simulator.
 *
 * Prices: a quote's `yesBid` is what the maker pays for a YES contract and
 * `noBid` what it pays for a NO contract (a two-sided market, hence the
 * `yes_bid + no_bid ≤ $1` rule). Accepting a side hits that bid: the maker
 * buys that outcome at the bid, the requester takes the other outcome at
 * $1 − bid. A bid of 0 declines the side.
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type { OutcomeSide } from "@/server/sim/model";

export type RfqStatus = "open" | "closed";
export type QuoteStatus = "open" | "accepted" | "confirmed" | "executed" | "cancelled";

/** Why an RFQ closed without executing (`cancellation_reason`). */
export type RfqCancellationReason =
  "deleted" | "replaced" | "expired" | "market_closed" | "insufficient_balance";

/** Why a quote was cancelled (`cancellation_reason`). */
export type QuoteCancellationReason =
  "deleted" | "replaced" | "rfq_closed" | "confirmation_timeout" | "insufficient_balance";

export interface RfqRecord {
  id: string;
  userId: string;
  subaccount: number;
  marketTicker: string;
  eventTicker: string;
  /** Requested size, or null when sized by target cost. */
  contracts: Centis | null;
  /** Dollar amount to spend, or null when sized by contracts. */
  targetCost: Micros | null;
  /** Target cost is principal only; the requester's fees come on top (SDK `target_cost_excludes_fees`). */
  targetCostExcludesFees: boolean;
  restRemainder: boolean;
  status: RfqStatus;
  cancellationReason: RfqCancellationReason | null;
  createdTime: number;
  updatedTime: number;
  cancelledTime: number | null;
  /** When an open RFQ expires on its own. */
  expiresTime: number;
}

export interface QuoteRecord {
  id: string;
  rfqId: string;
  userId: string;
  subaccount: number;
  marketTicker: string;
  /** Maker's YES bid, 0 = side declined. */
  yesBid: Micros;
  /** Maker's NO bid, 0 = side declined. */
  noBid: Micros;
  /** Contracts traded if the yes side is accepted (0 when declined or unsized). */
  yesContracts: Centis;
  /** Contracts traded if the no side is accepted. */
  noContracts: Centis;
  restRemainder: boolean;
  postOnly: boolean;
  status: QuoteStatus;
  acceptedSide: OutcomeSide | null;
  cancellationReason: QuoteCancellationReason | null;
  createdTime: number;
  updatedTime: number;
  acceptedTime: number | null;
  confirmedTime: number | null;
  executedTime: number | null;
  cancelledTime: number | null;
  /** The requester's order created at execution (private to the requester). */
  rfqCreatorOrderId: string | null;
  rfqCreatorClientOrderId: string | null;
  /** The maker's order created at execution (private to the maker). */
  creatorOrderId: string | null;
  creatorClientOrderId: string | null;
}

/** Confirmation window and execution timer, ms. */
export interface RfqTiming {
  confirmationWindowMs: number;
  executionTimerMs: number;
}

/** rfqs.md "Timing": standard markets. */
export const STANDARD_TIMING: RfqTiming = {
  confirmationWindowMs: 30_000,
  executionTimerMs: 15_000,
};
/** rfqs.md "Timing": High Volatility Markets (all combo markets). */
export const HVM_TIMING: RfqTiming = { confirmationWindowMs: 3_000, executionTimerMs: 1_000 };

/** create-rfq.md: "You can have a maximum of 100 open RFQs at a time." */
export const MAX_OPEN_RFQS = 100;

/** Contracts a quote trades when `side` is accepted. */
export function contractsFor(quote: QuoteRecord, side: OutcomeSide): Centis {
  return side === "yes" ? quote.yesContracts : quote.noContracts;
}

/** The maker's bid on `side`. */
export function bidFor(quote: QuoteRecord, side: OutcomeSide): Micros {
  return side === "yes" ? quote.yesBid : quote.noBid;
}
