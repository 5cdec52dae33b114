/**
 * The market-data service across instances. The instance that owns the shared
 * market-data connection (shared-upstream.ts) leads: it loads, reconciles and
 * re-reads over REST and publishes every change of the universe in the feed,
 * in order with the stream messages. Every instance (the leader included)
 * applies the feed to its own universe, so all of them hold the same one.
 *
 * A new instance starts warm: it follows the feed at once (buffering), asks
 * the leader for a snapshot of its universe tagged with the feed position it
 * reflects, loads it, then applies what it buffered after that position. A
 * gap in the feed (lost messages) is repaired the same way. When the leader
 * dies, the next owner leads: it reconciles over REST and publishes the
 * differences, which everybody applies.
 */
import { gunzipSync, gzipSync } from "node:zlib";

import { z } from "zod";

import type { MarketTap } from "@/server/gateway/gateway";
import { ALL_MARKETS } from "@/server/gateway/upstream";
import type { KalshiEvent, Market, Series } from "@/lib/schemas/market";
import {
  FEED_CHANNELS,
  type MarketDataLog,
  type MarketDataService,
  type UniverseOp,
  type UniverseSnapshot,
} from "@/server/market-data/service";
import type { UniverseWriter } from "@/server/market-data/universe";

import type { Cluster } from "./redis";
import type {
  FeedMessage,
  FeedPosition,
  SharedUpstream,
  SharedUpstreamOptions,
} from "./shared-upstream";

/** Snapshots live this long in Redis (they are written on request). */
const SNAPSHOT_TTL_MS = 10 * 60_000;
const SNAPSHOT_POLL_MS = 200;

const OpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("series"), series: z.looseObject({ ticker: z.string() }) }),
  z.object({ op: z.literal("event"), event: z.looseObject({ event_ticker: z.string() }) }),
  z.object({
    op: z.literal("market"),
    market: z.looseObject({ ticker: z.string(), event_ticker: z.string() }),
    at: z.number(),
  }),
  z.object({ op: z.literal("remove-market"), ticker: z.string() }),
  z.object({ op: z.literal("remove-event"), ticker: z.string() }),
  z.object({ op: z.literal("loaded"), report: z.looseObject({}) }),
]);

const SnapshotSchema = z.object({
  e: z.number(),
  n: z.number(),
  at: z.number(),
  ready: z.boolean(),
  data: z.object({
    series: z.array(z.looseObject({ ticker: z.string() })),
    events: z.array(z.looseObject({ event_ticker: z.string() })),
    markets: z.array(
      z.object({
        market: z.looseObject({ ticker: z.string() }),
        liveAt: z.number(),
        restAt: z.number(),
      }),
    ),
  }),
});

const CommandSchema = z.object({ snapshot: z.literal(true) });

