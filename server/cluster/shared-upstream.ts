/**
 * One upstream Kalshi connection shared by every instance of a deployment
 * (REDIS_URL): the market-data connection, or one user's connection per
 * credential. Whichever instance holds the key's Redis lock (SET NX PX,
 * renewed every heartbeat, taken over by another instance when it lapses)
 * opens the real UpstreamConnection and publishes everything it hears on the
 * key's feed channel; every instance that wants the key, the owner included,
 * follows that feed and hands it to its gateway exactly as a local
 * connection would (the gateway's listener is unchanged).
 *
 * - Wants: each instance keeps its (channel, market) wants in a Redis set
 *   (expiring unless refreshed) and tells the owner on the command channel;
 *   the owner subscribes upstream to the union, asks for fresh snapshots of
 *   books another instance was already receiving, and broadcasts what is
 *   subscribed so the newcomer's topics go live.
 * - Order and loss: every feed message carries the owner's epoch (one per
 *   ownership, from INCR) and a sequence number. A gap means lost messages:
 *   the instance resyncs like after an upstream gap (books get snapshots,
 *   event streams skip a seq so browsers see it). A new epoch means a new
 *   upstream connection: everything goes stale, then live with fresh
 *   subscriptions. A heartbeat every second; silence for `staleMs` is a lost
 *   owner: topics go stale until a new owner takes over.
 */
import { z } from "zod";

import type { UpstreamChannel } from "@/server/gateway/upstream";
import {
  ALL_MARKETS,
  UpstreamConnection,
  type FeedConnection,
  type FeedConnectionSpec,
  type UpstreamCredential,
  type UpstreamHealth,
  type UpstreamListener,
} from "@/server/gateway/upstream";

import type { Cluster } from "./redis";

export interface FeedPosition {
  e: number;
  n: number;
}

const CHANNELS = [
  "orderbook_delta",
  "ticker",
  "trade",
  "market_lifecycle_v2",
  "fill",
  "user_orders",
  "market_positions",
  "communications",
  "order_group_updates",
] as const satisfies readonly UpstreamChannel[];
const Channel = z.enum(CHANNELS);

/** What travels on a feed channel (owner → instances), besides its position. */
const FeedBodySchema = z.discriminatedUnion("k", [
  z.object({ k: z.literal("conn"), state: z.enum(["open", "down"]) }),
  z.object({ k: z.literal("sub"), channel: Channel, markets: z.array(z.string()) }),
  z.object({ k: z.literal("resync"), channel: Channel, markets: z.array(z.string()) }),
  z.object({
    k: z.literal("data"),
    channel: Channel,
    type: z.string(),
    msg: z.record(z.string(), z.unknown()),
  }),
  z.object({
    k: z.literal("rej"),
    channel: Channel,
    markets: z.array(z.string()),
    code: z.number(),
    message: z.string(),
  }),
  z.object({ k: z.literal("refused"), status: z.number() }),
  z.object({ k: z.literal("state"), channels: z.record(z.string(), z.array(z.string())) }),
  z.object({ k: z.literal("hb") }),
  z.object({ k: z.literal("x"), body: z.unknown() }),
]);
const FeedWire = z.intersection(
  z.object({ e: z.number().int(), n: z.number().int() }),
  FeedBodySchema,
);
export type FeedBody = z.infer<typeof FeedBodySchema>;
export type FeedMessage = FeedBody & FeedPosition;

/** What travels on a command channel (instances → owner). */
const CommandWire = z.discriminatedUnion("k", [
  z.object({
    k: z.literal("wants"),
    from: z.string(),
    added: z.array(z.tuple([Channel, z.string()])),
  }),
  z.object({ k: z.literal("resync"), from: z.string(), books: z.array(z.string()) }),
  z.object({ k: z.literal("x"), from: z.string(), body: z.unknown() }),
]);
type Command = z.infer<typeof CommandWire>;

