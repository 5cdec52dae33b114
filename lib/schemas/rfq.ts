import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import {
  CursorInput,
  CountInput,
  CountString,
  Cursor,
  DollarsString,
  PriceInput,
  ResourceId,
  Ticker,
  UnixSeconds,
} from "./common";
import { SelectedLegSchema } from "./collection";

/**
 * Request-for-quote (api-reference/communications/*): RFQs a trader asks,
 * quotes makers answer, and the accept → confirm → execute flow. Browser-safe.
 */

/** Kalshi sends RFQ/quote timestamps as ISO strings; kept as text. */
const Timestamp = z.string().min(1);

export const RfqSchema = z.looseObject({
  id: z.string().min(1),
  market_ticker: z.string().min(1),
  contracts_fp: CountString,
  target_cost_dollars: DollarsString.nullish(),
  status: z.string().min(1),
  created_ts: Timestamp,
  rest_remainder: z.boolean().optional(),
  cancellation_reason: z.string().nullish(),
  /** Combo RFQs: the collection and the legs of the combo market. */
  mve_collection_ticker: z.string().optional(),
  mve_selected_legs: z.array(SelectedLegSchema).optional(),
});
export type Rfq = z.infer<typeof RfqSchema>;

/** GET /communications/rfqs */
export const RfqListSchema = z.looseObject({ rfqs: z.array(RfqSchema), cursor: Cursor });
export type RfqList = z.infer<typeof RfqListSchema>;

/** GET /communications/rfqs/{rfq_id} */
export const RfqResponseSchema = z.looseObject({ rfq: RfqSchema });

export const QuoteSchema = z.looseObject({
  id: z.string().min(1),
  rfq_id: z.string().min(1),
  market_ticker: z.string().min(1),
  contracts_fp: CountString,
  yes_bid_dollars: DollarsString,
  no_bid_dollars: DollarsString,
  created_ts: Timestamp,
  updated_ts: Timestamp,
  status: z.string().min(1),
  accepted_side: z.enum(["yes", "no"]).nullish(),
});
export type Quote = z.infer<typeof QuoteSchema>;

/** GET /communications/quotes */
export const QuoteListSchema = z.looseObject({ quotes: z.array(QuoteSchema), cursor: Cursor });
export type QuoteList = z.infer<typeof QuoteListSchema>;

/** GET /communications/quotes/{quote_id} */
export const QuoteResponseSchema = z.looseObject({ quote: QuoteSchema });

/** POST /communications/rfqs and /communications/quotes (201) */
export const CreatedIdSchema = z.looseObject({ id: z.string().min(1) });
export type CreatedId = z.infer<typeof CreatedIdSchema>;

// ---- BFF bodies and queries ----

/** A dollar amount to spend, e.g. "25" or "25.50" (cents at most). */
export const TargetCostInput = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, "must be an amount in dollars like 25 or 25.50")
  .refine((value) => Number(value) > 0, "must be more than $0");

/** POST /api/rfqs: a number of contracts (fractional allowed) or a target cost in dollars. */
export const CreateRfqBody = z
  .strictObject({
    market_ticker: Ticker,
    contracts: CountInput.optional(),
    target_cost_dollars: TargetCostInput.optional(),
    rest_remainder: z.boolean().default(false),
    replace_existing: z.boolean().optional(),
    subaccount: z.number().int().min(0).max(63).optional(),
  })
  .refine((body) => (body.contracts === undefined) !== (body.target_cost_dollars === undefined), {
    message: "give either contracts or target_cost_dollars, not both",
    path: ["contracts"],
  });
export type CreateRfqInput = z.output<typeof CreateRfqBody>;

/** POST /api/quotes: a maker's two-sided answer to an RFQ. */
export const CreateQuoteBody = z.strictObject({
  rfq_id: ResourceId,
  yes_bid: PriceInput,
  no_bid: PriceInput,
  rest_remainder: z.boolean().default(false),
  post_only: z.boolean().optional(),
  subaccount: z.number().int().min(0).max(63).optional(),
});
export type CreateQuoteInput = z.output<typeof CreateQuoteBody>;

/** POST /api/quotes/{quoteId}/accept */
export const AcceptQuoteBody = z.strictObject({ accepted_side: z.enum(["yes", "no"]) });
export type AcceptQuoteInput = z.output<typeof AcceptQuoteBody>;

/** GET /api/rfqs */
export const RfqsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: CursorInput.optional(),
  status: z.enum(["open", "closed"]).optional(),
  market_ticker: Ticker.optional(),
  /** "mine": only RFQs this trader created. */
  mine: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
});
export type RfqsQuery = z.infer<typeof RfqsQuery>;

/** GET /api/quotes */
export const QuotesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: CursorInput.optional(),
  status: z.enum(["open", "accepted", "confirmed", "executed", "cancelled"]).optional(),
  rfq_id: ResourceId.optional(),
  market_ticker: Ticker.optional(),
  min_ts: UnixSeconds.optional(),
  max_ts: UnixSeconds.optional(),
  /** "maker": quotes I made; "requester": quotes on my RFQs. */
  role: z.enum(["maker", "requester"]).optional(),
});
export type QuotesQuery = z.infer<typeof QuotesQuery>;

export const RfqParams = z.strictObject({ rfqId: ResourceId });
export const QuoteParams = z.strictObject({ quoteId: ResourceId });
export const QuoteAction = z.enum(["accept", "confirm"]);
