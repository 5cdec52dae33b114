/**
 * The simulator's WebSocket protocol vocabulary: channel names, message
 * types, Kalshi's error table (codes and exact texts), and the zod schemas
 * every inbound frame is parsed with. Wire shapes follow Kalshi's AsyncAPI
 * spec (`kalshi-docs/asyncapi.yaml`); see docs in `server/sim/ws/README.md`.
 */
import { z } from "zod";

/** Channels a client may subscribe to on the simulator. */
export const CHANNELS = [
  "orderbook_delta",
  "ticker",
  "trade",
  "fill",
  "user_orders",
  "market_positions",
  "market_lifecycle_v2",
  "multivariate_market_lifecycle",
  "communications",
  "order_group_updates",
] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(name: string): name is Channel {
  return (CHANNELS as readonly string[]).includes(name);
}

/** Channels that may be narrowed to markets (orderbook_delta must be). */
export const MARKET_FILTERED_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  "orderbook_delta",
  "ticker",
  "trade",
  "fill",
  "user_orders",
  "market_positions",
]);

/** Every `type` the simulator puts on the wire. */
export type OutboundType =
  | "subscribed"
  | "unsubscribed"
  | "ok"
  | "error"
  | "orderbook_snapshot"
  | "orderbook_delta"
  | "ticker"
  | "trade"
  | "fill"
  | "user_order"
  | "market_position"
  | "market_lifecycle_v2"
  | "multivariate_market_lifecycle"
  | "event_lifecycle"
  | "rfq_created"
  | "rfq_deleted"
  | "quote_created"
  | "quote_accepted"
  | "quote_executed"
  | "order_group_updates";

/** Kalshi's WebSocket error table (quick start + AsyncAPI), with the exact message texts. */
export const WS_ERRORS = {
  1: "Unable to process message",
  2: "Params required",
  3: "Channels required",
  4: "Subscription IDs required",
  5: "Unknown command",
  6: "Already subscribed",
  7: "Unknown subscription ID",
  8: "Unknown channel name",
  9: "Authentication required",
  10: "Channel error",
  11: "Invalid parameter",
  12: "Exactly one subscription ID is required",
  13: "Unsupported action",
  14: "Market Ticker required",
  15: "Action required",
  16: "Market not found",
  17: "Internal error",
  18: "Command timeout",
  19: "shard_factor must be > 0",
  20: "shard_factor is required when shard_key is set",
  21: "shard_key must be >= 0 and < shard_factor",
  22: "shard_factor must be <= 100",
  23: "Match IDs required",
  24: "Index IDs required",
  25: "Subscription buffer overflow",
  26: "Subscription market limit exceeded",
  27: "Too many requests",
  28: "Underlying tickers required",
} as const;
export type WsErrorCode = keyof typeof WS_ERRORS;

/** A command that fails validation; the session turns it into an `error` frame. */
export class WsCommandError extends Error {
  override readonly name = "WsCommandError";

  constructor(
    readonly code: WsErrorCode,
    readonly detail: { marketTicker?: string; marketId?: string } = {},
  ) {
    super(WS_ERRORS[code]);
  }
}

// ------------------------------------------------------------------ inbound

/**
 * The command envelope. `params` is parsed per command so that a missing
 * object (code 2) can be told apart from a malformed one (code 1).
 */
export const commandEnvelope = z.object({
  id: z.number().int().nonnegative().optional(),
  cmd: z.string().optional(),
  params: z.unknown().optional(),
});

const tickerList = z.array(z.string());

/** Market selection fields shared by subscribe and update_subscription. */
const marketSelection = {
  market_ticker: z.string().optional(),
  market_tickers: tickerList.optional(),
  market_id: z.string().optional(),
  market_ids: z.array(z.string()).optional(),
};

export const subscribeParams = z.object({
  channels: z.array(z.string()).optional(),
  ...marketSelection,
  send_initial_snapshot: z.boolean().optional(),
  skip_ticker_ack: z.boolean().optional(),
  use_yes_price: z.boolean().optional(),
  shard_factor: z.number().int().optional(),
  shard_key: z.number().int().optional(),
});
export type SubscribeParams = z.infer<typeof subscribeParams>;

export const unsubscribeParams = z.object({
  sids: z.array(z.number().int()).optional(),
});

export const updateSubscriptionParams = z.object({
  sid: z.number().int().optional(),
  sids: z.array(z.number().int()).optional(),
  action: z.string().optional(),
  ...marketSelection,
  send_initial_snapshot: z.boolean().optional(),
});
export type UpdateSubscriptionParams = z.infer<typeof updateSubscriptionParams>;

export type MarketSelection = Pick<
  SubscribeParams,
  "market_ticker" | "market_tickers" | "market_id" | "market_ids"
>;

export const UPDATE_ACTIONS = ["add_markets", "delete_markets", "get_snapshot"] as const;
export type UpdateAction = (typeof UPDATE_ACTIONS)[number];

export function isUpdateAction(action: string): action is UpdateAction {
  return (UPDATE_ACTIONS as readonly string[]).includes(action);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}
