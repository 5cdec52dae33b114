/**
 * Order groups under `/portfolio/order_groups` (api-reference/order-groups/*):
 * create, list, get, trigger, reset, update limit, delete. The rolling-window
 * logic lives in server/sim/order-groups; these handlers parse, scope the
 * subaccount as each page says (get/list: omitted = all; the actions: omitted
 * = primary), and answer.
 */
import type { Context } from "hono";
import { z } from "zod";
import { formatCount, ONE_CONTRACT } from "@/lib/fixed-point";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes, SimEnv } from "@/server/sim/http/env";
import {
  describeZodError,
  parseJsonBody,
  parseQuery,
  pathParam,
  queryInt,
} from "@/server/sim/http/validation";
import { requestCount, subaccountNumber } from "@/server/sim/http/wire-schemas";
import type { OrderRecord } from "@/server/sim/model";
import {
  createOrderGroup,
  deleteOrderGroup,
  findOrderGroup,
  listOrderGroups,
  MAX_CONTRACTS_LIMIT,
  MIN_CONTRACTS_LIMIT,
  resetOrderGroup,
  triggerOrderGroup,
  updateOrderGroupLimit,
  type OrderGroupRecord,
} from "@/server/sim/order-groups/order-group-store";
import { subaccountExists } from "@/server/sim/subaccounts/subaccount-store";
import { effectiveSubaccount } from "@/server/sim/subaccounts/restricted-keys";

const exchangeIndexZero = z
  .number()
  .int()
  .min(0)
  .max(0, "only exchange_index 0 exists in the simulator");

/** Both limit fields, as the create and update pages define them. */
const limitFields = {
  contracts_limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_CONTRACTS_LIMIT / ONE_CONTRACT)
    .optional(),
  contracts_limit_fp: requestCount.nullable().optional(),
};

const createBody = z
  .object({
    subaccount: subaccountNumber.optional(),
    ...limitFields,
    exchange_index: exchangeIndexZero.optional(),
  })
  .strict();

const updateLimitBody = z.object(limitFields).strict();

/** get / list: "If omitted, defaults to all subaccounts." */
const lookupQuery = z.object({ subaccount: queryInt(0, 63).optional() }).strict();
/** trigger / reset / limit / delete: "Defaults to 0." */
const actionQuery = z
  .object({ subaccount: queryInt(0, 63).optional(), exchange_index: queryInt(0, 0).optional() })
  .strict();

/** contracts_limit or contracts_limit_fp (equal when both), within 1–1,000,000 contracts. */
function resolveLimit(body: {
  contracts_limit?: number;
  contracts_limit_fp?: number | null;
}): number {
  const whole =
    body.contracts_limit === undefined ? undefined : body.contracts_limit * ONE_CONTRACT;
  const fp = body.contracts_limit_fp ?? undefined;
  if (whole !== undefined && fp !== undefined && whole !== fp) {
    throw simErrors.invalidParameters(
      "contracts_limit and contracts_limit_fp must match when both are given",
    );
  }
  const limit = whole ?? fp;
  if (limit === undefined)
    throw simErrors.missingParameters("contracts_limit or contracts_limit_fp is required");
  if (limit < MIN_CONTRACTS_LIMIT || limit > MAX_CONTRACTS_LIMIT) {
    throw simErrors.invalidParameters(
      "contracts_limit_fp: must be between 1 and 1,000,000 contracts",
    );
  }
  return limit;
}

/** Reset and trigger take an optional empty JSON object as body. */
async function parseOptionalEmptyBody(c: Context<SimEnv>): Promise<void> {
  const text = await c.req.text();
  if (text.trim().length === 0) return;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw simErrors.invalidParameters("request body is not valid JSON");
  }
  const parsed = z.object({}).strict().safeParse(raw);
  if (!parsed.success) throw simErrors.invalidParameters(describeZodError(parsed.error));
}

