/**
 * A gateway topic (`book:T`, `fills@user/cred`, …) and how its frames are
 * encoded: the unit of fan-out with its subscribers, sequence number, epoch,
 * status and cached book, and the mapping between upstream channels and
 * browser frame types. Frames are serialised once per update (here) and the
 * same Buffer is written to every subscriber (server/gateway/gateway.ts).
 */
import { parseCount, parseDollars } from "@/lib/fixed-point";
import { OrderBook, toWireLevels } from "@/lib/gateway/order-book";
import type { GatewayErrorCode, parseTopic, StreamStatus } from "@/lib/gateway/protocol";
import type { FeedConnection, UpstreamChannel } from "@/server/gateway/upstream";

export type TopicKind = NonNullable<ReturnType<typeof parseTopic>>["kind"];

export const CHANNEL_OF: Record<TopicKind, UpstreamChannel> = {
  book: "orderbook_delta",
  ticker: "ticker",
  trades: "trade",
  lifecycle: "market_lifecycle_v2",
  fills: "fill",
  orders: "user_orders",
  positions: "market_positions",
  rfq: "communications",
  "order-groups": "order_group_updates",
};

export const KIND_OF = Object.fromEntries(
  Object.entries(CHANNEL_OF).map(([kind, channel]) => [channel, kind]),
) as Record<UpstreamChannel, TopicKind>;

/** Gateway frame `type` for an upstream message `type` (lifecycle and rfq keep the original as `kind`). */
export function frameTypeOf(upstreamType: string): { type: string; kind?: string } | null {
  switch (upstreamType) {
    case "ticker":
      return { type: "ticker" };
    case "trade":
      return { type: "trade" };
    case "fill":
      return { type: "fill" };
    case "user_order":
      return { type: "order" };
    case "market_position":
      return { type: "position" };
    case "order_group_updates":
      return { type: "order_group" };
    case "market_lifecycle_v2":
    case "event_lifecycle":
    case "event_fee_update":
      return { type: "lifecycle", kind: upstreamType };
    case "rfq_created":
    case "rfq_deleted":
    case "quote_created":
    case "quote_accepted":
    case "quote_executed":
      return { type: "rfq", kind: upstreamType };
    default:
      return null;
  }
}

export const TEXT_FRAME = { binary: false, compress: false } as const;

/**
 * Topic epochs: unique per topic incarnation across gateway restarts (a
 * random boot id, then a counter), so a browser that sees seq start over can
 * tell a recreated topic from stale frames.
 */
const BOOT_ID = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
let epochCounter = 0;
function nextEpoch(): string {
  epochCounter += 1;
  return `${BOOT_ID}.${epochCounter.toString(36)}`;
}

/** `S`: the subscriber type (the gateway's BrowserSession), a parameter so this module stays below it. */
export class Topic<S = unknown> {
  readonly wireJson: string;
  readonly epoch = nextEpoch();
  /** `"topic":…,"epoch":…`: the fields every frame of this topic starts with. */
  readonly head: string;
  readonly subscribers = new Set<S>();
  seq = 0;
  status: StreamStatus = "resyncing";
  /** Why the status is `error` (the upstream refuses the key); null otherwise. */
  statusError: { code: GatewayErrorCode; message: string } | null = null;
  readonly book: OrderBook | null;
  /** The serialised current book (built lazily, dropped on every change). */
  private snapshot: Buffer | null = null;
  /** The last ticker frame (what a new or lagging subscriber needs). */
  lastFrame: Buffer | null = null;
  lingerTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly key: string,
    readonly wire: string,
    readonly kind: TopicKind,
    readonly market: string,
    readonly connection: FeedConnection,
    readonly ownerKey: string | null,
  ) {
    this.wireJson = JSON.stringify(wire);
    this.head = `"topic":${this.wireJson},"epoch":"${this.epoch}"`;
    this.book = kind === "book" ? new OrderBook() : null;
  }

  /** Book and ticker frames describe a state, so only the latest matters to a lagging socket. */
  get conflatable(): boolean {
    return this.kind === "book" || this.kind === "ticker";
  }

  get channel(): UpstreamChannel {
    return CHANNEL_OF[this.kind];
  }

  invalidateSnapshot(): void {
    this.snapshot = null;
  }

  snapshotFrame(): Buffer | null {
    if (!this.book || this.status === "resyncing") return null;
    this.snapshot ??= Buffer.from(
      `{"type":"book_snapshot",${this.head},"seq":${this.seq},"bids":${JSON.stringify(
        toWireLevels(this.book.levels("bid")),
      )},"asks":${JSON.stringify(toWireLevels(this.book.levels("ask")))}}`,
    );
    return this.snapshot;
  }

  /** The frame that brings a subscriber up to date, if the topic has state. */
  latestFrame(): Buffer | null {
    return this.book ? this.snapshotFrame() : this.lastFrame;
  }

  statusFrame(): Buffer {
    const error =
      this.status === "error" && this.statusError
        ? `,"code":"${this.statusError.code}","message":${JSON.stringify(this.statusError.message)}`
        : "";
    return Buffer.from(
      `{"type":"status",${this.head},"status":"${this.status}","seq":${this.seq}${error}}`,
    );
  }
}

export function invalid(field: string): never {
  throw new Error(`invalid ${field}`);
}

/** Upstream snapshot levels (`[["0.5600","12.00"], …]`) as [micros, centis]. */
export function levelsOf(value: unknown): Array<[number, number]> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error("levels must be an array");
  return value.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "string")
      throw new Error("a level must be [price, size]");
    return [parseDollars(entry[0]), parseCount(entry[1])];
  });
}
