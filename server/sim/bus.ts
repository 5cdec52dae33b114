/**
 * What happened inside the simulated exchange, as typed events. The engine and
 * the lifecycle publish; the WebSocket channels subscribe and turn each event
 * into Kalshi's wire messages. Delivery is synchronous and in order, so a
 * subscriber sees a book delta before the trade it caused, as on Kalshi.
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type {
  BookSide,
  FillRecord,
  OrderRecord,
  PositionRecord,
  TradeRecord,
} from "@/server/sim/model";

/** A JSON value, for message bodies built outside the WebSocket layer. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type MarketLifecycleEventType =
  | "created"
  | "activated"
  | "deactivated"
  | "close_date_updated"
  | "determined"
  | "settled"
  | "price_level_structure_updated"
  | "metadata_updated";

export type SimEvent =
  /** Resting size at (ticker, side, YES price) changed by `delta` (signed). */
  | {
      kind: "book_delta";
      ticker: string;
      side: BookSide;
      price: Micros;
      delta: Centis;
      /** The order that caused it (lets a channel tag the owner's own deltas). */
      order: OrderRecord;
      tsMs: number;
    }
  | { kind: "trade"; trade: TradeRecord }
  /** Best bid/ask, last price, volume or open interest of a market changed. */
  | { kind: "ticker"; ticker: string; tsMs: number }
  | { kind: "fill"; fill: FillRecord }
  /** An order was created, filled, amended, decreased, canceled or expired (a copy after the change). */
  | { kind: "order"; order: OrderRecord }
  | { kind: "position"; position: PositionRecord }
  | { kind: "market_lifecycle"; ticker: string; eventType: MarketLifecycleEventType; tsMs: number }
  | { kind: "event_lifecycle"; eventTicker: string; tsMs: number }
  /**
   * An RFQ/quote event for the `communications` channel. Each delivery names
   * its recipient (null = every subscriber) and carries that recipient's own
   * message body, since fields such as `subaccount` or `order_id` differ per
   * party. `marketTicker` drives the optional shard filter.
   */
  | {
      kind: "communications";
      type: CommunicationsMessageType;
      marketTicker: string;
      deliveries: Array<{ userId: string | null; msg: JsonObject }>;
    }
  /** An order group of `userId` changed (`order_group_updates` channel). */
  | {
      kind: "order_group";
      userId: string;
      eventType: "created" | "triggered" | "reset" | "deleted" | "limit_updated";
      orderGroupId: string;
      /** Only on created and limit_updated. */
      contractsLimit: Centis | null;
      tsMs: number;
    };

export type CommunicationsMessageType =
  "rfq_created" | "rfq_deleted" | "quote_created" | "quote_accepted" | "quote_executed";

export type SimEventKind = SimEvent["kind"];
export type SimListener = (event: SimEvent) => void;

interface Subscription {
  listener: SimListener;
  /** Null: every kind. */
  kinds: ReadonlySet<SimEventKind> | null;
}

/**
 * A minimal synchronous publish/subscribe hub. A subscriber may name the
 * kinds it reads, so publishers can skip building events (record copies) of
 * kinds nobody reads: the market-data store reads trades and tickers only.
 */
export class SimBus {
  private readonly subscriptions = new Set<Subscription>();
  /** Subscribers per kind, and those that read every kind. */
  private readonly perKind = new Map<SimEventKind, number>();
  private everyKind = 0;
  /** Events published so far: the journal's cheap "did this tick change anything" probe. */
  published = 0;

  /** Registers a listener (for `kinds` only, when given); returns the function that removes it. */
  subscribe(listener: SimListener, kinds?: readonly SimEventKind[]): () => void {
    const subscription: Subscription = { listener, kinds: kinds ? new Set(kinds) : null };
    this.subscriptions.add(subscription);
    this.count(subscription, 1);
    return () => {
      if (this.subscriptions.delete(subscription)) this.count(subscription, -1);
    };
  }

  private count(subscription: Subscription, by: 1 | -1): void {
    if (subscription.kinds === null) {
      this.everyKind += by;
      return;
    }
    for (const kind of subscription.kinds) {
      this.perKind.set(kind, (this.perKind.get(kind) ?? 0) + by);
    }
  }

  publish(event: SimEvent): void {
    this.published += 1;
    for (const { listener, kinds } of this.subscriptions) {
      if (kinds !== null && !kinds.has(event.kind)) continue;
      try {
        listener(event);
      } catch (error) {
        // A broken subscriber must never break the matching engine.
        console.error(
          JSON.stringify({
            at: "sim.bus",
            what: "listener failed",
            kind: event.kind,
            error: String(error),
          }),
        );
      }
    }
  }

  /** True when someone listens to anything. */
  get listened(): boolean {
    return this.subscriptions.size > 0;
  }

  /** True when someone reads events of `kind`: publishers skip building the others. */
  wants(kind: SimEventKind): boolean {
    return this.everyKind > 0 || (this.perKind.get(kind) ?? 0) > 0;
  }

  /** Counts an event that was not built because nobody listens (keeps `published` honest). */
  skip(events = 1): void {
    this.published += events;
  }

  get listenerCount(): number {
    return this.subscriptions.size;
  }
}