/** Releases or renews the lock only if this instance still holds it. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface SharedUpstreamOptions {
  cluster: Cluster;
  spec: FeedConnectionSpec;
  /** Lock lifetime: an owner silent this long is replaced. Default 3 s. */
  ttlMs?: number;
  /** Renewals, heartbeats and takeover attempts. Default 1 s. */
  heartbeatMs?: number;
  /** A feed silent this long is stale. Default 3 heartbeats. */
  staleMs?: number;
  /** Sees every feed message (with its position) before the gateway does. */
  onFeed?: (position: FeedPosition, message: FeedMessage) => void;
  /** Extra commands (`x`) reaching the owner. */
  onCommand?: (body: unknown) => void;
  /** This instance became (true) or stopped being (false) the owner. */
  onOwnership?: (owner: boolean) => void;
}

type Key = `${string}|${string}`;
const keyOf = (channel: UpstreamChannel, market: string): Key => `${channel}|${market}`;
function split(key: string): [UpstreamChannel, string] {
  const bar = key.indexOf("|");
  return [key.slice(0, bar) as UpstreamChannel, key.slice(bar + 1)];
}

export class SharedUpstream implements FeedConnection {
  readonly label: string;
  private readonly cluster: Cluster;
  private readonly listener: UpstreamListener;
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly keys: {
    owner: string;
    epoch: string;
    members: string;
    wants: (id: string) => string;
    feed: string;
    commands: string;
  };
  private credential: UpstreamCredential;
  private readonly wanted = new Map<UpstreamChannel, Set<string>>();
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private unsubscribeFeed: Promise<() => Promise<void>>;
  // follower side
  private epoch: number | null = null;
  private lastN = 0;
  private lastAt = 0;
  private connected = false;
  private readonly counters = { connects: 0, gaps: 0, commands: 0, framesIn: 0 };
  // owner side
  private upstream: UpstreamConnection | null = null;
  private ownerEpoch = 0;
  private seq = 0;
  private applied = new Set<Key>();
  private unsubscribeCommands: (() => Promise<void>) | null = null;
  private acquiring = false;

  constructor(private readonly options: SharedUpstreamOptions) {
    const { cluster, spec } = options;
    this.cluster = cluster;
    this.label = `${spec.label} (shared)`;
    this.listener = spec.listener;
    this.credential = spec.credential;
    this.ttlMs = options.ttlMs ?? 3_000;
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.staleMs = options.staleMs ?? 3 * this.heartbeatMs;
    const base = `${cluster.prefix}up:${spec.key}`;
    this.keys = {
      owner: `${base}:owner`,
      epoch: `${base}:epoch`,
      members: `${base}:members`,
      wants: (id) => `${base}:wants:${id}`,
      feed: `${base}:feed`,
      commands: `${base}:cmd`,
    };
    this.unsubscribeFeed = cluster.subscribe(this.keys.feed, (text) => this.onFeedText(text));
    this.timer = setInterval(() => void this.tick(), this.heartbeatMs);
    this.timer.unref();
    void this.tick();
  }

  // ------------------------------------------------------- FeedConnection

  get state(): FeedConnection["state"] {
    if (this.closed) return "closed";
    if (this.upstream) return this.upstream.state;
    return this.connected ? "open" : "backoff";
  }

  get idle(): boolean {
    for (const markets of this.wanted.values()) if (markets.size > 0) return false;
    return true;
  }

  get stats(): FeedConnection["stats"] {
    return this.upstream ? this.upstream.stats : this.counters;
  }

  /** True while this instance holds the upstream connection. */
  get owner(): boolean {
    return this.upstream !== null;
  }

  want(channel: UpstreamChannel, market: string = ALL_MARKETS): void {
    let set = this.wanted.get(channel);
    if (!set) {
      set = new Set();
      this.wanted.set(channel, set);
    }
    if (set.has(market)) return;
    set.add(market);
    void this.saveWant("add", channel, market);
  }

  unwant(channel: UpstreamChannel, market: string = ALL_MARKETS): void {
    if (!this.wanted.get(channel)?.delete(market)) return;
    void this.saveWant("remove", channel, market);
  }

  resnapshot(markets: string[]): void {
    void this.command({ k: "resync", from: this.cluster.id, books: markets });
  }