export const registerOrderGroupsRoutes: RegisterRoutes = (app, exchange) => {
  const { state, engine } = exchange;
  const cancel = (order: OrderRecord) => {
    engine.cancelOrder(order.userId, order.orderId, "group");
  };

  /** The caller's group for an action endpoint (subaccount omitted = primary). */
  const actionGroup = (c: Context<SimEnv>): OrderGroupRecord => {
    const query = parseQuery(c, actionQuery);
    const subaccount = effectiveSubaccount(c, query.subaccount, "primary");
    return findOrderGroup(
      state,
      c.get("auth").user.userId,
      pathParam(c, "order_group_id"),
      subaccount,
    );
  };

  // POST /portfolio/order_groups/create – a new group with a rolling 15-second contracts limit
  app.post("/portfolio/order_groups/create", async (c) => {
    const body = await parseJsonBody(c, createBody);
    const user = c.get("auth").user;
    const subaccount = effectiveSubaccount(c, body.subaccount, "primary");
    if (!subaccountExists(user, subaccount)) {
      throw simErrors.invalidParameters(`subaccount: subaccount ${subaccount} does not exist`);
    }
    const group = createOrderGroup(state, {
      userId: user.userId,
      subaccount,
      contractsLimit: resolveLimit(body),
    });
    return c.json(
      { order_group_id: group.orderGroupId, subaccount: group.subaccount, exchange_index: 0 },
      201,
    );
  });

  // GET /portfolio/order_groups – the caller's groups (all subaccounts unless one is named)
  app.get("/portfolio/order_groups", (c) => {
    const query = parseQuery(c, lookupQuery);
    const subaccount = effectiveSubaccount(c, query.subaccount, "all");
    const order_groups = listOrderGroups(state, c.get("auth").user.userId, subaccount).map(
      (group) => ({
        id: group.orderGroupId,
        contracts_limit_fp: formatCount(group.contractsLimit),
        is_auto_cancel_enabled: !group.triggered,
        exchange_index: 0,
      }),
    );
    return c.json({ order_groups });
  });

  // GET /portfolio/order_groups/:order_group_id – one group with its order ids
  app.get("/portfolio/order_groups/:order_group_id", (c) => {
    const query = parseQuery(c, lookupQuery);
    const subaccount = effectiveSubaccount(c, query.subaccount, "all");
    const group = findOrderGroup(
      state,
      c.get("auth").user.userId,
      pathParam(c, "order_group_id"),
      subaccount,
    );
    return c.json({
      is_auto_cancel_enabled: !group.triggered,
      contracts_limit_fp: formatCount(group.contractsLimit),
      orders: [...group.orderIds],
      exchange_index: 0,
    });
  });

  // PUT /portfolio/order_groups/:order_group_id/trigger – cancel the group's orders, refuse new ones until reset
  app.put("/portfolio/order_groups/:order_group_id/trigger", async (c) => {
    const group = actionGroup(c);
    await parseOptionalEmptyBody(c);
    triggerOrderGroup(state, group, cancel);
    return c.json({});
  });

  // PUT /portfolio/order_groups/:order_group_id/reset – clear the trigger and the rolling counter
  app.put("/portfolio/order_groups/:order_group_id/reset", async (c) => {
    const group = actionGroup(c);
    await parseOptionalEmptyBody(c);
    resetOrderGroup(state, group);
    return c.json({});
  });

  // PUT /portfolio/order_groups/:order_group_id/limit – new limit; below the rolling volume it triggers
  app.put("/portfolio/order_groups/:order_group_id/limit", async (c) => {
    const group = actionGroup(c);
    const body = await parseJsonBody(c, updateLimitBody);
    updateOrderGroupLimit(state, group, resolveLimit(body), cancel);
    return c.json({});
  });

  // DELETE /portfolio/order_groups/:order_group_id – cancel the group's orders and remove it
  app.delete("/portfolio/order_groups/:order_group_id", (c) => {
    const group = actionGroup(c);
    deleteOrderGroup(state, group, cancel);
    return c.json({});
  });
};
