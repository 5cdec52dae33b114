import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import {
  CursorInput,
  CountInput,
  CountString,
  Cursor,
  DollarsString,
  IsoTime,
  KalshiErrorBodySchema,
  PageLimit,
  PriceInput,
  ResourceId,
  SubaccountNumber,
  Ticker,
  UnixSeconds,
} from "./common";

/**
 * Orders: Kalshi's V2 order entry (`/portfolio/events/orders`, single book,
 * `bid`/`ask` on the YES leg, fixed-point strings) and the order objects of
 * `GET /portfolio/orders`; plus the bodies the BFF accepts. Browser-safe.
 */

export const BookSide = z.enum(["bid", "ask"]);
export type BookSide = z.infer<typeof BookSide>;
export const TimeInForce = z.enum(["fill_or_kill", "good_till_canceled", "immediate_or_cancel"]);
export const SelfTradePrevention = z.enum(["taker_at_cross", "maker"]);
export const OrderStatus = z.enum(["resting", "canceled", "executed"]);

/** A client_order_id: we generate uuids; Kalshi accepts up to 64 characters. */
export const ClientOrderId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, dashes or underscores");

export const OrderSchema = z.looseObject({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  ticker: z.string().min(1),
  outcome_side: z.enum(["yes", "no"]),
  book_side: BookSide,
  type: z.string(),
  // Kept open-ended: a new state must not make a whole order list unreadable.
  status: z.string().min(1),
  yes_price_dollars: DollarsString,
  no_price_dollars: DollarsString,
  fill_count_fp: CountString,
  remaining_count_fp: CountString,
  initial_count_fp: CountString,
  taker_fees_dollars: DollarsString,
  maker_fees_dollars: DollarsString,
  expiration_time: IsoTime.nullish(),
  created_time: IsoTime.nullish(),
  last_update_time: IsoTime.nullish(),
  order_group_id: z.string().nullish(),
  subaccount_number: z.number().int().nullish(),
});
export type Order = z.infer<typeof OrderSchema>;

/** GET /portfolio/orders */
export const OrderListSchema = z.looseObject({ orders: z.array(OrderSchema), cursor: Cursor });
export type OrderList = z.infer<typeof OrderListSchema>;

/** GET /portfolio/orders/{order_id} */
export const OrderResponseSchema = z.looseObject({ order: OrderSchema });

/** POST /portfolio/events/orders (201) */
export const CreateOrderResponseSchema = z.looseObject({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  fill_count: CountString,
  remaining_count: CountString,
  average_fill_price: DollarsString.optional(),
  average_fee_paid: DollarsString.optional(),
  ts_ms: z.number().int(),
});
export type CreateOrderResponse = z.infer<typeof CreateOrderResponseSchema>;

/** What placing an order returns to callers: Kalshi's answer, and whether it was a replay. */
export type PlacedOrder = CreateOrderResponse & {
  /**
   * True when this client_order_id had already been placed (a retry whose
   * first attempt landed, or a double submit) and the existing order is returned.
   */
  deduplicated: boolean;
};

/** POST /portfolio/events/orders/{order_id}/amend */
export const AmendOrderResponseSchema = z.looseObject({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  remaining_count: CountString.optional(),
  fill_count: CountString.optional(),
  average_fill_price: DollarsString.optional(),
  ts_ms: z.number().int(),
});
export type AmendOrderResponse = z.infer<typeof AmendOrderResponseSchema>;

/** POST /portfolio/events/orders/{order_id}/decrease */
export const DecreaseOrderResponseSchema = z.looseObject({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  remaining_count: CountString,
  ts_ms: z.number().int(),
});
export type DecreaseOrderResponse = z.infer<typeof DecreaseOrderResponseSchema>;

/** DELETE /portfolio/events/orders/{order_id} */
export const CancelOrderResponseSchema = z.looseObject({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  reduced_by: CountString,
  ts_ms: z.number().int(),
});
export type CancelOrderResponse = z.infer<typeof CancelOrderResponseSchema>;

/** POST /portfolio/events/orders/batched: one result per order, each either placed or an error. */
export const BatchCreateOrdersResponseSchema = z.looseObject({
  orders: z.array(
    z.looseObject({
      order_id: z.string().nullish(),
      client_order_id: z.string().nullish(),
      fill_count: CountString.nullish(),
      remaining_count: CountString.nullish(),
      average_fill_price: DollarsString.nullish(),
      ts_ms: z.number().int().nullish(),
      error: KalshiErrorBodySchema.nullish(),
    }),
  ),
});
export type BatchCreateOrdersResponse = z.infer<typeof BatchCreateOrdersResponseSchema>;

