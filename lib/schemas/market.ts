import { z } from "zod";

/**
 * Kalshi market shapes, shared by the server (validating upstream answers)
 * and the pages (typing what they render). Browser-safe.
 *
 * Only the fields the app reads are checked; the rest of Kalshi's market
 * object passes through untouched, so a new upstream field never breaks us.
 */

/** A Kalshi `*_dollars` string such as "0.5600" (never a float on the wire). */
export const DollarsString = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "must be a dollar string like 0.5600");

/** A Kalshi `*_fp` contract count such as "1250.00". */
export const CountString = z.string().regex(/^\d+(\.\d+)?$/, "must be a count string like 10.00");

/** Values accepted by GET /markets `status` (the filter, not the market's own status). */
export const MarketStatusFilter = z.enum(["unopened", "open", "paused", "closed", "settled"]);
export type MarketStatusFilter = z.infer<typeof MarketStatusFilter>;

export const MarketSchema = z.looseObject({
  ticker: z.string().min(1),
  event_ticker: z.string().min(1),
  title: z.string(),
  yes_sub_title: z.string(),
  // Kalshi reports lifecycle states ("active", "closed", "determined", ...);
  // kept open-ended so a new state does not make a whole list unreadable.
  status: z.string().min(1),
  yes_bid_dollars: DollarsString,
  yes_ask_dollars: DollarsString,
  last_price_dollars: DollarsString,
  volume_fp: CountString,
  volume_24h_fp: CountString,
  open_interest_fp: CountString,
  close_time: z.iso.datetime({ offset: true }),
});
export type Market = z.infer<typeof MarketSchema>;

/** GET /markets response. An empty cursor means the last page. */
export const MarketListSchema = z.looseObject({
  markets: z.array(MarketSchema),
  cursor: z.string().default(""),
});
export type MarketList = z.infer<typeof MarketListSchema>;

/** Query for listing markets; camelCase here, snake_case on the wire. */
export const ListMarketsParams = z.object({
  status: MarketStatusFilter.optional(),
  /** Kalshi allows 1..1000 per page. */
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).optional(),
  eventTicker: z.string().min(1).optional(),
  seriesTicker: z.string().min(1).optional(),
});
export type ListMarketsParams = z.infer<typeof ListMarketsParams>;

/** GET /exchange/status response. */
export const ExchangeStatusSchema = z.looseObject({
  exchange_active: z.boolean(),
  trading_active: z.boolean(),
  exchange_estimated_resume_time: z.iso.datetime({ offset: true }).nullish(),
});
export type ExchangeStatus = z.infer<typeof ExchangeStatusSchema>;
