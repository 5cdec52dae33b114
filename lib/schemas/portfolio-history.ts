import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { SubaccountNumber, Ticker, UnixSeconds } from "./common";
import type { Fill, Settlement } from "./portfolio";
import type { Order } from "./order";
import type { SubaccountTransfer } from "./subaccount";

/**
 * The portfolio's history lists as one list per kind across Kalshi's live and
 * historical tiers (GET /api/portfolio/history/{kind}), their CSV exports and
 * the equity curve. Browser-safe.
 */

export const HistoryKind = z.enum(["fills", "orders", "settlements", "transfers"]);
export type HistoryKind = z.infer<typeof HistoryKind>;

/** What can be exported as CSV: each history kind and the positions. */
export const ExportKind = z.enum(["fills", "orders", "settlements", "transfers", "positions"]);
export type ExportKind = z.infer<typeof ExportKind>;

export const HistoryParams = z.strictObject({ kind: HistoryKind });
export const ExportParams = z.strictObject({ kind: ExportKind });

/**
 * `cursor` is ours: `live:<kalshi cursor>` or `historical:<kalshi cursor>`
 * (an empty Kalshi cursor means the start of that tier).
 */
export const HistoryCursor = z
  .string()
  .max(2100)
  .regex(/^(live|historical):[A-Za-z0-9._~:+/=-]*$/, "must be a cursor from a previous page");

/** GET /api/portfolio/history/{kind} and GET /api/portfolio/export/{kind} */
export const HistoryQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: HistoryCursor.optional(),
    ticker: Ticker.optional(),
    min_ts: UnixSeconds.optional(),
    max_ts: UnixSeconds.optional(),
    subaccount: SubaccountNumber.optional(),
  })
  .refine((q) => q.min_ts === undefined || q.max_ts === undefined || q.min_ts <= q.max_ts, {
    path: ["max_ts"],
    message: "must not be before min_ts",
  });
export type HistoryQuery = z.output<typeof HistoryQuery>;

export type HistoryItem<K extends HistoryKind> = K extends "fills"
  ? Fill
  : K extends "orders"
    ? Order
    : K extends "settlements"
      ? Settlement
      : SubaccountTransfer;

/** One page of a history list. `cursor` is "" after the last page. */
export interface HistoryPage<K extends HistoryKind = HistoryKind> {
  kind: K;
  items: Array<HistoryItem<K>>;
  /** Which tier this page came from; a list reads on from live into historical. */
  tier: "live" | "historical";
  cursor: string;
}

// ---- equity curve ----

export const EquityRange = z.enum(["1D", "1W", "1M", "ALL"]);
export type EquityRange = z.infer<typeof EquityRange>;

/** GET /api/portfolio/equity */
export const EquityQuery = z.strictObject({
  range: EquityRange.default("1W"),
  /** One subaccount; absent = the whole account (every subaccount added up). */
  subaccount: SubaccountNumber.optional(),
});
export type EquityQuery = z.output<typeof EquityQuery>;

export const SnapshotReason = z.enum(["interval", "fill", "settlement", "transfer", "manual"]);
export type SnapshotReason = z.infer<typeof SnapshotReason>;

export interface EquitySnapshotView {
  /** Epoch ms. */
  at: number;
  cashCents: number;
  positionsCents: number;
  totalCents: number;
  /** Cash moved in (+) or out (−) since the previous snapshot of the same scope: not P&L. */
  cashFlowCents: number;
  reason: SnapshotReason;
}

export interface EquitySeries {
  range: EquityRange;
  subaccount: number | null;
  points: EquitySnapshotView[];
}

/** POST /api/portfolio/equity: record a snapshot now (the page calls it after a fill it saw). */
export const SnapshotBody = z.strictObject({ reason: SnapshotReason.default("manual") });