/** DELETE /portfolio/events/orders/batched */
export const BatchCancelOrdersResponseSchema = z.looseObject({
  orders: z.array(
    z.looseObject({
      order_id: z.string().min(1),
      client_order_id: z.string().nullish(),
      reduced_by: CountString.nullish(),
      ts_ms: z.number().int().nullish(),
      error: KalshiErrorBodySchema.nullish(),
    }),
  ),
});
export type BatchCancelOrdersResponse = z.infer<typeof BatchCancelOrdersResponseSchema>;

// ---- BFF bodies and queries (snake_case like Kalshi, so pages and the wire agree) ----

/** POST /api/orders: a limit order. The server fills in client_order_id when absent. */
export const CreateOrderBody = z.strictObject({
  ticker: Ticker,
  side: BookSide,
  count: CountInput,
  price: PriceInput,
  time_in_force: TimeInForce.default("good_till_canceled"),
  self_trade_prevention_type: SelfTradePrevention.default("taker_at_cross"),
  client_order_id: ClientOrderId.optional(),
  /** Unix seconds; only with good_till_canceled. */
  expiration_time: z.number().int().positive().optional(),
  post_only: z.boolean().optional(),
  reduce_only: z.boolean().optional(),
  cancel_order_on_pause: z.boolean().optional(),
  subaccount: z.number().int().min(0).max(63).optional(),
  order_group_id: ResourceId.optional(),
});
export type CreateOrderBody = z.input<typeof CreateOrderBody>;
export type CreateOrderInput = z.output<typeof CreateOrderBody>;

/** POST /api/orders/batch */
export const BatchCreateOrdersBody = z.strictObject({
  orders: z.array(CreateOrderBody).min(1).max(20),
});
export type BatchCreateOrdersInput = z.output<typeof BatchCreateOrdersBody>;

/** DELETE /api/orders/batch */
export const BatchCancelOrdersBody = z.strictObject({
  orders: z
    .array(
      z.strictObject({
        order_id: ResourceId,
        subaccount: z.number().int().min(0).max(63).optional(),
      }),
    )
    .min(1)
    .max(20),
});
export type BatchCancelOrdersInput = z.output<typeof BatchCancelOrdersBody>;

/** POST /api/orders/{orderId}/amend: the new price and total count. */
export const AmendOrderBody = z.strictObject({
  ticker: Ticker,
  side: BookSide,
  price: PriceInput,
  count: CountInput,
  updated_client_order_id: ClientOrderId.optional(),
});
export type AmendOrderInput = z.output<typeof AmendOrderBody>;

/** POST /api/orders/{orderId}/decrease: exactly one of reduce_by / reduce_to. */
export const DecreaseOrderBody = z
  .strictObject({
    reduce_by: CountInput.optional(),
    reduce_to: z
      .string()
      .regex(/^\d+(\.\d{1,2})?$/, "must be a count like 10 or 2.50")
      .optional(),
  })
  .refine((body) => (body.reduce_by === undefined) !== (body.reduce_to === undefined), {
    path: ["reduce_by"],
    message: "give exactly one of reduce_by or reduce_to",
  });
export type DecreaseOrderInput = z.output<typeof DecreaseOrderBody>;

/** DELETE /api/orders/{orderId} query */
export const CancelOrderQuery = z.strictObject({ subaccount: SubaccountNumber.optional() });

/** GET /api/orders */
export const OrdersQuery = z.strictObject({
  limit: PageLimit.optional(),
  cursor: CursorInput.optional(),
  ticker: Ticker.optional(),
  event_ticker: z
    .string()
    .regex(/^[A-Za-z0-9._,-]+$/)
    .optional(),
  status: OrderStatus.optional(),
  min_ts: UnixSeconds.optional(),
  max_ts: UnixSeconds.optional(),
  subaccount: SubaccountNumber.optional(),
});
export type OrdersQuery = z.infer<typeof OrdersQuery>;

/** Route params carrying an order id. */
export const OrderIdParams = z.strictObject({ orderId: ResourceId });

/** GET /portfolio/orders/queue_positions: contracts ahead of each resting order (price-time priority). */
export const QueuePositionsSchema = z.looseObject({
  queue_positions: z
    .array(
      z.looseObject({
        order_id: z.string().min(1),
        market_ticker: z.string().min(1),
        queue_position_fp: CountString,
      }),
    )
    .nullish()
    .transform((list) => list ?? []),
});
export type QueuePositions = z.output<typeof QueuePositionsSchema>;

/** GET /api/orders/queue-positions: one market's resting orders. */
export const QueuePositionsQuery = z.strictObject({
  ticker: Ticker,
  subaccount: SubaccountNumber.optional(),
});
export type QueuePositionsQuery = z.infer<typeof QueuePositionsQuery>;
