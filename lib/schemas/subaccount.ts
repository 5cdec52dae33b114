import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { Cursor, PageLimit, SignedDollarsString } from "./common";

/** Subaccounts and transfers between them (api-reference/portfolio/*subaccount*). Browser-safe. */

/** POST /portfolio/subaccounts (201) */
export const CreateSubaccountResponseSchema = z.looseObject({
  subaccount_number: z.number().int().min(0),
});
export type CreateSubaccountResponse = z.infer<typeof CreateSubaccountResponseSchema>;

export const SubaccountBalanceSchema = z.looseObject({
  subaccount_number: z.number().int().min(0),
  balance: SignedDollarsString,
  updated_ts: z.number().int(),
});
export type SubaccountBalance = z.infer<typeof SubaccountBalanceSchema>;

/** GET /portfolio/subaccounts/balances */
export const SubaccountBalancesSchema = z.looseObject({
  subaccount_balances: z.array(SubaccountBalanceSchema),
});
export type SubaccountBalances = z.infer<typeof SubaccountBalancesSchema>;

export const SubaccountTransferSchema = z.looseObject({
  transfer_id: z.string().min(1),
  from_subaccount: z.number().int().min(0),
  to_subaccount: z.number().int().min(0),
  amount_cents: z.number().int(),
  created_ts: z.number().int(),
});
export type SubaccountTransfer = z.infer<typeof SubaccountTransferSchema>;

/** GET /portfolio/subaccounts/transfers */
export const SubaccountTransferListSchema = z.looseObject({
  transfers: z.array(SubaccountTransferSchema),
  cursor: Cursor,
});
export type SubaccountTransferList = z.infer<typeof SubaccountTransferListSchema>;

/** POST /portfolio/subaccounts/transfer answers an empty object. */
export const EmptyObjectSchema = z.looseObject({});

// ---- BFF bodies and queries ----

/** POST /api/subaccounts/transfers: move cash between two of the trader's subaccounts. */
export const TransferBody = z
  .strictObject({
    from_subaccount: z.number().int().min(0).max(63),
    to_subaccount: z.number().int().min(0).max(63),
    amount_cents: z.number().int().positive().max(1_000_000_000),
    /** Idempotency key, a UUID as Kalshi requires (`format: uuid`); the server generates one when absent. */
    client_transfer_id: z.uuid().optional(),
  })
  .refine((body) => body.from_subaccount !== body.to_subaccount, {
    path: ["to_subaccount"],
    message: "must differ from from_subaccount",
  });
export type TransferInput = z.output<typeof TransferBody>;

/** GET /api/subaccounts/transfers */
export const TransfersQuery = z.strictObject({
  limit: PageLimit.optional(),
  cursor: z.string().min(1).max(2000).optional(),
});
export type TransfersQuery = z.infer<typeof TransfersQuery>;

/** POST /api/subaccounts takes no fields. */
export const CreateSubaccountBody = z.strictObject({});

/** GET /portfolio/subaccounts/netting: whether each subaccount nets YES against NO. */
export const NettingConfigsSchema = z.looseObject({
  netting_configs: z.array(
    z.looseObject({ subaccount_number: z.number().int().min(0), enabled: z.boolean() }),
  ),
});
export type NettingConfigs = z.infer<typeof NettingConfigsSchema>;

/** create-subaccount.md: "Maximum 63 numbered subaccounts per user (64 including the primary account)". */
export const MAX_SUBACCOUNTS = 63;

/** One row of GET /api/subaccounts/overview. */
export interface SubaccountOverviewRow {
  subaccount_number: number;
  balance_cents: number;
  portfolio_value_cents: number;
  positions_count: number;
  resting_orders_count: number;
  netting_enabled: boolean | null;
}

export interface SubaccountOverview {
  subaccounts: SubaccountOverviewRow[];
  max_subaccounts: number;
}