  setCredential(credential: UpstreamCredential): void {
    this.credential = credential;
    this.upstream?.setCredential(credential);
  }

  health(): UpstreamHealth {
    if (this.upstream) return this.upstream.health();
    return {
      state: this.state,
      refused: null,
      lastOpenAt: null,
      connects: this.counters.connects,
    };
  }

  describe(): ReturnType<FeedConnection["describe"]> {
    if (this.upstream) return { ...this.upstream.describe(), label: this.label };
    const channels: Record<string, { sid: number | null; markets: string[] }> = {};
    for (const [channel, markets] of this.wanted)
      channels[channel] = { sid: null, markets: [...markets].sort() };
    return { label: this.label, state: this.state, channels };
  }

  dropForTests(): void {
    this.upstream?.dropForTests();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const { redis, id } = this.cluster;
    void this.unsubscribeFeed.then((stop) => stop()).catch(() => undefined);
    void redis.del(this.keys.wants(id)).catch(() => undefined);
    void redis.srem(this.keys.members, id).catch(() => undefined);
    if (this.upstream) void this.stepDown(true);
  }

  // ---------------------------------------------------------------- wants

  private async saveWant(op: "add" | "remove", channel: UpstreamChannel, market: string) {
    const { redis, id } = this.cluster;
    const key = this.keys.wants(id);
    try {
      if (op === "add") {
        await redis
          .multi()
          .sadd(key, keyOf(channel, market))
          .pexpire(key, 10 * this.heartbeatMs)
          .sadd(this.keys.members, id)
          .exec();
      } else await redis.srem(key, keyOf(channel, market));
      await this.command({
        k: "wants",
        from: id,
        added: op === "add" ? [[channel, market]] : [],
      });
    } catch {
      // Redis is away: the next heartbeat writes the whole set again.
    }
  }

  /** Sends an extra command (`x`) to whoever owns the connection. */
  sendCommand(body: unknown): Promise<void> {
    return this.command({ k: "x", from: this.cluster.id, body });
  }

  private command(command: Command): Promise<void> {
    return this.cluster.publish(this.keys.commands, JSON.stringify(command)).catch(() => undefined);
  }

  // ------------------------------------------------------------ heartbeat

  private async tick(): Promise<void> {
    if (this.closed) return;
    const { redis, id } = this.cluster;
    const now = Date.now();
    // Keep this instance's wants alive (they expire with a dead instance).
    if (!this.idle) {
      const key = this.keys.wants(id);
      const all = [...this.wanted].flatMap(([channel, markets]) =>
        [...markets].map((market) => keyOf(channel, market)),
      );
      await redis
        .multi()
        .del(key)
        .sadd(key, ...all)
        .pexpire(key, 10 * this.heartbeatMs)
        .sadd(this.keys.members, id)
        .exec()
        .catch(() => undefined);
    }
    if (this.upstream) {
      const renewed = await redis
        .eval(RENEW, 1, this.keys.owner, id, String(this.ttlMs))
        .catch(() => 0);
      if (renewed !== 1) {
        await this.stepDown(false);
      } else {
        this.publish({ k: "hb" });
        // Wants of instances that died expire: pick that up.
        await this.recompute().catch(() => undefined);
      }
    } else if (!this.idle && !this.acquiring) {
      this.acquiring = true;
      try {
        const taken = await redis.set(this.keys.owner, id, "PX", this.ttlMs, "NX");
        if (taken === "OK" && !this.closed) await this.becomeOwner();
      } catch {
        // Redis away: try again next heartbeat.
      } finally {
        this.acquiring = false;
      }
    }
    if (this.connected && now - this.lastAt > this.staleMs) {
      // The owner went quiet: what we show is stale until a new owner speaks.
      this.connected = false;
      this.listener.onConnection("down");
    }
  }

  // ---------------------------------------------------------------- owner

