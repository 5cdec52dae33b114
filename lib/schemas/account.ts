import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

/** Account API limits and endpoint costs (api-reference/account/*). Browser-safe. */

export const BucketLimitSchema = z.looseObject({
  refill_rate: z.number().int().positive(),
  bucket_capacity: z.number().int().positive(),
});

/** GET /account/limits */
export const AccountLimitsSchema = z.looseObject({
  usage_tier: z.string().min(1),
  read: BucketLimitSchema,
  write: BucketLimitSchema,
  grants: z
    .array(
      z.looseObject({
        exchange_instance: z.string(),
        level: z.string(),
        expires_ts: z.number().int().nullish(),
        source: z.string(),
      }),
    )
    .default([]),
});
export type AccountLimits = z.infer<typeof AccountLimitsSchema>;

/** GET /account/endpoint_costs: only endpoints whose cost differs from `default_cost`. */
export const EndpointCostsSchema = z.looseObject({
  default_cost: z.number().int().nonnegative(),
  endpoint_costs: z.array(
    z.looseObject({
      method: z.string().min(1),
      path: z.string().min(1),
      cost: z.number().int().nonnegative(),
    }),
  ),
});
export type EndpointCosts = z.infer<typeof EndpointCostsSchema>;
