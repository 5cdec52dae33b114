/**
 * The browser ↔ gateway protocol ("kgw.v2", and "kgw.v1" without batching). Browser-safe and
 * shared: the gateway parses every browser frame with `clientFrameSchema`,
 * the browser client parses every gateway frame with `serverFrameSchema`.
 * Documented for humans in docs/gateway.md.
 *
 * Prices are Kalshi dollar strings on the YES scale ("0.5600"), sizes are
 * Kalshi `_fp` count strings ("12.00"): never floats.
 *
 * Topic names live in lib/gateway/topics.ts (no zod) so pages can name topics
 * without loading the validators; the browser client that needs them is
 * loaded after hydration (lib/gateway/lazy-client.ts).
 *
 * Written with `zod/mini` (the tree-shakable functional API) rather than
 * `zod`: the browser loads this module on every page, and the full package
 * would add ~30 kB gzip to each first load. Validation runs on the same core;
 * the mini build registers no locale, so the gateway passes zod's English
 * messages when it parses a browser frame (server/gateway/gateway.ts).
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import * as z from "zod/mini";

import { parseTopic } from "@/lib/gateway/topics";

/** The newest protocol version; the gateway announces the one it speaks in `welcome`. */
export const PROTOCOL_VERSION = 2;
/** Version 1: one frame per WebSocket message. */
export const PROTOCOL_NAME = "kgw.v1";
/**
 * Version 2: the same frames, but a message may also be a JSON array of
 * frames, to be handled in order (the gateway batches a busy socket's frames,
 * see server/gateway/browser-session.ts). The browser client offers v2 then v1.
 */
export const BATCHED_PROTOCOL_NAME = "kgw.v2";

export {
  bookTopic,
  GLOBAL_TOPICS,
  isPrivateTopic,
  MARKET_TOPIC_KINDS,
  parseTopic,
  PRIVATE_TOPICS,
  tickerTopic,
  tradesTopic,
  type GlobalTopic,
  type MarketTopicKind,
  type ParsedTopic,
} from "@/lib/gateway/topics";

const topicSchema = z.string().check(
  z.maxLength(120),
  z.refine((topic) => parseTopic(topic) !== null, {
    message:
      "unknown topic: use book:TICKER, ticker:TICKER, trades:TICKER, lifecycle, fills, orders, positions, rfq or order-groups",
  }),
);

// ------------------------------------------------------------------ browser → gateway

/** Most topics one frame may name. */
export const MAX_TOPICS_PER_FRAME = 50;

const topicList = z.array(topicSchema).check(z.minLength(1), z.maxLength(MAX_TOPICS_PER_FRAME));

