/**
 * One upstream Kalshi WebSocket connection, signed with one credential.
 *
 * It owns the socket's whole lifecycle: the signed handshake (RSA-PSS over
 * `timestamp + "GET" + "/trade-api/ws/v2"`, fresh on every attempt),
 * reconnects with capped exponential backoff and full jitter, a silence
 * deadline (no message, ping or pong), per-sid `seq` checks, and the
 * reconciliation of what is wanted against what is subscribed: the first
 * market of a channel subscribes, later ones `add_markets`, departures
 * `delete_markets`, an empty channel unsubscribes. One command per channel is
 * in flight at a time, so replies never race. After a reconnect every
 * channel is subscribed again from scratch (new sids, new snapshots).
 *
 * Frames from Kalshi are checked by hand rather than with zod: they arrive
 * thousands of times a second and only a few fields are read here.
 */
import { constants, sign, type KeyObject } from "node:crypto";
import WebSocket, { type RawData } from "ws";
import { backoffDelay, type GatewayTimers } from "@/server/gateway/options";

export const UPSTREAM_WS_PATH = "/trade-api/ws/v2";

export type UpstreamChannel =
  | "orderbook_delta"
  | "ticker"
  | "trade"
  | "market_lifecycle_v2"
  | "fill"
  | "user_orders"
  | "market_positions"
  | "communications"
  | "order_group_updates";

/** Marker for "every market" in a channel's wanted set (channels we never narrow). */
export const ALL_MARKETS = "*";

/** Channels the gateway narrows to markets; the others are always subscribed for every market. */
const PER_MARKET: ReadonlySet<UpstreamChannel> = new Set(["orderbook_delta", "ticker", "trade"]);

export interface UpstreamCredential {
  apiKeyId: string;
  privateKey: KeyObject;
}

export type UpstreamMsg = Record<string, unknown>;

export interface UpstreamListener {
  /** The socket opened ("open") or was lost ("down"; everything on it is stale until resubscribed). */
  onConnection(state: "open" | "down"): void;
  /** `markets` (ALL_MARKETS for every market) are subscribed upstream and flowing. */
  onSubscribed(channel: UpstreamChannel, markets: string[]): void;
  /** A sequence gap or a terminal channel error: these markets' data is being re-fetched. */
  onResync(channel: UpstreamChannel, markets: string[]): void;
  /** A data message. `receivedAt` is performance.now() at the socket read. */
  onData(channel: UpstreamChannel, type: string, msg: UpstreamMsg, receivedAt: number): void;
  /** Kalshi refused to subscribe these markets; they were dropped from the wanted set. */
  onRejected(channel: UpstreamChannel, markets: string[], code: number, message: string): void;
  /**
   * The handshake was refused with 401/403: the credential is not accepted
   * (deleted, revoked, an exchange that forgot it). Reconnects continue with
   * backoff; `setCredential` swaps the key and retries at once.
   */
  onRefused(status: number): void;
}

/** What an operator (or a health route) needs to know about one upstream connection. */
export interface UpstreamHealth {
  state: UpstreamState;
  /** Set while the exchange refuses the credential (401/403 on every handshake since `since`). */
  refused: { status: number; since: string } | null;
  /** When the connection last opened (ISO), or null if it never did. */
  lastOpenAt: string | null;
  connects: number;
}

export interface UpstreamOptions {
  /** For logs: "market-data" or "user:<id>". Never a key. */
  label: string;
  url: string;
  credential: UpstreamCredential;
  timers: GatewayTimers;
  listener: UpstreamListener;
  /**
   * Observes every frame (tests and diagnostics): "out" for commands sent,
   * "in" for frames received. Returning false for an inbound frame drops it
   * as if it was lost (fault injection).
   */
  observe?: (direction: "in" | "out", text: string) => boolean | void;
  log: (level: "info" | "warn" | "error", fields: Record<string, unknown>) => void;
}

interface ChannelState {
  sid: number | null;
  /** Markets subscribed upstream (ALL_MARKETS for every market). */
  actual: Set<string>;
  /** A subscribe/add/delete/unsubscribe is waiting for its reply. */
  busy: boolean;
}

