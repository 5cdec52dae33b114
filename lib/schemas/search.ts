import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { PlainText } from "@/lib/schemas/common";

/**
 * Full-text search over series, events and markets (GET /api/search), shared
 * by the route and the search box. Browser-safe.
 */

export const SearchHitKind = z.enum(["series", "event", "market"]);
export type SearchHitKind = z.infer<typeof SearchHitKind>;

/** GET /api/search */
export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1, "is required").max(100).pipe(PlainText),
  limit: z.coerce.number().int().min(1).max(50).optional(),
  kind: SearchHitKind.optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchHitSchema = z.object({
  kind: SearchHitKind,
  ticker: z.string(),
  title: z.string(),
  /** Market: its yes subtitle; event: its sub title; series: its frequency. */
  subtitle: z.string(),
  category: z.string(),
  /** Markets: Kalshi's lifecycle status; events and series: "". */
  status: z.string(),
  /** Where the hit opens in the app. */
  href: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResponseSchema = z.object({
  hits: z.array(SearchHitSchema),
  /** Documents in the index (series + events + markets). */
  indexed: z.number().int(),
  /** When the index was last rebuilt from the exchange. */
  refreshed_at: z.string(),
});
export type SearchResponse = z.infer<typeof SearchResponseSchema>;
