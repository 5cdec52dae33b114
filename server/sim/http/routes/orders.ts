/**
 * Order entry and order queries: the V2 family under `/portfolio/events/orders`
 * (single book, `bid`/`ask`, fixed-point strings) and the legacy
 * `/portfolio/orders` family (yes/no + buy/sell), both on one engine.
 */
import type { Context } from "hono";
import { z } from "zod";
import { complement, formatCount, formatDollars, ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import type { PlaceOrderInput, PlaceOrderResult } from "@/server/sim/engine/matching-engine";
import { SimError, simErrors } from "@/server/sim/errors";
import type { SimEnv } from "@/server/sim/http/env";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import { serializeOrder } from "@/server/sim/http/serialize-portfolio";
import { parseJsonBody, parseQuery, pathParam, queryInt } from "@/server/sim/http/validation";
import {
  bookSide,
  exchangeIndex,
  requestCount,
  requestCountOrZero,
  requestDollars,
  selfTradePrevention,
  subaccountNumber,
  timeInForce,
} from "@/server/sim/http/wire-schemas";
import type { BookSide, OrderRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import {
  assertSubaccountsAllowed,
  effectiveSubaccount,
  keyCanSeeOrder,
} from "@/server/sim/subaccounts/restricted-keys";
import { historicalCutoffs, isHistoricalOrder } from "@/server/sim/historical/cutoff";
import { findOrder } from "@/server/sim/historical/evicted";

/** Most orders in one batch call (Kalshi scales this with the tier's write budget). */
export const MAX_BATCH_ORDERS = 20;

const createOrderV2Body = z
  .object({
    ticker: z.string().min(1),
    client_order_id: z.string().min(1).max(64).optional(),
    side: bookSide,
    count: requestCount,
    price: requestDollars,
    expiration_time: z.number().int().positive().optional(),
    time_in_force: timeInForce,
    post_only: z.boolean().optional(),
    self_trade_prevention_type: selfTradePrevention,
    cancel_order_on_pause: z.boolean().optional(),
    reduce_only: z.boolean().optional(),
    subaccount: subaccountNumber.optional(),
    order_group_id: z.string().min(1).optional(),
    exchange_index: exchangeIndex.optional(),
  })
  .strict();

const legacyCreateOrderBody = z
  .object({
    ticker: z.string().min(1),
    client_order_id: z.string().min(1).max(64).optional(),
    side: z.enum(["yes", "no"]),
    action: z.enum(["buy", "sell"]),
    count: z.number().int().min(1).optional(),
    count_fp: requestCount.optional(),
    yes_price: z.number().int().min(1).max(99).optional(),
    no_price: z.number().int().min(1).max(99).optional(),
    yes_price_dollars: requestDollars.optional(),
    no_price_dollars: requestDollars.optional(),
    expiration_ts: z.number().int().positive().optional(),
    time_in_force: timeInForce.optional(),
    buy_max_cost: z.number().int().min(0).optional(),
    post_only: z.boolean().optional(),
    reduce_only: z.boolean().optional(),
    sell_position_floor: z.number().int().optional(),
    self_trade_prevention_type: selfTradePrevention.optional(),
    order_group_id: z.string().min(1).optional(),
    cancel_order_on_pause: z.boolean().optional(),
    subaccount: subaccountNumber.optional(),
    exchange_index: exchangeIndex.optional(),
  })
  .strict();

const amendOrderV2Body = z
  .object({
    ticker: z.string().min(1),
    side: bookSide,
    price: requestDollars,
    count: requestCount,
    client_order_id: z.string().optional(),
    updated_client_order_id: z.string().min(1).max(64).optional(),
    exchange_index: exchangeIndex.optional(),
    subaccount: subaccountNumber.optional(),
  })
  .strict();

const decreaseOrderV2Body = z
  .object({
    reduce_by: requestCount.optional(),
    reduce_to: requestCountOrZero.optional(),
    exchange_index: exchangeIndex.optional(),
    market_ticker: z.string().optional(),
    subaccount: subaccountNumber.optional(),
  })
  .strict();

const legacyDecreaseBody = z
  .object({
    reduce_by: z.number().int().min(1).optional(),
    reduce_by_fp: requestCount.optional(),
    reduce_to: z.number().int().min(0).optional(),
    reduce_to_fp: requestCountOrZero.optional(),
    subaccount: subaccountNumber.optional(),
    exchange_index: exchangeIndex.optional(),
  })
  .strict();

const batchCancelV2Body = z
  .object({
    orders: z
      .array(
        z
          .object({
            order_id: z.string().min(1),
            subaccount: subaccountNumber.optional(),
            exchange_index: exchangeIndex.optional(),
            market_ticker: z.string().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_BATCH_ORDERS, `at most ${MAX_BATCH_ORDERS} orders per batch`),
  })
  .strict();

const legacyBatchCancelBody = z
  .object({
    ids: z.array(z.string().min(1)).max(MAX_BATCH_ORDERS).optional(),
    orders: batchCancelV2Body.shape.orders.optional(),
  })
  .strict();

const listOrdersQuery = z
  .object({
    ticker: z.string().optional(),
    event_ticker: z.string().optional(),
    min_ts: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    max_ts: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    status: z.enum(["resting", "canceled", "executed"]).optional(),
    limit: queryInt(1, 1000).default(100),
    cursor: z.string().optional(),
    subaccount: queryInt(0, 63).optional(),
    exchange_index: queryInt(0, 1000).optional(),
  })
  .strict();

const subaccountQuery = z
  .object({
    subaccount: queryInt(0, 63).optional(),
    exchange_index: queryInt(0, 1000).optional(),
    market_ticker: z.string().optional(),
  })
  .strict();

const queuePositionsQuery = z
  .object({
    market_tickers: z.string().optional(),
    event_ticker: z.string().optional(),
    subaccount: queryInt(0, 63).optional(),
  })
  .strict();

type CreateOrderV2 = z.infer<typeof createOrderV2Body>;

function v2ToInput(userId: string, body: CreateOrderV2): PlaceOrderInput {
  return {
    userId,
    subaccount: body.subaccount,
    ticker: body.ticker,
    side: body.side,
    price: body.price,
    count: body.count,
    timeInForce: body.time_in_force,
    expirationTime: body.expiration_time === undefined ? null : body.expiration_time * 1000,
    postOnly: body.post_only,
    reduceOnly: body.reduce_only,
    selfTradePrevention: body.self_trade_prevention_type,
    cancelOnPause: body.cancel_order_on_pause,
    clientOrderId: body.client_order_id,
    orderGroupId: body.order_group_id ?? null,
  };
}

/** The legacy (side, action, price) triple on the single YES book. */
function legacyToBook(
  side: "yes" | "no",
  action: "buy" | "sell",
  legPrice: Micros,
): { side: BookSide; price: Micros } {
  const yesPrice = side === "yes" ? legPrice : complement(legPrice);
  const buysYes = (side === "yes") === (action === "buy");
  return { side: buysYes ? "bid" : "ask", price: yesPrice };
}

function legacyToInput(
  userId: string,
  body: z.infer<typeof legacyCreateOrderBody>,
): PlaceOrderInput {
  if (
    body.count !== undefined &&
    body.count_fp !== undefined &&
    body.count * 100 !== body.count_fp
  ) {
    throw simErrors.invalidParameters("count and count_fp must match when both are given");
  }
  const count = body.count_fp ?? (body.count === undefined ? undefined : body.count * 100);
  if (count === undefined) throw simErrors.missingParameters("count or count_fp is required");
  const prices = [
    body.yes_price !== undefined && { side: "yes" as const, price: body.yes_price * 10_000 },
    body.no_price !== undefined && { side: "no" as const, price: body.no_price * 10_000 },
    body.yes_price_dollars !== undefined && { side: "yes" as const, price: body.yes_price_dollars },
    body.no_price_dollars !== undefined && { side: "no" as const, price: body.no_price_dollars },
  ].filter((p): p is { side: "yes" | "no"; price: Micros } => p !== false);
  const first = prices[0];
  if (!first)
    throw simErrors.missingParameters(
      "one of yes_price, no_price, yes_price_dollars or no_price_dollars is required",
    );
  const yesPrices = new Set(prices.map((p) => (p.side === "yes" ? p.price : ONE_DOLLAR - p.price)));
  if (yesPrices.size > 1)
    throw simErrors.invalidParameters("the yes and no prices given do not describe the same price");
  const legPrice = first.side === body.side ? first.price : complement(first.price);
  const book = legacyToBook(body.side, body.action, legPrice);
  return {
    userId,
    subaccount: body.subaccount,
    ticker: body.ticker,
    side: book.side,
    price: book.price,
    count,
    timeInForce: body.time_in_force ?? "good_till_canceled",
    expirationTime: body.expiration_ts === undefined ? null : body.expiration_ts * 1000,
    postOnly: body.post_only,
    reduceOnly: body.reduce_only,
    selfTradePrevention: body.self_trade_prevention_type,
    cancelOnPause: body.cancel_order_on_pause,
    clientOrderId: body.client_order_id,
    orderGroupId: body.order_group_id ?? null,
  };
}

function placementBody(result: PlaceOrderResult) {
  return {
    order_id: result.order.orderId,
    client_order_id: result.order.clientOrderId,
    fill_count: formatCount(result.fillCount),
    remaining_count: formatCount(result.remainingCount),
    ...(result.averageFillPrice === null
      ? {}
      : { average_fill_price: formatDollars(result.averageFillPrice) }),
    ...(result.averageFeePaid === null
      ? {}
      : { average_fee_paid: formatDollars(result.averageFeePaid) }),
    ts_ms: result.tsMs,
  };
}

/** Runs one item of a batch, turning its rejection into the per-item `error`. */
/** What `attempt` returns: the value, or the wire error body of the SimError that was thrown. */
type Outcome<T> = { ok: T } | { error: { code: string; message: string } };

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: run() };
  } catch (error) {
    if (error instanceof SimError) return { error: error.toBody() };
    throw error;
  }
}

/**
 * Order actions address one subaccount: the given one, else the primary
 * (cancel/amend/decrease pages: "Defaults to 0"), or a restricted key's own.
 * An order of another subaccount is reported as not found.
 */
function checkSubaccount(
  c: Context<SimEnv>,
  order: OrderRecord,
  subaccount: number | undefined,
): void {
  if (order.subaccount !== effectiveSubaccount(c, subaccount, "primary"))
    throw simErrors.notFound(`order ${order.orderId}`);
}

/** `checkSubaccount` for an order id of the caller's (unknown ids are left to the engine's 404). */
function checkOrderSubaccount(
  c: Context<SimEnv>,
  state: SimState,
  orderId: string,
  subaccount: number | undefined,
): void {
  const existing = state.orders.get(orderId);
  if (existing && existing.userId === c.get("auth").user.userId)
    checkSubaccount(c, existing, subaccount);
}

/** Restricted keys see only their subaccount's orders; others are reported as not found. */
function checkKeyCanSee(c: Context<SimEnv>, state: SimState, orderId: string): void {
  const existing = state.orders.get(orderId);
  if (existing && existing.userId === c.get("auth").user.userId && !keyCanSeeOrder(c, existing)) {
    throw simErrors.notFound(`order ${orderId}`);
  }
}

/** The body of a batch create: 1 to `MAX_BATCH_ORDERS` orders, each as `order` describes one. */
function batchOf<Order extends z.ZodType>(order: Order) {
  return z
    .object({
      orders: z
        .array(order)
        .min(1)
        .max(MAX_BATCH_ORDERS, `at most ${MAX_BATCH_ORDERS} orders per batch`),
    })
    .strict();
}

export const registerOrderRoutes: RegisterRoutes = (app, exchange) => {
  const { engine, state } = exchange;
  const userOf = (c: Context<SimEnv>) => c.get("auth").user;
  /**
   * Places each order of a batch in turn, the rest going ahead when one is
   * refused, and answers each with `row`. A restricted key's batch is refused
   * whole when any entry names another subaccount.
   */
  const placeBatch = <Order extends { subaccount?: number }, Row>(
    c: Context<SimEnv>,
    orders: Order[],
    toInput: (userId: string, order: Order) => PlaceOrderInput,
    row: (order: Order, outcome: Outcome<PlaceOrderResult>) => Row,
  ): Row[] => {
    const userId = userOf(c).userId;
    assertSubaccountsAllowed(
      c,
      orders.map((order) => order.subaccount),
    );
    return orders.map((order) => {
      const subaccount = effectiveSubaccount(c, order.subaccount, "primary");
      return row(
        order,
        attempt(() => engine.placeOrder(toInput(userId, { ...order, subaccount }))),
      );
    });
  };
  /** Cancels one of the caller's orders once its subaccount is checked (`checkOrderSubaccount`). */
  const cancelChecked = (c: Context<SimEnv>, orderId: string, subaccount: number | undefined) => {
    checkOrderSubaccount(c, state, orderId, subaccount);
    return engine.cancelOrder(userOf(c).userId, orderId);
  };

  // ---- V2 ------------------------------------------------------------------
  app.post("/portfolio/events/orders", async (c) => {
    const body = await parseJsonBody(c, createOrderV2Body);
    const subaccount = effectiveSubaccount(c, body.subaccount, "primary");
    const result = engine.placeOrder(v2ToInput(userOf(c).userId, { ...body, subaccount }));
    return c.json(placementBody(result), 201);
  });

  app.post("/portfolio/events/orders/batched", async (c) => {
    const body = await parseJsonBody(c, batchOf(createOrderV2Body));
    const orders = placeBatch(c, body.orders, v2ToInput, (order, outcome) =>
      "ok" in outcome
        ? placementBody(outcome.ok)
        : {
            client_order_id: order.client_order_id ?? null,
            ts_ms: state.now(),
            error: outcome.error,
          },
    );
    return c.json({ orders }, 201);
  });

  app.delete("/portfolio/events/orders/batched", async (c) => {
    const body = await parseJsonBody(c, batchCancelV2Body);
    assertSubaccountsAllowed(
      c,
      body.orders.map((item) => item.subaccount),
    );
    const orders = body.orders.map((item) => {
      const outcome = attempt(() => cancelChecked(c, item.order_id, item.subaccount));
      return "ok" in outcome
        ? {
            order_id: item.order_id,
            client_order_id: outcome.ok.order.clientOrderId,
            reduced_by: formatCount(outcome.ok.reducedBy),
            ts_ms: outcome.ok.tsMs,
          }
        : { order_id: item.order_id, reduced_by: "0.00", error: outcome.error };
    });
    return c.json({ orders }, 200);
  });

  app.delete("/portfolio/events/orders/:order_id", (c) => {
    const query = parseQuery(c, subaccountQuery);
    const result = cancelChecked(c, pathParam(c, "order_id"), query.subaccount);
    return c.json({
      order_id: result.order.orderId,
      client_order_id: result.order.clientOrderId,
      reduced_by: formatCount(result.reducedBy),
      ts_ms: result.tsMs,
    });
  });

  app.post("/portfolio/events/orders/:order_id/amend", async (c) => {
    const query = parseQuery(c, subaccountQuery);
    const body = await parseJsonBody(c, amendOrderV2Body);
    checkOrderSubaccount(c, state, pathParam(c, "order_id"), query.subaccount ?? body.subaccount);
    const { result } = engine.amendOrder(userOf(c).userId, pathParam(c, "order_id"), {
      ticker: body.ticker,
      side: body.side,
      price: body.price,
      count: body.count,
      updatedClientOrderId: body.updated_client_order_id,
    });
    return c.json(placementBody(result));
  });

  app.post("/portfolio/events/orders/:order_id/decrease", async (c) => {
    const query = parseQuery(c, subaccountQuery);
    const body = await parseJsonBody(c, decreaseOrderV2Body);
    checkOrderSubaccount(c, state, pathParam(c, "order_id"), query.subaccount ?? body.subaccount);
    const result = engine.decreaseOrder(userOf(c).userId, pathParam(c, "order_id"), {
      reduceBy: body.reduce_by,
      reduceTo: body.reduce_to,
    });
    return c.json({
      order_id: result.order.orderId,
      client_order_id: result.order.clientOrderId,
      remaining_count: formatCount(result.order.remainingCount),
      ts_ms: result.tsMs,
    });
  });

  // ---- legacy --------------------------------------------------------------
  app.post("/portfolio/orders", async (c) => {
    const body = await parseJsonBody(c, legacyCreateOrderBody);
    const subaccount = effectiveSubaccount(c, body.subaccount, "primary");
    const result = engine.placeOrder(legacyToInput(userOf(c).userId, { ...body, subaccount }));
    return c.json({ order: serializeOrder(result.order) }, 201);
  });

  app.post("/portfolio/orders/batched", async (c) => {
    const body = await parseJsonBody(c, batchOf(legacyCreateOrderBody));
    const orders = placeBatch(c, body.orders, legacyToInput, (order, outcome) =>
      "ok" in outcome
        ? {
            client_order_id: outcome.ok.order.clientOrderId,
            order: serializeOrder(outcome.ok.order),
            error: null,
          }
        : { client_order_id: order.client_order_id ?? null, order: null, error: outcome.error },
    );
    return c.json({ orders }, 201);
  });

  app.delete("/portfolio/orders/batched", async (c) => {
    const body = await parseJsonBody(c, legacyBatchCancelBody);
    // Deprecated `ids` carry no subaccount: they address the primary (or a restricted key's own).
    const items = [
      ...(body.ids ?? []).map((orderId) => ({
        orderId,
        subaccount: undefined as number | undefined,
      })),
      ...(body.orders ?? []).map((o) => ({ orderId: o.order_id, subaccount: o.subaccount })),
    ];
    const ids = items.map((item) => item.orderId);
    if (ids.length === 0) throw simErrors.missingParameters("ids or orders is required");
    if (ids.length > MAX_BATCH_ORDERS)
      throw simErrors.invalidParameters(`at most ${MAX_BATCH_ORDERS} orders per batch`);
    assertSubaccountsAllowed(
      c,
      items.map((item) => item.subaccount),
    );
    const orders = items.map(({ orderId, subaccount }) => {
      const outcome = attempt(() => cancelChecked(c, orderId, subaccount));
      return "ok" in outcome
        ? {
            order_id: orderId,
            order: serializeOrder(outcome.ok.order),
            reduced_by_fp: formatCount(outcome.ok.reducedBy),
            error: null,
          }
        : { order_id: orderId, order: null, reduced_by_fp: "0.00", error: outcome.error };
    });
    return c.json({ orders });
  });

  app.get("/portfolio/orders", (c) => {
    const query = parseQuery(c, listOrdersQuery);
    const userId = userOf(c).userId;
    const eventTickers = query.event_ticker?.split(",").filter(Boolean);
    if (eventTickers && eventTickers.length > 10)
      throw simErrors.invalidParameters("event_ticker: at most 10 event tickers");
    const cutoffs = historicalCutoffs(state);
    // Omitted = every subaccount (get-orders.md); a restricted key sees its own only.
    const subaccount = effectiveSubaccount(c, query.subaccount, "all");
    const matches: OrderRecord[] = [];
    for (const order of state.orders.values()) {
      if (order.userId !== userId) continue;
      // Canceled/executed orders before the cutoff are served by GET /historical/orders; resting ones stay.
      if (isHistoricalOrder(order, cutoffs)) continue;
      if (subaccount !== undefined && order.subaccount !== subaccount) continue;
      if (query.ticker && order.ticker !== query.ticker) continue;
      if (eventTickers && !eventTickers.includes(state.market(order.ticker)?.eventTicker ?? ""))
        continue;
      if (query.status && order.status !== query.status) continue;
      if (query.min_ts !== undefined && order.createdTime < query.min_ts * 1000) continue;
      if (query.max_ts !== undefined && order.createdTime > query.max_ts * 1000) continue;
      matches.push(order);
    }
    matches.sort((a, b) => b.createdTime - a.createdTime || b.sequence - a.sequence);
    const page = paginate(matches, query.cursor, query.limit);
    return c.json({ orders: page.items.map(serializeOrder), cursor: page.cursor });
  });

  app.get("/portfolio/orders/queue_positions", (c) => {
    const query = parseQuery(c, queuePositionsQuery);
    const userId = userOf(c).userId;
    const tickers = query.market_tickers?.split(",").filter(Boolean);
    const subaccount = effectiveSubaccount(c, query.subaccount, "primary");
    const queue_positions = [];
    for (const order of state.orders.values()) {
      if (order.userId !== userId || order.status !== "resting" || order.subaccount !== subaccount)
        continue;
      if (tickers && !tickers.includes(order.ticker)) continue;
      if (query.event_ticker && state.market(order.ticker)?.eventTicker !== query.event_ticker)
        continue;
      queue_positions.push({
        order_id: order.orderId,
        market_ticker: order.ticker,
        queue_position_fp: formatCount(engine.queuePosition(userId, order.orderId)),
      });
    }
    return c.json({ queue_positions });
  });

  app.get("/portfolio/orders/:order_id/queue_position", (c) => {
    parseQuery(c, subaccountQuery);
    checkKeyCanSee(c, state, pathParam(c, "order_id"));
    const position = engine.queuePosition(userOf(c).userId, pathParam(c, "order_id"));
    return c.json({ queue_position_fp: formatCount(position) });
  });

  app.get("/portfolio/orders/:order_id", (c) => {
    parseQuery(c, subaccountQuery);
    // A finished order that left memory is read back from the history tier.
    const order = findOrder(state, pathParam(c, "order_id"));
    if (!order || order.userId !== userOf(c).userId || !keyCanSeeOrder(c, order))
      throw simErrors.notFound(`order ${pathParam(c, "order_id")}`);
    return c.json({ order: serializeOrder(order) });
  });

  app.delete("/portfolio/orders/:order_id", (c) => {
    const query = parseQuery(c, subaccountQuery);
    const result = cancelChecked(c, pathParam(c, "order_id"), query.subaccount);
    return c.json({
      order: serializeOrder(result.order),
      reduced_by_fp: formatCount(result.reducedBy),
    });
  });

  app.post("/portfolio/orders/:order_id/amend", async (c) => {
    const body = await parseJsonBody(
      c,
      legacyCreateOrderBody
        .pick({
          ticker: true,
          side: true,
          action: true,
          client_order_id: true,
          yes_price: true,
          no_price: true,
          yes_price_dollars: true,
          no_price_dollars: true,
          count: true,
          count_fp: true,
          subaccount: true,
          exchange_index: true,
        })
        .extend({ updated_client_order_id: z.string().min(1).max(64).optional() })
        .strict(),
    );
    checkOrderSubaccount(c, state, pathParam(c, "order_id"), body.subaccount);
    const input = legacyToInput(userOf(c).userId, { ...body });
    const { oldOrder, order } = engine.amendOrder(userOf(c).userId, pathParam(c, "order_id"), {
      ticker: input.ticker,
      side: input.side,
      price: input.price,
      count: input.count,
      updatedClientOrderId: body.updated_client_order_id,
    });
    return c.json({ old_order: serializeOrder(oldOrder), order: serializeOrder(order) });
  });

  app.post("/portfolio/orders/:order_id/decrease", async (c) => {
    const body = await parseJsonBody(c, legacyDecreaseBody);
    checkOrderSubaccount(c, state, pathParam(c, "order_id"), body.subaccount);
    const reduceBy =
      body.reduce_by_fp ?? (body.reduce_by === undefined ? undefined : body.reduce_by * 100);
    const reduceTo =
      body.reduce_to_fp ?? (body.reduce_to === undefined ? undefined : body.reduce_to * 100);
    const result = engine.decreaseOrder(userOf(c).userId, pathParam(c, "order_id"), {
      reduceBy,
      reduceTo,
    });
    return c.json({ order: serializeOrder(result.order) });
  });
};
