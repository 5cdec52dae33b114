/** Errors of the RFQ desk, with the codes rfqs.md "Common errors" lists. */
import { formatDollars, type Micros } from "@/lib/fixed-point";
import { SimError, simErrors } from "@/server/sim/errors";

export const rfqErrors = {
  /** "RFQ was deleted, expired, or already executed." */
  rfqClosed: (rfqId: string, reason: string) =>
    new SimError(400, "RFQ_CLOSED", `RFQ ${rfqId} is closed (${reason})`),
  /** rfqs.md: "409 Conflict: Open RFQ already exists on this market ticker". */
  openRfqExists: (ticker: string) =>
    new SimError(
      409,
      "conflict",
      `you already have an open RFQ on ${ticker}; delete it or pass replace_existing: true`,
    ),
  tooManyOpen: (max: number) =>
    simErrors.invalidParameters(
      `you already have the maximum of ${max} open RFQs; delete one first`,
    ),
  rfqNotFound: (rfqId: string) => simErrors.notFound(`RFQ ${rfqId}`),
  quoteNotFound: (quoteId: string) => simErrors.notFound(`quote ${quoteId}`),
  insufficientBalance: (needed: Micros, available: Micros) =>
    simErrors.insufficientBalance(
      formatDollars(needed, 2),
      formatDollars(Math.max(available, 0), 2),
    ),
} as const;