export const clientFrameSchema = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("subscribe"), topics: topicList }),
  z.strictObject({ op: z.literal("unsubscribe"), topics: topicList }),
  /** Ask for a fresh book snapshot (the client saw a sequence gap). */
  z.strictObject({ op: z.literal("resync"), topic: topicSchema }),
  /** Application-level heartbeat; answered with `pong`. */
  z.strictObject({ op: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ------------------------------------------------------------------ gateway → browser

/**
 * `error`: the stream is subscribed but failing in a way a retry alone will
 * not fix (the exchange refuses the key); the status frame carries `code` and
 * `message`, and the gateway keeps trying: `live` follows when it recovers.
 */
export const STREAM_STATUSES = ["live", "stale", "resyncing", "error"] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];

/** Error codes the gateway sends; `message` says what was wrong in words. */
export const GATEWAY_ERROR_CODES = [
  "invalid_frame",
  "unauthorized_topic",
  "no_credential",
  /** A key is stored but cannot be used on this server (the vault cannot open it): replace it. */
  "credential_unreadable",
  /** The exchange refused the key at the WebSocket handshake (401/403): sent as a topic status. */
  "upstream_auth_refused",
  "too_many_topics",
  "rate_limited",
  "market_not_found",
  "upstream_unavailable",
  "upstream_error",
  "not_subscribed",
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

const dollars = z.string().check(z.regex(/^-?\d+(\.\d+)?$/));
const count = z.string().check(z.regex(/^-?\d+(\.\d+)?$/));
/** A number that must be a safe integer, like full zod's `z.number().int()`. */
const int = () => z.number().check(z.int());
/** One book level: [yes price in dollars, size in contracts]. */
const level = z.tuple([dollars, count]);

/** Kalshi's own message bodies are passed through with their field names; the fields the UI reads are checked. */
export const tickerMsgSchema = z.looseObject({
  market_ticker: z.string(),
  price_dollars: z.string(),
  yes_bid_dollars: dollars,
  yes_ask_dollars: dollars,
  yes_bid_size_fp: count,
  yes_ask_size_fp: count,
  volume_fp: count,
  open_interest_fp: count,
  ts_ms: z.optional(z.number()),
});
export const tradeMsgSchema = z.looseObject({
  trade_id: z.string(),
  market_ticker: z.string(),
  yes_price_dollars: dollars,
  count_fp: count,
  taker_outcome_side: z.string(),
  ts_ms: z.optional(z.number()),
});
export const fillMsgSchema = z.looseObject({
  trade_id: z.string(),
  order_id: z.string(),
  market_ticker: z.string(),
  yes_price_dollars: dollars,
  count_fp: count,
});
export const orderMsgSchema = z.looseObject({
  order_id: z.string(),
  ticker: z.string(),
  status: z.string(),
});
export const positionMsgSchema = z.looseObject({
  market_ticker: z.string(),
  position_fp: count,
});
const anyMsg = z.record(z.string(), z.unknown());

/**
 * Which incarnation of a topic a frame belongs to. A topic's `seq` counts
 * from its creation; when the gateway recreates it (after its linger, a
 * gateway restart, or a private stream moving to another key) `seq` starts
 * again and the epoch changes, so a client resets its baseline instead of
 * ignoring the "old" numbers. Opaque; compare for equality only. Optional:
 * added to kgw.v1 without a version bump (older gateways omit it).
 */
const epoch = z.optional(z.string().check(z.maxLength(64)));

const data = <T extends string, S extends z.ZodMiniType>(type: T, msg: S) =>
  z.object({ type: z.literal(type), topic: z.string(), seq: int(), epoch, msg });

export const serverFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("welcome"),
    v: int(),
    authenticated: z.boolean(),
    limits: z.object({ maxTopics: int(), framesPerSecond: z.number() }),
  }),
  /** Freshness of a topic; `seq` is the topic's current sequence number (the baseline for a new subscriber). */
  z.object({
    type: z.literal("status"),
    topic: z.string(),
    status: z.enum(STREAM_STATUSES),
    seq: int(),
    epoch,
    /** With status `error`: what is wrong, for the UI. */
    code: z.optional(z.enum(GATEWAY_ERROR_CODES)),
    message: z.optional(z.string()),
  }),
  /** The whole book of a market, replacing any book the client holds; best levels first. */
  z.object({
    type: z.literal("book_snapshot"),
    topic: z.string(),
    seq: int(),
    epoch,
    bids: z.array(level),
    asks: z.array(level),
  }),
  /** One level changed; `size` is the level's new total ("0.00" removes it). */
  z.object({
    type: z.literal("book_delta"),
    topic: z.string(),
    seq: int(),
    epoch,
    side: z.enum(["bid", "ask"]),
    price: dollars,
    size: count,
  }),
  data("ticker", tickerMsgSchema),
  data("trade", tradeMsgSchema),
  data("fill", fillMsgSchema),
  data("order", orderMsgSchema),
  data("position", positionMsgSchema),
  data("order_group", anyMsg),
  z.object({
    type: z.literal("lifecycle"),
    topic: z.string(),
    seq: int(),
    epoch,
    kind: z.string(),
    msg: anyMsg,
  }),
  z.object({
    type: z.literal("rfq"),
    topic: z.string(),
    seq: int(),
    epoch,
    kind: z.string(),
    msg: anyMsg,
  }),
  z.object({
    type: z.literal("error"),
    code: z.enum(GATEWAY_ERROR_CODES),
    message: z.string(),
    topic: z.optional(z.string()),
    field: z.optional(z.string()),
  }),
  z.object({ type: z.literal("pong") }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type ServerFrameType = ServerFrame["type"];
export type DataFrame = Extract<ServerFrame, { seq: number }>;

/** Close codes the gateway uses (besides 1000/1001). */
export const CLOSE_CODES = {
  /** Policy violation: a flood of frames. */
  policy: 1008,
  /** The socket could not keep up (stayed over its send budget). */
  tryAgainLater: 1013,
  /** Server shutting down. */
  goingAway: 1001,
  /** Missed heartbeats. */
  heartbeatTimeout: 4000,
} as const;