interface PendingCommand {
  channel: UpstreamChannel;
  kind: "subscribe" | "add" | "delete" | "unsubscribe" | "snapshot";
  markets: string[];
  deadline: number;
}

export type UpstreamState = "connecting" | "open" | "backoff" | "closed";

/**
 * What the gateway needs of an upstream connection: UpstreamConnection
 * itself, or (with REDIS_URL) a connection shared across instances
 * (server/cluster/shared-upstream.ts) that one instance holds and the others
 * follow through Redis.
 */
export interface FeedConnection {
  readonly state: UpstreamState;
  readonly label: string;
  readonly idle: boolean;
  readonly stats: { connects: number; gaps: number; commands: number; framesIn: number };
  want(channel: UpstreamChannel, market?: string): void;
  unwant(channel: UpstreamChannel, market?: string): void;
  resnapshot(markets: string[]): void;
  close(): void;
  setCredential(credential: UpstreamCredential): void;
  health(): UpstreamHealth;
  describe(): {
    label: string;
    state: UpstreamState;
    channels: Record<string, { sid: number | null; markets: string[] }>;
  };
  dropForTests(): void;
}

/** Everything needed to open one upstream connection (the gateway's factory input). */
export type FeedConnectionSpec = UpstreamOptions & {
  /** "market-data" for the shared connection, else the owner key (user/credential). */
  key: string;
};

export type FeedConnectionFactory = (spec: FeedConnectionSpec) => FeedConnection;

export class UpstreamConnection implements FeedConnection {
  private socket: WebSocket | null = null;
  private state_: UpstreamState = "backoff";
  private readonly wanted = new Map<UpstreamChannel, Set<string>>();
  private readonly channels = new Map<UpstreamChannel, ChannelState>();
  private readonly channelBySid = new Map<number, UpstreamChannel>();
  private readonly seqBySid = new Map<number, number>();
  private readonly pending = new Map<number, PendingCommand>();
  private nextId = 1;
  private attempt = 0;
  private openedAt = 0;
  private lastActivity = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  private credential: UpstreamCredential;
  private refused: { status: number; since: number } | null = null;
  private lastOpenAt = 0;
  /** Counters for diagnostics and the benchmark. */
  readonly stats = { connects: 0, gaps: 0, commands: 0, framesIn: 0 };

  constructor(private readonly options: UpstreamOptions) {
    this.credential = options.credential;
    const every = Math.max(50, Math.min(1000, Math.floor(options.timers.upstreamSilenceMs / 4)));
    this.watchdog = setInterval(() => this.checkLiveness(), every);
    this.watchdog.unref();
    this.connect();
  }

  get state(): UpstreamState {
    return this.state_;
  }

  get label(): string {
    return this.options.label;
  }

  /** True when nothing is wanted on any channel. */
  get idle(): boolean {
    for (const markets of this.wanted.values()) if (markets.size > 0) return false;
    return true;
  }

  /** Wants `market` (or ALL_MARKETS) on `channel`; subscribes upstream when needed. */
  want(channel: UpstreamChannel, market: string = ALL_MARKETS): void {
    let set = this.wanted.get(channel);
    if (!set) {
      set = new Set();
      this.wanted.set(channel, set);
    }
    if (set.has(market)) return;
    set.add(market);
    // Still subscribed from before (a removal not sent yet): data flows, but a new book needs its snapshot.
    if (this.channels.get(channel)?.actual.has(market)) {
      if (channel === "orderbook_delta") this.resnapshot([market]);
      else this.options.listener.onSubscribed(channel, [market]);
    }
    this.reconcile(channel);
  }

  /** No longer wants `market` on `channel`; unsubscribes upstream when it was the last. */
  unwant(channel: UpstreamChannel, market: string = ALL_MARKETS): void {
    const set = this.wanted.get(channel);
    if (!set?.delete(market)) return;
    this.reconcile(channel);
  }

