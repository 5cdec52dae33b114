/**
 * The browser's gateway client: one WebSocket per tab to our gateway (`/ws`),
 * protocol kgw.v2, or v1 from an older gateway (lib/gateway/protocol.ts).
 *
 * - Reconnects with a backoff that retries a short outage quickly and grows
 *   only after many failures (lib/backoff.ts); it resets once a connection
 *   has stayed up for a stable period.
 * - Replays every subscription after a reconnect.
 * - Checks each topic's sequence numbers: a gap on a book asks the gateway
 *   for a fresh snapshot (`resync`); a gap on an event stream is counted and
 *   reported (those events are gone; refetch over REST if they matter).
 * - Keeps books (snapshot + deltas) and recent events per topic, and
 *   publishes to listeners at most once per animation frame.
 *
 * Browser-safe; takes the WebSocket constructor as an option so tests can
 * run it under Node with `ws`.
 */
import { backoffDelay } from "@/lib/backoff";
import { OrderBook, viewOf } from "@/lib/gateway/order-book";
import { parseCount, parseDollars } from "@/lib/fixed-point";
import {
  MAX_TOPICS_PER_FRAME,
  parseTopic,
  BATCHED_PROTOCOL_NAME,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  serverFrameSchema,
  type ClientFrame,
  type ServerFrame,
} from "@/lib/gateway/protocol";
import {
  EMPTY_TOPIC_STATE,
  type ConnectionStatus,
  type GatewayStore,
  type TopicState,
} from "@/lib/gateway/topic-state";

export type { ConnectionStatus, TopicState, TopicStatus } from "@/lib/gateway/topic-state";

interface TopicEntry {
  refs: number;
  /** What listeners see; replaced only when publishing. */
  state: TopicState;
  /** The working copy, published on the next frame. */
  next: TopicState;
  bookChanged: boolean;
  book: OrderBook | null;
  /** Last seq applied; null until a baseline arrives. */
  baseline: number | null;
  /** The topic incarnation `baseline` counts in; a frame of another epoch restarts the count. */
  epoch: string | null;
  listeners: Set<() => void>;
}

export interface GatewayClientOptions {
  /** The gateway URL, or a function that returns it (e.g. fetches a ticket first). */
  url: string | (() => Promise<string>);
  WebSocketImpl?: typeof WebSocket;
  /** Backoff base, ms: the first retry waits base/2..base. Default 500. */
  reconnectBaseMs?: number;
  /** Backoff ceiling, ms. Default 15 000. */
  reconnectMaxMs?: number;
  /** A connection up this long resets the backoff. Default 10 000. */
  stableMs?: number;
  /** Client ping interval; no frame for twice this closes the socket. Default 15 000. */
  heartbeatMs?: number;
  /** Events kept per event topic. Default 200. */
  maxEvents?: number;
  /** Schedules a publish; default requestAnimationFrame (setTimeout 16 ms without one). */
  schedule?: (flush: () => void) => void;
  random?: () => number;
}

export class GatewayClient implements GatewayStore {
  private socket: WebSocket | null = null;
  private status_: ConnectionStatus = "idle";
  private readonly topics = new Map<string, TopicEntry>();
  private readonly statusListeners = new Set<() => void>();
  private readonly dirty = new Set<TopicEntry>();
  private flushScheduled = false;
  private statusDirty = false;
  private attempt = 0;
  private openedAt = 0;
  private lastFrameAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  /** A connect() is between its start and its socket (awaiting the URL, e.g. a ticket fetch). */
  private connecting = false;
  private readonly options: Required<Omit<GatewayClientOptions, "WebSocketImpl" | "schedule">> &
    Pick<GatewayClientOptions, "WebSocketImpl" | "schedule">;

  constructor(options: GatewayClientOptions) {
    this.options = {
      reconnectBaseMs: 500,
      reconnectMaxMs: 15_000,
      stableMs: 10_000,
      heartbeatMs: 15_000,
      maxEvents: 200,
      random: Math.random,
      ...options,
    };
  }

  get status(): ConnectionStatus {
    return this.status_;
  }

  /** Opens the connection (idempotent). */
  start(): void {
    this.stopped = false;
    // `connecting` covers the awaited URL of a first connect and of a reconnect alike:
    // a subscribe meanwhile must not open a second socket that nothing would close.
    if (this.socket || this.reconnectTimer || this.connecting) return;
    void this.connect();
  }