export class ClusterMarketData {
  private shared: SharedUpstream | null = null;
  private synced = false;
  private buffered: Array<{ position: FeedPosition; message: FeedMessage }> = [];
  private last: FeedPosition | null = null;
  private requesting = false;
  private owner = false;
  /** Snapshots loaded (tests and logs). */
  snapshotsLoaded = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly service: MarketDataService,
    private readonly log: MarketDataLog,
  ) {
    service.joinCluster(this.writer);
    service.onReconciled((report) => {
      this.publish({ op: "loaded", report });
      void this.writeSnapshot();
    });
  }

  /** The gateway's tap in a cluster: the channels only (the feed reaches the service from here). */
  readonly tap: MarketTap = {
    channels: FEED_CHANNELS,
    onConnection: () => undefined,
    onSubscribed: () => undefined,
    onResync: () => undefined,
    onData: () => undefined,
  };

  /** What the shared market-data connection calls. */
  hooks(): Pick<SharedUpstreamOptions, "onFeed" | "onCommand" | "onOwnership"> {
    return {
      onFeed: (position, message) => this.onFeed(position, message),
      onCommand: (body) => {
        if (CommandSchema.safeParse(body).success) void this.writeSnapshot();
      },
      onOwnership: (owner) => this.onOwnership(owner),
    };
  }

  attach(shared: SharedUpstream): void {
    this.shared = shared;
  }

  /** Where the leader's loader and re-reads write: published, then applied by everyone from the feed. */
  readonly writer: UniverseWriter = {
    upsertSeries: (series: Series) => this.publish({ op: "series", series }),
    upsertEvent: (event: KalshiEvent) => this.publish({ op: "event", event }),
    upsertMarket: (market: Market, at: number) => {
      // Unchanged markets are not sent again (a reconcile re-reads every one).
      const held = this.service.universe.market(market.ticker);
      if (held && JSON.stringify(held) === JSON.stringify(market)) return;
      this.publish({ op: "market", market, at });
    },
    removeMarket: (ticker: string) => this.publish({ op: "remove-market", ticker }),
    removeEvent: (ticker: string) => this.publish({ op: "remove-event", ticker }),
  };

  private publish(op: UniverseOp): void {
    this.shared?.publishExtra(op);
  }

  private onOwnership(owner: boolean): void {
    this.owner = owner;
    if (owner && !this.synced) {
      // Nothing to load a snapshot from: this instance loads over REST as the leader.
      this.synced = true;
      for (const { position, message } of this.buffered.splice(0)) this.apply(position, message);
    }
    this.service.setRole(owner ? "leader" : "follower");
  }

  private onFeed(position: FeedPosition, message: FeedMessage): void {
    if (!this.synced) {
      this.buffered.push({ position, message });
      if (!this.requesting) void this.requestSnapshot();
      return;
    }
    const last = this.last;
    if (!this.owner && last && position.e === last.e && position.n !== last.n + 1) {
      // Lost messages: the universe may have missed changes. Start again from a snapshot.
      this.log("warn", { msg: "market-data feed gap; reloading from the leader's snapshot" });
      this.synced = false;
      this.buffered = [{ position, message }];
      void this.requestSnapshot();
      return;
    }
    this.apply(position, message);
  }

  private apply(position: FeedPosition, message: FeedMessage): void {
    this.last = position;
    const tap = this.service.tap;
    switch (message.k) {
      case "x": {
        const op = OpSchema.safeParse(message.body);
        if (op.success) this.service.applyOp(op.data as UniverseOp);
        return;
      }
      case "data":
        tap.onData(message.channel, message.type, message.msg);
        return;
      case "conn":
        tap.onConnection(message.state);
        return;
      case "sub":
        if (message.markets.includes(ALL_MARKETS)) tap.onSubscribed(message.channel);
        return;
      case "resync":
        if (message.markets.includes(ALL_MARKETS)) tap.onResync(message.channel);
        return;
      case "state":
        for (const [channel, markets] of Object.entries(message.channels))
          if (
            markets.includes(ALL_MARKETS) &&
            (FEED_CHANNELS as readonly string[]).includes(channel)
          )
            tap.onSubscribed(channel as (typeof FEED_CHANNELS)[number]);
        return;
      default:
        return;
    }
  }

  private snapshotKey(): string {
    return `${this.cluster.prefix}md:snapshot`;
  }

  /** The leader writes its universe with the feed position it reflects. */
  private async writeSnapshot(): Promise<void> {
    if (!this.owner || !this.last) return;
    const body = {
      e: this.last.e,
      n: this.last.n,
      at: Date.now(),
      ready: this.service.isReady,
      data: this.service.exportUniverse(),
    };
    await this.cluster.redis
      .set(this.snapshotKey(), gzipSync(JSON.stringify(body)), "PX", SNAPSHOT_TTL_MS)
      .catch(() => undefined);
  }

  /** Asks the leader for a snapshot and loads it once one at or after the buffered feed arrives. */
  private async requestSnapshot(): Promise<void> {
    this.requesting = true;
    try {
      const askedAt = Date.now();
      await this.shared?.sendCommand({ snapshot: true });
      for (let attempt = 0; !this.synced; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_POLL_MS));
        if (this.synced) return;
        const raw = await this.cluster.redis.getBuffer(this.snapshotKey()).catch(() => null);
        const parsed = raw
          ? SnapshotSchema.safeParse(JSON.parse(gunzipSync(raw).toString()))
          : null;
        const first = this.buffered[0]?.position;
        const snapshot = parsed?.success ? parsed.data : null;
        if (
          snapshot &&
          first &&
          snapshot.at >= askedAt &&
          snapshot.e === first.e &&
          snapshot.n >= first.n - 1
        ) {
          this.load(snapshot as unknown as LoadedSnapshot);
          return;
        }
        // The leader may have changed or not have heard us: ask again now and then.
        if (attempt % 10 === 9) await this.shared?.sendCommand({ snapshot: true });
      }
    } finally {
      this.requesting = false;
    }
  }

  private load(snapshot: LoadedSnapshot): void {
    this.service.importUniverse(snapshot.data, snapshot.ready);
    this.snapshotsLoaded += 1;
    this.last = { e: snapshot.e, n: snapshot.n };
    this.synced = true;
    for (const { position, message } of this.buffered.splice(0))
      if (position.e === snapshot.e && position.n > snapshot.n) this.apply(position, message);
    this.log("info", {
      msg: "market-data universe loaded from the leader's snapshot",
      markets: snapshot.data.markets.length,
      position: `${snapshot.e}.${snapshot.n}`,
    });
  }
}

interface LoadedSnapshot {
  e: number;
  n: number;
  ready: boolean;
  data: UniverseSnapshot;
}