  /** Asks for fresh snapshots of these subscribed books (a gap was seen downstream or upstream). */
  resnapshot(markets: string[]): void {
    const state = this.channels.get("orderbook_delta");
    if (!state || state.sid === null) return;
    const tickers = markets.filter((market) => state.actual.has(market));
    if (tickers.length === 0) return;
    this.options.listener.onResync("orderbook_delta", tickers);
    this.command(
      "update_subscription",
      { sid: state.sid, action: "get_snapshot", market_tickers: tickers },
      { channel: "orderbook_delta", kind: "snapshot", markets: tickers },
    );
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.state_ = "closed";
    clearInterval(this.watchdog);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.on("error", () => {});
      if (socket.readyState === WebSocket.OPEN) socket.close(1000, "gateway closing");
      else socket.terminate();
    }
  }

  /** Replaces the credential (e.g. a re-provisioned service key) and reconnects with it now. */
  setCredential(credential: UpstreamCredential): void {
    this.credential = credential;
    this.attempt = 0;
    if (this.state_ === "closed") return;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.connect();
    } else if (this.socket && this.state_ === "open") {
      this.socket.terminate(); // reconnects with the new key
    }
  }

  health(): UpstreamHealth {
    return {
      state: this.state_,
      refused: this.refused
        ? { status: this.refused.status, since: new Date(this.refused.since).toISOString() }
        : null,
      lastOpenAt: this.lastOpenAt > 0 ? new Date(this.lastOpenAt).toISOString() : null,
      connects: this.stats.connects,
    };
  }

  /** Drops the socket as if the network failed (tests, and the silence watchdog). */
  dropForTests(): void {
    this.socket?.terminate();
  }

  // ------------------------------------------------------------ connection

  private connect(): void {
    if (this.state_ === "closed") return;
    this.state_ = "connecting";
    this.stats.connects += 1;
    const timestamp = String(Date.now());
    const signature = sign("sha256", Buffer.from(`${timestamp}GET${UPSTREAM_WS_PATH}`), {
      key: this.credential.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    }).toString("base64");
    const socket = new WebSocket(this.options.url, {
      headers: {
        "KALSHI-ACCESS-KEY": this.credential.apiKeyId,
        "KALSHI-ACCESS-TIMESTAMP": timestamp,
        "KALSHI-ACCESS-SIGNATURE": signature,
      },
      perMessageDeflate: false,
      handshakeTimeout: this.options.timers.upstreamCommandTimeoutMs,
    });
    this.socket = socket;
    this.lastActivity = Date.now();

    socket.on("open", () => {
      if (this.socket !== socket) return;
      this.state_ = "open";
      this.openedAt = Date.now();
      this.lastOpenAt = this.openedAt;
      this.refused = null;
      this.lastActivity = this.openedAt;
      this.options.log("info", {
        msg: "upstream open",
        upstream: this.label,
        attempt: this.attempt,
      });
      this.options.listener.onConnection("open");
      for (const channel of this.wanted.keys()) this.reconcile(channel);
    });
    socket.on("message", (data) => {
      if (this.socket === socket) this.onFrame(data);
    });
    socket.on("ping", () => {
      this.lastActivity = Date.now();
    });
    socket.on("pong", () => {
      this.lastActivity = Date.now();
    });
    socket.on("unexpected-response", (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      socket.terminate();
      if (this.socket !== socket) return;
      if (status === 401 || status === 403) {
        // Not a network loss: retrying with the same key will not help by itself.
        if (!this.refused) {
          this.refused = { status, since: Date.now() };
          this.options.log("error", {
            msg: "upstream refused the credential",
            upstream: this.label,
            status,
          });
        }
        this.options.listener.onRefused(status);
        return;
      }
      this.options.log("warn", { msg: "upstream handshake refused", upstream: this.label, status });
    });
    socket.on("error", (error) => {
      this.options.log("warn", {
        msg: "upstream socket error",
        upstream: this.label,
        error: error.message,
      });
    });
    socket.on("close", (code) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onDown(code);
    });
  }

  private onDown(code: number): void {
    const wasOpen = this.state_ === "open";
    if (this.openedAt > 0 && Date.now() - this.openedAt >= this.options.timers.reconnectStableMs)
      this.attempt = 0;
    this.openedAt = 0;
    this.channels.clear();
    this.channelBySid.clear();
    this.seqBySid.clear();
    this.pending.clear();
    if (this.state_ === "closed") return;
    this.state_ = "backoff";
    if (wasOpen) this.options.listener.onConnection("down");
    const delay = backoffDelay(
      this.attempt,
      this.options.timers.reconnectBaseMs,
      this.options.timers.reconnectMaxMs,
    );
    this.attempt += 1;
    this.options.log("warn", {
      msg: "upstream lost; reconnecting",
      upstream: this.label,
      code,
      delayMs: delay,
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private checkLiveness(): void {
    const socket = this.socket;
    if (!socket || this.state_ !== "open") return;
    const now = Date.now();
    const silence = now - this.lastActivity;
    if (silence > this.options.timers.upstreamSilenceMs) {
      this.options.log("warn", {
        msg: "upstream silent; reconnecting",
        upstream: this.label,
        silenceMs: silence,
      });
      socket.terminate();
      return;
    }
    // Our own ping when idle, so a quiet but healthy connection is never mistaken for a dead one.
    if (silence > this.options.timers.upstreamSilenceMs / 3) socket.ping();
    for (const command of this.pending.values()) {
      if (command.deadline < now) {
        this.options.log("warn", {
          msg: "upstream command timed out; reconnecting",
          upstream: this.label,
          channel: command.channel,
          kind: command.kind,
        });
        socket.terminate();
        return;
      }
    }
  }

  // -------------------------------------------------------------- commands

  private command(
    cmd: string,
    params: Record<string, unknown>,
    pending: Omit<PendingCommand, "deadline">,
  ): void {
    const socket = this.socket;
    if (!socket || this.state_ !== "open") return;
    const id = this.nextId++;
    this.pending.set(id, {
      ...pending,
      deadline: Date.now() + this.options.timers.upstreamCommandTimeoutMs,
    });
    this.stats.commands += 1;
    this.sendText(socket, JSON.stringify({ id, cmd, params }));
  }

  private channelState(channel: UpstreamChannel): ChannelState {
    let state = this.channels.get(channel);
    if (!state) {
      state = { sid: null, actual: new Set(), busy: false };
      this.channels.set(channel, state);
    }
    return state;
  }

  /** Sends the one command that moves `channel` closer to what is wanted, if any. */
  private reconcile(channel: UpstreamChannel): void {
    if (this.state_ !== "open") return;
    const state = this.channelState(channel);
    if (state.busy) return;
    const wanted = this.wanted.get(channel) ?? new Set<string>();
    if (wanted.size === 0) {
      if (state.sid === null) return;
      state.busy = true;
      this.command(
        "unsubscribe",
        { sids: [state.sid] },
        { channel, kind: "unsubscribe", markets: [] },
      );
      return;
    }
    const perMarket = PER_MARKET.has(channel);
    // A per-market channel wanted for every market (the market-data service's
    // ticker and trade feed) is one unfiltered subscription that covers
    // whatever single markets the gateway's topics want too.
    const everyMarket = perMarket && wanted.has(ALL_MARKETS);
    if (state.sid === null) {
      const markets = [...wanted];
      state.busy = true;
      const params: Record<string, unknown> = { channels: [channel] };
      if (perMarket && !everyMarket) params.market_tickers = markets;
      // Books on one scale: NO bids arrive as YES asks at the YES price.
      if (channel === "orderbook_delta") params.use_yes_price = true;
      this.command("subscribe", params, { channel, kind: "subscribe", markets });
      return;
    }
    if (!perMarket) return;
    if (state.actual.has(ALL_MARKETS)) {
      if (!everyMarket) {
        // Narrowing an unfiltered subscription: start it over with the markets still wanted.
        this.restartChannel(channel);
        return;
      }
      // Already flowing for every market: only the bookkeeping changes.
      const joined = [...wanted].filter((market) => !state.actual.has(market));
      for (const market of [...state.actual]) if (!wanted.has(market)) state.actual.delete(market);
      for (const market of joined) state.actual.add(market);
      if (joined.length > 0) this.options.listener.onSubscribed(channel, joined);
      return;
    }
    if (everyMarket) {
      // Widening a filtered subscription to every market: subscribe again unfiltered.
      this.restartChannel(channel);
      return;
    }
    const toAdd = [...wanted].filter((market) => !state.actual.has(market));
    if (toAdd.length > 0) {
      state.busy = true;
      this.command(
        "update_subscription",
        { sid: state.sid, action: "add_markets", market_tickers: toAdd },
        { channel, kind: "add", markets: toAdd },
      );
      return;
    }
    const toDelete = [...state.actual].filter((market) => !wanted.has(market));
    if (toDelete.length > 0) {
      state.busy = true;
      this.command(
        "update_subscription",
        { sid: state.sid, action: "delete_markets", market_tickers: toDelete },
        { channel, kind: "delete", markets: toDelete },
      );
    }
  }

  private sendText(socket: WebSocket, text: string): void {
    this.options.observe?.("out", text);
    socket.send(text);
  }

  /** What is subscribed upstream, per channel (diagnostics and tests). */
  describe(): {
    label: string;
    state: UpstreamState;
    channels: Record<string, { sid: number | null; markets: string[] }>;
  } {
    const channels: Record<string, { sid: number | null; markets: string[] }> = {};
    for (const [channel, state] of this.channels)
      channels[channel] = { sid: state.sid, markets: [...state.actual].sort() };
    return { label: this.label, state: this.state_, channels };
  }

  // --------------------------------------------------------------- inbound

  private onFrame(data: RawData): void {
    const receivedAt = performance.now();
    this.lastActivity = Date.now();
    this.stats.framesIn += 1;
    const text =
      typeof data === "string"
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data).toString("utf8")
          : Buffer.from(data as ArrayBuffer).toString("utf8");
    if (this.options.observe?.("in", text) === false) return;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.options.log("warn", { msg: "upstream sent invalid JSON", upstream: this.label });
      return;
    }
    if (typeof frame !== "object" || frame === null) return;
    const { id, type, sid, seq, msg } = frame as {
      id?: unknown;
      type?: unknown;
      sid?: unknown;
      seq?: unknown;
      msg?: unknown;
    };
    if (typeof type !== "string") return;
    if (typeof sid === "number" && typeof seq === "number") this.checkSeq(sid, seq);

    const command = typeof id === "number" ? this.pending.get(id) : undefined;
    if (command && typeof id === "number") {
      this.onReply(id, command, type, sid, msg);
      return;
    }
    if (type === "error") {
      this.onUnsolicitedError(sid, msg);
      return;
    }
    if (typeof sid !== "number" || typeof msg !== "object" || msg === null) return;
    const channel = this.channelBySid.get(sid);
    if (channel) this.options.listener.onData(channel, type, msg as UpstreamMsg, receivedAt);
  }

  /** Each sid has one counter shared by its markets and its `ok`/`unsubscribed` replies. */
  private checkSeq(sid: number, seq: number): void {
    const last = this.seqBySid.get(sid);
    this.seqBySid.set(sid, seq);
    if (last === undefined || seq === last + 1) return;
    const channel = this.channelBySid.get(sid);
    if (!channel) return;
    this.stats.gaps += 1;
    this.options.log("warn", {
      msg: "upstream seq gap",
      upstream: this.label,
      channel,
      sid,
      expected: last + 1,
      got: seq,
    });
    if (channel === "orderbook_delta") {
      const state = this.channels.get(channel);
      if (state) this.resnapshot([...state.actual]);
    } else {
      // Nothing to re-fetch on a stream of events: say so, and carry on from here.
      const state = this.channels.get(channel);
      this.options.listener.onResync(channel, state ? [...state.actual] : []);
      this.options.listener.onSubscribed(channel, state ? [...state.actual] : []);
    }
  }

  private onReply(
    id: number,
    command: PendingCommand,
    type: string,
    sid: unknown,
    msg: unknown,
  ): void {
    const { channel, kind } = command;
    const state = this.channelState(channel);
    if (type === "error") {
      this.pending.delete(id);
      const body = (typeof msg === "object" && msg !== null ? msg : {}) as {
        code?: unknown;
        msg?: unknown;
        market_ticker?: unknown;
      };
      const code = typeof body.code === "number" ? body.code : 0;
      const text = typeof body.msg === "string" ? body.msg : "error";
      if (kind === "snapshot") {
        // The subscription no longer holds one of these markets: start the channel over.
        this.restartChannel(channel);
        return;
      }
      state.busy = false;
      if (kind === "subscribe" || kind === "add") {
        const culprit =
          typeof body.market_ticker === "string" && command.markets.includes(body.market_ticker)
            ? [body.market_ticker]
            : command.markets;
        const wanted = this.wanted.get(channel);
        for (const market of culprit) wanted?.delete(market);
        this.options.listener.onRejected(channel, culprit, code, text);
        this.reconcile(channel);
        return;
      }
      // A failed delete/unsubscribe: the sid is in an unknown state; start the channel over.
      this.options.log("warn", {
        msg: "upstream command failed",
        upstream: this.label,
        channel,
        kind,
        code,
      });
      this.restartChannel(channel);
      return;
    }
    switch (kind) {
      case "subscribe": {
        const newSid =
          type === "subscribed" &&
          typeof msg === "object" &&
          msg !== null &&
          typeof (msg as { sid?: unknown }).sid === "number"
            ? (msg as { sid: number }).sid
            : typeof sid === "number"
              ? sid
              : null;
        if (newSid === null) return; // keep waiting for the reply that names the sid
        this.pending.delete(id);
        state.sid = newSid;
        this.channelBySid.set(newSid, channel);
        state.actual = new Set(command.markets);
        state.busy = false;
        this.options.listener.onSubscribed(channel, command.markets);
        break;
      }
      case "add":
        if (type !== "ok") return;
        this.pending.delete(id);
        for (const market of command.markets) state.actual.add(market);
        state.busy = false;
        this.options.listener.onSubscribed(channel, command.markets);
        break;
      case "delete":
        if (type !== "ok") return;
        this.pending.delete(id);
        for (const market of command.markets) state.actual.delete(market);
        state.busy = false;
        break;
      case "unsubscribe":
        if (type !== "unsubscribed") return;
        this.pending.delete(id);
        if (state.sid !== null) {
          this.channelBySid.delete(state.sid);
          this.seqBySid.delete(state.sid);
        }
        state.sid = null;
        state.actual.clear();
        state.busy = false;
        break;
      case "snapshot":
        // The snapshots came before this `ok` and were routed as data.
        if (type === "ok") this.pending.delete(id);
        return;
    }
    this.reconcile(channel);
  }

  /** Errors 10, 17, 25 end a subscription without a command: subscribe that channel again. */
  private onUnsolicitedError(sid: unknown, msg: unknown): void {
    const code =
      typeof msg === "object" && msg !== null ? (msg as { code?: unknown }).code : undefined;
    const channel = typeof sid === "number" ? this.channelBySid.get(sid) : undefined;
    this.options.log("warn", {
      msg: "upstream subscription ended",
      upstream: this.label,
      channel,
      sid,
      code,
    });
    if (!channel) return;
    const state = this.channelState(channel);
    this.channelBySid.delete(sid as number);
    this.seqBySid.delete(sid as number);
    state.sid = null;
    const markets = [...state.actual];
    state.actual.clear();
    this.options.listener.onResync(channel, markets);
    this.reconcile(channel);
  }

  /** Forgets the channel's sid (unsubscribing it, replies ignored) and subscribes afresh. */
  private restartChannel(channel: UpstreamChannel): void {
    const state = this.channelState(channel);
    for (const [id, command] of this.pending)
      if (command.channel === channel) this.pending.delete(id);
    if (state.sid !== null) {
      this.channelBySid.delete(state.sid);
      this.seqBySid.delete(state.sid);
      if (this.socket && this.state_ === "open")
        this.sendText(
          this.socket,
          JSON.stringify({ id: this.nextId++, cmd: "unsubscribe", params: { sids: [state.sid] } }),
        );
    }
    const markets = [...state.actual];
    state.sid = null;
    state.actual.clear();
    state.busy = false;
    this.options.listener.onResync(channel, markets);
    this.reconcile(channel);
  }
}
