import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { CountString, ResourceId } from "./common";

/** Order groups (api-reference/order-groups/*): a contracts limit shared by several orders. Browser-safe. */

export const OrderGroupSchema = z.looseObject({
  id: z.string().min(1),
  contracts_limit_fp: CountString.nullish(),
  is_auto_cancel_enabled: z.boolean(),
});
export type OrderGroup = z.infer<typeof OrderGroupSchema>;

/** GET /portfolio/order_groups */
export const OrderGroupListSchema = z.looseObject({
  order_groups: z
    .array(OrderGroupSchema)
    .nullish()
    .transform((groups) => groups ?? []),
});
export type OrderGroupList = z.infer<typeof OrderGroupListSchema>;

/** GET /portfolio/order_groups/{order_group_id} */
export const OrderGroupDetailSchema = z.looseObject({
  is_auto_cancel_enabled: z.boolean(),
  contracts_limit_fp: CountString.nullish(),
  orders: z
    .array(z.string())
    .nullish()
    .transform((orders) => orders ?? []),
});
export type OrderGroupDetail = z.infer<typeof OrderGroupDetailSchema>;

/** POST /portfolio/order_groups/create (201) */
export const CreateOrderGroupResponseSchema = z.looseObject({
  order_group_id: z.string().min(1),
  subaccount: z.number().int().optional(),
});
export type CreateOrderGroupResponse = z.infer<typeof CreateOrderGroupResponseSchema>;

const LimitInput = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, "must be a count like 100 or 12.50")
  .refine((value) => Number(value) > 0, "must be greater than 0");

/** POST /api/order-groups */
export const CreateOrderGroupBody = z.strictObject({
  contracts_limit: LimitInput,
  subaccount: z.number().int().min(0).max(63).optional(),
});
export type CreateOrderGroupInput = z.output<typeof CreateOrderGroupBody>;

/** PUT /api/order-groups/{id}/limit */
export const UpdateOrderGroupLimitBody = z.strictObject({ contracts_limit: LimitInput });
export type UpdateOrderGroupLimitInput = z.output<typeof UpdateOrderGroupLimitBody>;

/** POST /api/order-groups/{id}/{action} */
export const OrderGroupAction = z.enum(["reset", "trigger"]);

export const OrderGroupParams = z.strictObject({ groupId: ResourceId });

/**
 * Query of the group actions (trigger, reset, limit, delete): Kalshi looks the
 * group up in this subaccount, defaulting to the primary (0), so a group made
 * for subaccount 2 needs `?subaccount=2`.
 */
export const OrderGroupActionQuery = z.strictObject({
  subaccount: z.coerce.number().int().min(0).max(63).optional(),
});
export type OrderGroupActionQuery = z.infer<typeof OrderGroupActionQuery>;
