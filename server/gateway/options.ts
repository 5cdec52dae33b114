/**
 * Tunables of the WebSocket gateway, with the reason for each default.
 * `attachGateway` takes a partial override (tests shrink timers and limits).
 */
export interface GatewayLimits {
  /** Topics one browser socket may hold. 100: a busy trading page needs ~30. */
  maxTopicsPerSocket: number;
  /** Sustained browser frames per second (token bucket refill). 20: a page subscribes in bursts, then idles. */
  framesPerSecond: number;
  /** Burst size of the frame bucket. 40 lets a page subscribe to everything at load. */
  frameBurst: number;
  /** Rate-limited frames tolerated (per 10 s) before the socket is closed with 1008. */
  floodStrikes: number;
  /** Largest browser frame, bytes. 16 KiB: 50 topics fit comfortably. */
  maxPayloadBytes: number;
  /**
   * Send budget (`bufferedAmount`, bytes) above which a socket counts as lagging:
   * book and ticker topics to it are conflated to their latest state. 256 KiB is
   * about a second of a busy ladder.
   */
  highWaterBytes: number;
  /** A lagging socket is caught up (latest snapshots sent) once below this. */
  lowWaterBytes: number;
  /** A socket lagging this long is closed with 1013. */
  slowConsumerGraceMs: number;
  /** A socket above this many buffered bytes is closed with 1013 at once (bounds memory). 4 MiB. */
  hardLimitBytes: number;
  /** How often lagging sockets are checked, ms. */
  slowCheckMs: number;
  /**
   * kgw.v2 sockets: frames that follow a send within this many ms leave
   * together at its end, as one message (browser-session.ts). 8 ms, half a
   * display frame: a busy book costs the page at most ~125 messages a second
   * instead of one per delta, and an isolated update is not delayed at all.
   * 0 turns batching off.
   */
  batchWindowMs: number;
}

export interface GatewayTimers {
  /** Protocol ping to each browser; a socket that missed the previous pong is dropped. 20 s. */
  browserHeartbeatMs: number;
  /**
   * An upstream connection with no message, ping or pong for this long is
   * considered dead and reconnected. Kalshi pings every 10 s (and may skip pings
   * while traffic flows), and we ping it when idle, so 30 s means three misses.
   */
  upstreamSilenceMs: number;
  /** A command with no reply within this is treated as a dead connection. */
  upstreamCommandTimeoutMs: number;
  /** Reconnect backoff base, ms: the first retry waits base/2..base (lib/backoff.ts has the schedule). */
  reconnectBaseMs: number;
  /** Reconnect backoff ceiling, ms. 30 s keeps a long outage cheap for Kalshi and for us. */
  reconnectMaxMs: number;
  /** A connection open this long resets the backoff. */
  reconnectStableMs: number;
  /** An upstream connection with no subscriptions closes after this. 10 s absorbs page navigations. */
  connectionLingerMs: number;
  /** A market nobody watches any more is unsubscribed upstream after this. 2 s absorbs re-renders. */
  subscriptionLingerMs: number;
  /**
   * Signed-in users' active credentials are looked up again this often (one
   * query per user with private streams). The store's change notification
   * acts at once; this is the backstop for changes it cannot see (another
   * instance, a manual database edit). 10 s: "within seconds", cheaply.
   */
  credentialRecheckMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxTopicsPerSocket: 100,
  framesPerSecond: 20,
  frameBurst: 40,
  floodStrikes: 20,
  maxPayloadBytes: 16 * 1024,
  highWaterBytes: 256 * 1024,
  lowWaterBytes: 64 * 1024,
  slowConsumerGraceMs: 10_000,
  hardLimitBytes: 4 * 1024 * 1024,
  slowCheckMs: 50,
  batchWindowMs: 8,
};

export const DEFAULT_TIMERS: GatewayTimers = {
  browserHeartbeatMs: 20_000,
  upstreamSilenceMs: 30_000,
  upstreamCommandTimeoutMs: 10_000,
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
  reconnectStableMs: 10_000,
  connectionLingerMs: 10_000,
  subscriptionLingerMs: 2_000,
  credentialRecheckMs: 10_000,
};

export { backoffDelay } from "@/lib/backoff";
