/**
 * The tab's gateway connection with the real client loaded on first use.
 *
 * The browser client (lib/gateway/client.ts) validates every frame with the
 * zod schemas of lib/gateway/protocol.ts, which is most of its weight. Pages
 * render their first paint from server-prefetched data and only need live
 * updates once a socket is open, so the client is fetched as its own chunk
 * when the first subscription (or start) asks for it, in parallel with the
 * page becoming interactive, instead of being part of every first load.
 *
 * Until the client has loaded, subscriptions are queued (and dropped again
 * if the component unmounts first), every topic reads as EMPTY_TOPIC_STATE
 * (`loading`) and the status is `connecting` once started. A failed load (a
 * network blip, or a deploy that replaced the chunk) is retried with capped
 * backoff while anything still wants the connection.
 */
import {
  EMPTY_TOPIC_STATE,
  type ConnectionStatus,
  type GatewayStore,
  type TopicState,
} from "@/lib/gateway/topic-state";

interface QueuedSubscription {
  topic: string;
  listener: () => void;
  /** Set once forwarded to the loaded client. */
  unsubscribe: (() => void) | null;
  cancelled: boolean;
}

export interface LazyGatewayClientOptions {
  /** Retry delays after a failed load, ms: `min(maxMs, baseMs * 2^attempt)`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export class LazyGatewayClient implements GatewayStore {
  private client: GatewayStore | null = null;
  private loading = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private readonly queued = new Set<QueuedSubscription>();
  private readonly statusListeners = new Set<() => void>();
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly load: () => Promise<GatewayStore>,
    options: LazyGatewayClientOptions = {},
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
  }

  /** Whether the real client is in place (for tests and diagnostics). */
  get loaded(): boolean {
    return this.client !== null;
  }

  get status(): ConnectionStatus {
    if (this.client) return this.client.status;
    return this.started ? "connecting" : "idle";
  }

  start(): void {
    if (this.client) {
      this.client.start();
      return;
    }
    if (!this.started) {
      this.started = true;
      this.emitStatus();
    }
    this.ensureLoading();
  }

  stop(): void {
    this.started = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.client) this.client.stop();
    else this.emitStatus();
  }

  subscribe(topic: string, listener: () => void): () => void {
    if (this.client) return this.client.subscribe(topic, listener);
    const entry: QueuedSubscription = { topic, listener, unsubscribe: null, cancelled: false };
    this.queued.add(entry);
    // Subscribing implies wanting the connection, as it does on the real client.
    this.start();
    return () => {
      if (entry.unsubscribe) {
        entry.unsubscribe();
        entry.unsubscribe = null;
        return;
      }
      entry.cancelled = true;
      this.queued.delete(entry);
    };
  }

  getTopicState(topic: string): TopicState {
    return this.client ? this.client.getTopicState(topic) : EMPTY_TOPIC_STATE;
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private ensureLoading(): void {
    if (this.client || this.loading || this.retryTimer) return;
    this.loading = true;
    this.load().then(
      (client) => this.install(client),
      (error: unknown) => {
        this.loading = false;
        this.failures += 1;
        console.warn("live data client failed to load; retrying", error);
        if (!this.started && this.queued.size === 0) return;
        const delay = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (this.failures - 1));
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.ensureLoading();
        }, delay);
      },
    );
  }

  private install(client: GatewayStore): void {
    this.loading = false;
    this.client = client;
    client.onStatus(() => this.emitStatus());
    const queued = [...this.queued];
    this.queued.clear();
    for (const entry of queued) {
      if (!entry.cancelled) entry.unsubscribe = client.subscribe(entry.topic, entry.listener);
    }
    if (this.started) client.start();
    this.emitStatus();
  }

  private emitStatus(): void {
    for (const listener of this.statusListeners) listener();
  }
}