  /** Closes for good; subscriptions are kept and replayed if started again. */
  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopHeartbeat();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, "client stopped");
    this.setStatus("closed");
  }

  /** Subscribes to `topic` (reference-counted); returns the unsubscribe function. */
  subscribe(topic: string, listener: () => void): () => void {
    if (!parseTopic(topic)) throw new Error(`unknown topic ${topic}`);
    let entry = this.topics.get(topic);
    if (!entry) {
      entry = {
        refs: 0,
        state: EMPTY_TOPIC_STATE,
        next: { ...EMPTY_TOPIC_STATE },
        bookChanged: false,
        book: topic.startsWith("book:") ? new OrderBook() : null,
        baseline: null,
        epoch: null,
        listeners: new Set(),
      };
      this.topics.set(topic, entry);
    }
    entry.refs += 1;
    entry.listeners.add(listener);
    if (entry.refs === 1) this.sendFrame({ op: "subscribe", topics: [topic] });
    this.start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.topics.get(topic);
      if (!current) return;
      current.listeners.delete(listener);
      current.refs -= 1;
      if (current.refs === 0) {
        this.topics.delete(topic);
        this.dirty.delete(current);
        this.sendFrame({ op: "unsubscribe", topics: [topic] });
      }
    };
  }

  /** The topic's current state (a stable object between publishes, for useSyncExternalStore). */
  getTopicState(topic: string): TopicState {
    return this.topics.get(topic)?.state ?? EMPTY_TOPIC_STATE;
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  // ------------------------------------------------------------ connection

  private async connect(): Promise<void> {
    if (this.connecting) return;
    this.connecting = true;
    this.setStatus(this.attempt === 0 && this.openedAt === 0 ? "connecting" : "reconnecting");
    let url: string;
    try {
      url = typeof this.options.url === "string" ? this.options.url : await this.options.url();
    } catch {
      this.connecting = false;
      this.scheduleReconnect();
      return;
    }
    this.connecting = false;
    if (this.stopped || this.socket) return;
    const Impl = this.options.WebSocketImpl ?? globalThis.WebSocket;
    const socket = new Impl(url, [BATCHED_PROTOCOL_NAME, PROTOCOL_NAME]);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.openedAt = Date.now();
      this.lastFrameAt = this.openedAt;
      this.setStatus("open");
      this.startHeartbeat();
      // New session: every topic starts from a fresh baseline (status or snapshot).
      for (const entry of this.topics.values()) entry.baseline = null;
      const topics = [...this.topics.keys()];
      for (let i = 0; i < topics.length; i += MAX_TOPICS_PER_FRAME)
        this.sendFrame({ op: "subscribe", topics: topics.slice(i, i + MAX_TOPICS_PER_FRAME) });
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      this.lastFrameAt = Date.now();
      if (typeof event.data !== "string") return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      // kgw.v2: a message may carry several frames, in order.
      for (const raw of Array.isArray(json) ? json : [json]) {
        try {
          this.onFrame(raw);
        } catch (error) {
          // A frame this client cannot apply must not escape the socket handler
          // (an uncaught error, and the rest of the batch undone); the topic's
          // own handling (resync) runs inside onFrame.
          console.warn("gateway frame could not be applied", error);
        }
      }
    };
    socket.onclose = () => this.onClosed(socket);
    socket.onerror = () => {
      // onclose follows and reconnects.
    };
  }

  private onClosed(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.stopHeartbeat();
    if (this.openedAt > 0 && Date.now() - this.openedAt >= this.options.stableMs) this.attempt = 0;
    for (const entry of this.topics.values())
      this.update(entry, { status: entry.next.status === "error" ? "error" : "stale" });
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus("reconnecting");
    const delay = backoffDelay(
      this.attempt,
      this.options.reconnectBaseMs,
      this.options.reconnectMaxMs,
      this.options.random,
    );
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * this.options.heartbeatMs) {
        const socket = this.socket;
        if (!socket) return;
        socket.close(4000, "heartbeat timeout");
        // A dead link never completes the closing handshake: reconnect now.
        this.onClosed(socket);
        return;
      }
      this.sendFrame({ op: "ping" });
    }, this.options.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private sendFrame(frame: ClientFrame): void {
    const socket = this.socket;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  // --------------------------------------------------------------- inbound

  private onFrame(raw: unknown): void {
    const parsed = serverFrameSchema.safeParse(raw);
    if (!parsed.success) return; // a newer gateway's frame type: ignore
    const frame: ServerFrame = parsed.data;
    switch (frame.type) {
      case "welcome":
        if (frame.v > PROTOCOL_VERSION)
          console.warn(`gateway speaks protocol v${frame.v}, this client v${PROTOCOL_VERSION}`);
        return;
      case "pong":
        return;
      case "error": {
        const entry = frame.topic === undefined ? undefined : this.topics.get(frame.topic);
        if (entry && frame.code !== "not_subscribed" && frame.code !== "rate_limited")
          this.update(entry, {
            status: "error",
            error: { code: frame.code, message: frame.message },
          });
        return;
      }
      case "status": {
        const entry = this.topics.get(frame.topic);
        if (!entry) return;
        this.adoptEpoch(entry, frame.epoch);
        if (entry.baseline === null && !entry.book) entry.baseline = frame.seq;
        this.update(entry, {
          status: frame.status,
          error:
            frame.status === "error"
              ? { code: frame.code ?? "upstream_error", message: frame.message ?? "" }
              : null,
        });
        return;
      }
      case "book_snapshot": {
        const entry = this.topics.get(frame.topic);
        if (!entry?.book) return;
        try {
          entry.book.replace(
            frame.bids.map(([price, size]) => [parseDollars(price), parseCount(size)] as const),
            frame.asks.map(([price, size]) => [parseDollars(price), parseCount(size)] as const),
          );
        } catch {
          this.resync(frame.topic, entry);
          return;
        }
        this.adoptEpoch(entry, frame.epoch);
        entry.baseline = frame.seq;
        this.update(entry, { seq: frame.seq }, true);
        return;
      }
      case "book_delta": {
        const entry = this.topics.get(frame.topic);
        if (!entry?.book || entry.baseline === null) return;
        if (this.adoptEpoch(entry, frame.epoch)) {
          // A delta of a topic incarnation whose snapshot this book never had.
          this.resync(frame.topic, entry);
          return;
        }
        if (frame.seq <= entry.baseline) return; // already in the snapshot
        if (frame.seq !== entry.baseline + 1) {
          this.resync(frame.topic, entry);
          return;
        }
        let price: number;
        let size: number;
        try {
          price = parseDollars(frame.price);
          size = parseCount(frame.size);
        } catch {
          // As for a bad snapshot: this book can no longer be trusted, start it over.
          this.resync(frame.topic, entry);
          return;
        }
        entry.baseline = frame.seq;
        entry.book.setLevel(frame.side, price, size);
        this.update(entry, { seq: frame.seq }, true);
        return;
      }
      case "ticker":
      case "trade":
      case "fill":
      case "order":
      case "position":
      case "order_group":
      case "lifecycle":
      case "rfq": {
        const entry = this.topics.get(frame.topic);
        if (!entry) return;
        this.adoptEpoch(entry, frame.epoch);
        let gaps = entry.next.gaps;
        if (entry.baseline !== null) {
          if (frame.seq <= entry.baseline) return;
          if (frame.seq !== entry.baseline + 1) gaps += 1;
        }
        entry.baseline = frame.seq;
        const kind = "kind" in frame ? frame.kind : undefined;
        const event = {
          seq: frame.seq,
          msg: frame.msg,
          ...(frame.epoch === undefined ? {} : { epoch: frame.epoch }),
          ...(kind === undefined ? {} : { kind }),
        };
        const events =
          frame.type === "ticker"
            ? entry.next.events
            : [event, ...entry.next.events].slice(0, this.options.maxEvents);
        this.update(entry, { seq: frame.seq, latest: frame.msg, events, gaps });
        return;
      }
      default: {
        const exhaustive: never = frame;
        return exhaustive;
      }
    }
  }

  /**
   * Notes the frame's topic epoch. A different one than the entry's means the
   * gateway recreated the topic and its seq started over: the baseline goes
   * (the frame's caller re-establishes it). True when it changed.
   */
  private adoptEpoch(entry: TopicEntry, epoch: string | undefined): boolean {
    if (epoch === undefined || epoch === entry.epoch) return false;
    const changed = entry.epoch !== null;
    entry.epoch = epoch;
    if (changed) entry.baseline = null;
    this.update(entry, { epoch });
    return changed;
  }

  /** A book gap: show it as resyncing and ask the gateway for a fresh snapshot. */
  private resync(topic: string, entry: TopicEntry): void {
    entry.baseline = null;
    this.update(entry, { status: "resyncing", gaps: entry.next.gaps + 1 });
    this.sendFrame({ op: "resync", topic });
  }

  // ------------------------------------------------------------ publishing

  private update(entry: TopicEntry, patch: Partial<TopicState>, bookChanged = false): void {
    Object.assign(entry.next, patch);
    if (bookChanged) entry.bookChanged = true;
    this.dirty.add(entry);
    this.scheduleFlush();
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status_ === status) return;
    this.status_ = status;
    this.statusDirty = true;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const schedule =
      this.options.schedule ??
      (typeof requestAnimationFrame === "function"
        ? (flush: () => void) => requestAnimationFrame(() => flush())
        : (flush: () => void) => setTimeout(flush, 16));
    schedule(() => this.flush());
  }

  /** Publishes every changed topic once (books are copied into an immutable view only here). */
  private flush(): void {
    this.flushScheduled = false;
    const entries = [...this.dirty];
    this.dirty.clear();
    for (const entry of entries) {
      if (entry.book && entry.bookChanged) {
        entry.next.book = viewOf(entry.book, entry.next.seq);
        entry.bookChanged = false;
      }
      entry.state = { ...entry.next };
      for (const listener of entry.listeners) listener();
    }
    if (this.statusDirty) {
      this.statusDirty = false;
      for (const listener of this.statusListeners) listener();
    }
  }
}
