import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { Ticker } from "./common";

/**
 * The signed-in user's watchlist (markets they follow), shared by the BFF
 * routes and the watchlist panel. Browser-safe.
 */

/** Most markets one watchlist holds: a side panel, not a portfolio. */
export const WATCHLIST_MAX_ITEMS = 200;

/** POST /api/watchlist */
export const AddWatchlistBody = z.strictObject({ ticker: Ticker });
export type AddWatchlistBody = z.infer<typeof AddWatchlistBody>;

export const WatchlistItemSchema = z.object({
  ticker: z.string().min(1),
  added_at: z.iso.datetime({ offset: true }),
});
export type WatchlistItem = z.infer<typeof WatchlistItemSchema>;

/** GET /api/watchlist (and the answer of POST/DELETE): newest first. */
export const WatchlistResponseSchema = z.object({ items: z.array(WatchlistItemSchema) });
export type WatchlistResponse = z.infer<typeof WatchlistResponseSchema>;