  private async becomeOwner(): Promise<void> {
    const { redis, id } = this.cluster;
    this.ownerEpoch = Number(await redis.incr(this.keys.epoch));
    this.seq = 0;
    this.applied = new Set();
    this.unsubscribeCommands = await this.cluster.subscribe(this.keys.commands, (text) =>
      this.onCommandText(text),
    );
    const spec = this.options.spec;
    const publish = (message: FeedBody) => this.publish(message);
    this.upstream = new UpstreamConnection({
      ...spec,
      credential: this.credential,
      listener: {
        onConnection: (state) => publish({ k: "conn", state }),
        onSubscribed: (channel, markets) => publish({ k: "sub", channel, markets }),
        onResync: (channel, markets) => publish({ k: "resync", channel, markets }),
        onData: (channel, type, msg) => publish({ k: "data", channel, type, msg }),
        onRejected: (channel, markets, code, message) =>
          publish({ k: "rej", channel, markets, code, message }),
        onRefused: (status) => {
          publish({ k: "refused", status });
          // The owner's gateway may replace a provisioned key (it calls setCredential).
          this.listener.onRefused(status);
        },
      },
    });
    spec.log("info", {
      msg: "upstream owned by this instance",
      upstream: spec.label,
      epoch: this.ownerEpoch,
      instance: id,
    });
    this.options.onOwnership?.(true);
    await this.recompute();
    this.publishState();
  }

  private async stepDown(release: boolean): Promise<void> {
    const upstream = this.upstream;
    this.upstream = null;
    upstream?.close();
    const stop = this.unsubscribeCommands;
    this.unsubscribeCommands = null;
    await stop?.().catch(() => undefined);
    if (release)
      await this.cluster.redis
        .eval(RELEASE, 1, this.keys.owner, this.cluster.id)
        .catch(() => undefined);
    this.options.spec.log("warn", {
      msg: "upstream ownership ended",
      upstream: this.options.spec.label,
      released: release,
    });
    this.options.onOwnership?.(false);
  }

  private publish(message: FeedBody): void {
    if (!this.upstream && message.k !== "x") return;
    this.seq += 1;
    void this.cluster.publish(
      this.keys.feed,
      JSON.stringify({ ...message, e: this.ownerEpoch, n: this.seq }),
    );
  }

  /** Extra messages in the feed's order (the market-data universe's changes); false when not the owner. */
  publishExtra(body: unknown): boolean {
    if (!this.upstream) return false;
    this.publish({ k: "x", body });
    return true;
  }

  /** The union of every live instance's wants, applied upstream. Returns what it added. */
  private async recompute(): Promise<Set<Key>> {
    const upstream = this.upstream;
    if (!upstream) return new Set();
    const { redis } = this.cluster;
    const members = await redis.smembers(this.keys.members);
    const pipeline = redis.pipeline();
    for (const member of members) pipeline.smembers(this.keys.wants(member));
    const results = (await pipeline.exec()) ?? [];
    const union = new Set<Key>();
    const dead: string[] = [];
    results.forEach(([error, value], index) => {
      const list = !error && Array.isArray(value) ? (value as string[]) : [];
      if (list.length === 0) dead.push(members[index] as string);
      for (const entry of list) union.add(entry as Key);
    });
    if (dead.length > 0) await redis.srem(this.keys.members, ...dead).catch(() => undefined);
    if (this.upstream !== upstream) return new Set();
    const added = new Set<Key>();
    for (const key of union)
      if (!this.applied.has(key)) {
        added.add(key);
        const [channel, market] = split(key);
        upstream.want(channel, market);
      }
    for (const key of this.applied)
      if (!union.has(key)) {
        const [channel, market] = split(key);
        upstream.unwant(channel, market);
      }
    this.applied = union;
    return added;
  }

  private publishState(): void {
    const upstream = this.upstream;
    if (!upstream) return;
    const channels: Record<string, string[]> = {};
    for (const [channel, state] of Object.entries(upstream.describe().channels))
      if (state.sid !== null) channels[channel] = state.markets;
    this.publish({ k: "state", channels });
  }

  private onCommandText(text: string): void {
    let command: Command;
    try {
      command = CommandWire.parse(JSON.parse(text));
    } catch {
      return;
    }
    void this.onCommand(command).catch(() => undefined);
  }

