import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import {
  CountString,
  Cursor,
  DollarsString,
  IsoTime,
  PageLimit,
  SignedCountString,
  SignedDollarsString,
  SubaccountNumber,
  Ticker,
  UnixSeconds,
} from "./common";

/**
 * Portfolio shapes (api-reference/portfolio/*): balance, positions, fills,
 * settlements, and the queries the BFF accepts for them. Browser-safe.
 */

/** GET /portfolio/balance. `balance` and `portfolio_value` are integer cents. */
export const BalanceSchema = z.looseObject({
  balance: z.number().int(),
  balance_dollars: SignedDollarsString.optional(),
  portfolio_value: z.number().int(),
  updated_ts: z.number().int(),
  balance_breakdown: z
    .array(z.looseObject({ exchange_index: z.number().int(), balance: z.string() }))
    .optional(),
});
export type Balance = z.infer<typeof BalanceSchema>;

export const MarketPositionSchema = z.looseObject({
  ticker: z.string().min(1),
  total_traded_dollars: SignedDollarsString,
  position_fp: SignedCountString,
  market_exposure_dollars: SignedDollarsString,
  realized_pnl_dollars: SignedDollarsString,
  fees_paid_dollars: SignedDollarsString,
  last_updated_ts: z.string().optional(),
});
export type MarketPosition = z.infer<typeof MarketPositionSchema>;

export const EventPositionSchema = z.looseObject({
  event_ticker: z.string().min(1),
  total_cost_dollars: SignedDollarsString,
  total_cost_shares_fp: SignedCountString,
  event_exposure_dollars: SignedDollarsString,
  realized_pnl_dollars: SignedDollarsString,
  fees_paid_dollars: SignedDollarsString,
});

/** GET /portfolio/positions */
export const PositionsSchema = z.looseObject({
  cursor: Cursor,
  market_positions: z.array(MarketPositionSchema),
  event_positions: z.array(EventPositionSchema),
});
export type Positions = z.infer<typeof PositionsSchema>;

export const FillSchema = z.looseObject({
  fill_id: z.string().min(1),
  trade_id: z.string(),
  order_id: z.string(),
  ticker: z.string().min(1),
  outcome_side: z.enum(["yes", "no"]),
  book_side: z.enum(["bid", "ask"]),
  count_fp: CountString,
  yes_price_dollars: DollarsString,
  no_price_dollars: DollarsString,
  is_taker: z.boolean(),
  created_time: IsoTime.optional(),
  fee_cost: DollarsString,
  subaccount_number: z.number().int().nullish(),
});
export type Fill = z.infer<typeof FillSchema>;

/** GET /portfolio/fills */
export const FillListSchema = z.looseObject({ fills: z.array(FillSchema), cursor: Cursor });
export type FillList = z.infer<typeof FillListSchema>;

export const SettlementSchema = z.looseObject({
  ticker: z.string().min(1),
  event_ticker: z.string(),
  market_result: z.string(),
  yes_count_fp: CountString,
  yes_total_cost_dollars: DollarsString,
  no_count_fp: CountString,
  no_total_cost_dollars: DollarsString,
  revenue: z.number().int(),
  settled_time: IsoTime,
  fee_cost: DollarsString,
});
export type Settlement = z.infer<typeof SettlementSchema>;

/** GET /portfolio/settlements */
export const SettlementListSchema = z.looseObject({
  settlements: z.array(SettlementSchema),
  cursor: Cursor,
});
export type SettlementList = z.infer<typeof SettlementListSchema>;

// ---- BFF queries (query strings, so numbers are coerced) ----

const pageQuery = {
  limit: PageLimit.optional(),
  cursor: z.string().min(1).max(2000).optional(),
};

/** GET /api/portfolio/balance */
export const BalanceQuery = z.strictObject({ subaccount: SubaccountNumber.optional() });
export type BalanceQuery = z.infer<typeof BalanceQuery>;

/** GET /api/portfolio/positions */
export const PositionsQuery = z.strictObject({
  ...pageQuery,
  ticker: Ticker.optional(),
  event_ticker: Ticker.optional(),
  count_filter: z
    .string()
    .regex(/^(position|total_traded)(,(position|total_traded))*$/)
    .optional(),
  subaccount: SubaccountNumber.optional(),
});
export type PositionsQuery = z.infer<typeof PositionsQuery>;

/** GET /api/portfolio/fills */
export const FillsQuery = z.strictObject({
  ...pageQuery,
  ticker: Ticker.optional(),
  order_id: z.string().min(1).max(128).optional(),
  min_ts: UnixSeconds.optional(),
  max_ts: UnixSeconds.optional(),
  subaccount: SubaccountNumber.optional(),
});
export type FillsQuery = z.infer<typeof FillsQuery>;

/** GET /api/portfolio/settlements */
export const SettlementsQuery = z.strictObject({
  ...pageQuery,
  ticker: Ticker.optional(),
  event_ticker: Ticker.optional(),
  min_ts: UnixSeconds.optional(),
  max_ts: UnixSeconds.optional(),
  subaccount: SubaccountNumber.optional(),
});
export type SettlementsQuery = z.infer<typeof SettlementsQuery>;
