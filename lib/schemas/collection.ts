import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { Cursor, Ticker } from "./common";

/**
 * Multivariate event collections (api-reference/multivariate/*): the events
 * whose markets can be combined, and the combo market created for a chosen
 * set of legs. Browser-safe: the combo slip and the BFF routes share these.
 */

export const OutcomeSide = z.enum(["yes", "no"]);

/** One leg: a market's yes or no side (`TickerPair`). */
export const TickerPairSchema = z.strictObject({
  market_ticker: Ticker,
  event_ticker: Ticker,
  side: OutcomeSide,
});
export type TickerPair = z.infer<typeof TickerPairSchema>;

/** `MveSelectedLeg` on a combo market or a combo RFQ. */
export const SelectedLegSchema = z.looseObject({
  market_ticker: z.string().optional(),
  event_ticker: z.string().optional(),
  side: z.string().optional(),
  yes_settlement_value_dollars: z.string().nullish(),
});
export type SelectedLeg = z.infer<typeof SelectedLegSchema>;

export const AssociatedEventSchema = z.looseObject({
  ticker: z.string().min(1),
  is_yes_only: z.boolean(),
  size_max: z.number().int().nullish(),
  size_min: z.number().int().nullish(),
  active_quoters: z.array(z.string()).optional(),
});

export const CollectionSchema = z.looseObject({
  collection_ticker: z.string().min(1),
  series_ticker: z.string().min(1),
  title: z.string(),
  description: z.string(),
  open_date: z.string(),
  close_date: z.string(),
  associated_events: z.array(AssociatedEventSchema),
  is_ordered: z.boolean(),
  size_min: z.number().int(),
  size_max: z.number().int(),
  functional_description: z.string(),
});
export type Collection = z.infer<typeof CollectionSchema>;

/** GET /multivariate_event_collections */
export const CollectionListSchema = z.looseObject({
  multivariate_contracts: z.array(CollectionSchema),
  cursor: Cursor,
});
export type CollectionList = z.infer<typeof CollectionListSchema>;

/** GET /multivariate_event_collections/{collection_ticker} */
export const CollectionResponseSchema = z.looseObject({ multivariate_contract: CollectionSchema });

/** POST /multivariate_event_collections/{collection_ticker} */
export const ComboMarketResponseSchema = z.looseObject({
  event_ticker: z.string().min(1),
  market_ticker: z.string().min(1),
});
export type ComboMarket = z.infer<typeof ComboMarketResponseSchema>;

// ---- BFF bodies and queries ----

/** GET /api/collections */
export const CollectionsQuery = z.strictObject({
  status: z.enum(["unopened", "open", "closed"]).optional(),
  associated_event_ticker: Ticker.optional(),
  series_ticker: Ticker.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(2000).optional(),
});
export type CollectionsQuery = z.infer<typeof CollectionsQuery>;

/** POST /api/collections/{ticker}: the legs of the combo to create or find. */
export const CreateComboBody = z.strictObject({
  selected_markets: z.array(TickerPairSchema).min(1, "pick at least one leg").max(20),
});
export type CreateComboInput = z.infer<typeof CreateComboBody>;

export const CollectionParams = z.strictObject({ ticker: Ticker });