  private async onCommand(command: Command): Promise<void> {
    const upstream = this.upstream;
    if (!upstream) return;
    switch (command.k) {
      case "wants": {
        const before = new Set(this.applied);
        await this.recompute();
        // A book another instance already receives: the newcomer needs a snapshot.
        const books = command.added
          .filter(
            ([channel, market]) =>
              channel === "orderbook_delta" && before.has(keyOf(channel, market)),
          )
          .map(([, market]) => market);
        if (books.length > 0) upstream.resnapshot(books);
        this.publishState();
        return;
      }
      case "resync":
        if (command.books.length > 0) upstream.resnapshot(command.books);
        this.publishState();
        return;
      case "x":
        this.options.onCommand?.(command.body);
        return;
      default: {
        const exhaustive: never = command;
        return exhaustive;
      }
    }
  }

  // ------------------------------------------------------------- follower

  private onFeedText(text: string): void {
    let wire: FeedMessage;
    try {
      wire = FeedWire.parse(JSON.parse(text));
    } catch {
      return;
    }
    this.counters.framesIn += 1;
    if (this.epoch !== null && wire.e < this.epoch) return; // a former owner's late words
    if (wire.e !== this.epoch) {
      // A new owner: a new upstream connection. Everything resubscribes.
      if (this.connected) this.listener.onConnection("down");
      this.connected = false;
      this.epoch = wire.e;
      this.lastN = wire.n - 1;
      this.counters.connects += 1;
      this.askForState();
    } else if (wire.n !== this.lastN + 1) {
      // Lost messages: resync like after an upstream gap.
      this.counters.gaps += 1;
      for (const [channel, markets] of this.wanted)
        if (markets.size > 0) this.listener.onResync(channel, [...markets]);
      this.askForState();
    }
    this.lastN = wire.n;
    this.lastAt = Date.now();
    this.options.onFeed?.({ e: wire.e, n: wire.n }, wire);
    if (!this.connected && wire.k !== "conn") {
      this.connected = true;
      this.listener.onConnection("open");
    }
    this.dispatch(wire);
  }

  private askForState(): void {
    const books = [...(this.wanted.get("orderbook_delta") ?? [])];
    void this.command({ k: "resync", from: this.cluster.id, books });
  }

  private dispatch(wire: FeedMessage): void {
    switch (wire.k) {
      case "conn":
        if (wire.state === "open") {
          this.connected = true;
          this.listener.onConnection("open");
        } else if (this.connected) {
          this.connected = false;
          this.listener.onConnection("down");
        }
        return;
      case "sub":
        this.listener.onSubscribed(wire.channel, this.mine(wire.channel, wire.markets));
        return;
      case "resync":
        this.listener.onResync(wire.channel, this.mine(wire.channel, wire.markets));
        return;
      case "data":
        this.listener.onData(wire.channel, wire.type, wire.msg, performance.now());
        return;
      case "rej": {
        const markets = this.mine(wire.channel, wire.markets);
        for (const market of markets) this.wanted.get(wire.channel)?.delete(market);
        if (markets.length > 0)
          this.listener.onRejected(wire.channel, markets, wire.code, wire.message);
        return;
      }
      case "refused":
        if (!this.upstream) this.listener.onRefused(wire.status);
        return;
      case "state":
        for (const [channel, markets] of Object.entries(wire.channels)) {
          const mine = this.mine(channel as UpstreamChannel, markets);
          if (mine.length > 0) this.listener.onSubscribed(channel as UpstreamChannel, mine);
        }
        return;
      case "hb":
      case "x":
        return;
      default: {
        const exhaustive: never = wire;
        return exhaustive;
      }
    }
  }

  /** The markets of `markets` this instance wants on `channel` (every market it wants when ALL). */
  private mine(channel: UpstreamChannel, markets: readonly string[]): string[] {
    const wanted = this.wanted.get(channel);
    if (!wanted || wanted.size === 0) return [];
    if (markets.includes(ALL_MARKETS)) return [...wanted];
    return markets.filter((market) => wanted.has(market));
  }
}
