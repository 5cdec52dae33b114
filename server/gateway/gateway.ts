/**
 * The WebSocket gateway: browser sockets on `/ws` in, a few upstream Kalshi
 * connections out (one shared market-data connection, one per credential in
 * use for private channels).
 *
 * - A topic (`book:T`, `fills`, …) is the unit of fan-out. Its subscribers
 *   are reference-counted; the first one makes the upstream connection want
 *   the (channel, market), the last one to leave lets it go after a linger.
 * - Private topics are keyed by the owner (user + credential), so two users'
 *   `fills` are different topics on different upstream connections, opened
 *   with each user's own key: nothing can cross between them.
 * - Every topic update is serialised once into a Buffer and that same Buffer
 *   is written to every subscriber.
 * - Each socket has a send budget (`bufferedAmount`): over the high-water
 *   mark, book and ticker updates are conflated to the latest state; a socket
 *   that stays over it, or passes a hard limit, is closed with 1013.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { en as englishZodErrors } from "zod/locales";
import { formatCount, formatDollars, parseCount, parseDollars } from "@/lib/fixed-point";
import type { Level } from "@/lib/gateway/order-book";
import {
  CLOSE_CODES,
  clientFrameSchema,
  isPrivateTopic,
  parseTopic,
  BATCHED_PROTOCOL_NAME,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  type GatewayErrorCode,
  type StreamStatus,
} from "@/lib/gateway/protocol";
import {
  CredentialUnreadableError,
  identifyUpgrade,
  type ActiveCredential,
  type GatewayAuthenticator,
  type UpgradeIdentity,
} from "@/server/gateway/authenticate";
import { isRevoked, onSessionsRevoked } from "@/server/auth/session-events";
import { isSameSiteOrigin } from "@/server/http/forwarded";
import {
  DEFAULT_LIMITS,
  DEFAULT_TIMERS,
  type GatewayLimits,
  type GatewayTimers,
} from "@/server/gateway/options";
import { TicketReplayGuard } from "@/server/gateway/ticket";
import { requestTarget } from "@/server/http/request-target";

/**
 * zod's English issue messages ("Too small: expected array to have >=1
 * items"). The protocol schemas are built with `zod/mini`, which registers no
 * locale (it would otherwise say "Invalid input" for everything), so parses of
 * browser frames ask for these explicitly.
 */
const frameErrorMessages = englishZodErrors().localeError;
import {
  ALL_MARKETS,
  UpstreamConnection,
  type FeedConnection,
  type FeedConnectionFactory,
  type UpstreamChannel,
  type UpstreamCredential,
  type UpstreamListener,
  type UpstreamHealth,
  type UpstreamMsg,
} from "@/server/gateway/upstream";

export type GatewayLog = (
  level: "info" | "warn" | "error",
  fields: Record<string, unknown>,
) => void;

export interface GatewayOptions {
  /** Kalshi WebSocket URL for market data (…/trade-api/ws/v2). */
  marketDataUrl: string;
  /** The service credential for market data; null when none is configured (market topics then answer `upstream_unavailable`). */
  marketDataCredential: UpstreamCredential | null;
  authenticator: GatewayAuthenticator;
  /**
   * Makes a new market-data credential when the exchange refuses the current
   * one (401/403 at the handshake). Only where the gateway provisioned the
   * account itself (the simulator's bootstrap); a configured key is never
   * replaced: its refusal is reported to browsers and logged.
   */
  reprovisionMarketData?: () => Promise<UpstreamCredential>;
  /** HMAC secret of `POST /api/ws-ticket` tickets; without it tickets are not accepted. */
  ticketSecret?: string;
  /** Origins (scheme://host[:port]) allowed besides the gateway's own host. */
  allowedOrigins?: readonly string[];
  limits?: Partial<GatewayLimits>;
  timers?: Partial<GatewayTimers>;
  /** Sees every upstream frame; returning false for an inbound one drops it (tests: fault injection). */
  observeUpstream?: (label: string, direction: "in" | "out", text: string) => boolean | void;
  /**
   * Called once per topic update with (upstream receive time, time the last
   * subscriber's write was handed to its socket), both performance.now() ms,
   * and the number of writes. For the benchmark's in-gateway latency.
   */
  onDelivered?: (receivedAt: number, writtenAt: number, writes: number) => void;
  log?: GatewayLog;
  /**
   * The market-data service's feed (server/market-data): channels the shared
   * market-data connection holds for every market while the gateway runs, and
   * a listener that sees everything that connection receives. One upstream
   * connection then serves both the browsers and the in-memory universe.
   */
  marketTap?: MarketTap;
  /**
   * Opens upstream connections (default: an UpstreamConnection each). With
   * REDIS_URL, server/cluster makes connections shared across instances.
   */
  connectionFactory?: FeedConnectionFactory;
  /** Claims a ticket id once across every instance (with REDIS_URL); false = already used. */
  claimTicket?: (jti: string, expiresAt: number) => Promise<boolean>;
}

/** See GatewayOptions.marketTap. */
export interface MarketTap {
  channels: readonly UpstreamChannel[];
  onConnection(state: "open" | "down"): void;
  onSubscribed(channel: UpstreamChannel): void;
  onResync(channel: UpstreamChannel): void;
  onData(channel: UpstreamChannel, type: string, msg: UpstreamMsg): void;
}

export interface GatewayHandle {
  /** Takes an HTTP upgrade for the gateway path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every browser socket with 1001 and every upstream connection. */
  close(): Promise<void>;
  /** Counts and upstream subscriptions, for diagnostics and tests. */
  inspect(): GatewayInspection;
  /** Upstream state for operators and the health route. */
  health(): GatewayHealth;
  /** The live cached book of `ticker` (a browser watches it), best first; null when none is live. */
  book(ticker: string): { bids: Level[]; asks: Level[] } | null;
}

export interface GatewayHealth {
  marketData:
    | { state: "unconfigured" | "idle"; refused: null }
    | (Omit<UpstreamHealth, "state"> & { state: UpstreamHealth["state"] | "refused" });
  /** Per-user connections: how many, and how many the exchange currently refuses. */
  userConnections: { total: number; refused: number };
}

export interface GatewayInspection {
  sockets: number;
  topics: Array<{
    key: string;
    subscribers: number;
    status: StreamStatus;
    seq: number;
    epoch: string;
  }>;
  upstreams: Array<ReturnType<FeedConnection["describe"]> & { stats: FeedConnection["stats"] }>;
  conflated: number;
  slowClosed: number;
}
import { BrowserSession, type CredentialLookup } from "@/server/gateway/browser-session";
import {
  frameTypeOf,
  invalid,
  KIND_OF,
  levelsOf,
  Topic as TopicOf,
  type TopicKind,
} from "@/server/gateway/topic";
import { rejectUpgrade as refuseUpgrade } from "@/server/http/reject-upgrade";

/** A topic whose subscribers are browser sessions. */
type Topic = TopicOf<BrowserSession>;

/**
 * Creates the gateway. Call `handleUpgrade` from the HTTP server's "upgrade"
 * listener for the gateway path, and `close()` on shutdown.
 */
export function createGateway(options: GatewayOptions): GatewayHandle {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const timers: GatewayTimers = { ...DEFAULT_TIMERS, ...options.timers };
  const log: GatewayLog =
    options.log ??
    ((level, fields) => {
      const line = JSON.stringify({
        level,
        at: "server/gateway",
        time: new Date().toISOString(),
        ...fields,
      });
      if (level === "info") console.log(line);
      else console.error(line);
    });
  const allowedOrigins = new Set(
    (options.allowedOrigins ?? []).map((origin) => origin.replace(/\/+$/, "")),
  );
  const replayGuard = new TicketReplayGuard();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes,
    perMessageDeflate: false,
    // Offered subprotocols: the newest of ours (v2 batches frames, v1 does not);
    // a client that offers none still gets v1.
    handleProtocols: (protocols) =>
      protocols.has(BATCHED_PROTOCOL_NAME)
        ? BATCHED_PROTOCOL_NAME
        : protocols.has(PROTOCOL_NAME)
          ? PROTOCOL_NAME
          : false,
  });

  const sessions = new Set<BrowserSession>();
  const topics = new Map<string, Topic>();
  const lagging = new Set<BrowserSession>();
  let marketConnection: FeedConnection | null = null;
  const userConnections = new Map<string, FeedConnection>();
  const connectionLinger = new Map<FeedConnection, NodeJS.Timeout>();
  let closing = false;
  const counters = { conflated: 0, slowClosed: 0 };

  // ------------------------------------------------------------- upstreams

  function topicKey(kind: TopicKind, market: string, ownerKey: string | null): string {
    const wire = market === ALL_MARKETS ? kind : `${kind}:${market}`;
    return ownerKey === null ? wire : `${wire}@${ownerKey}`;
  }

  function listenerFor(
    ownerKey: string | null,
    connection: () => FeedConnection,
  ): UpstreamListener {
    const topicsOf = (channel: UpstreamChannel, markets: readonly string[]): Topic[] => {
      const kind = KIND_OF[channel];
      const out: Topic[] = [];
      for (const market of markets) {
        const topic = topics.get(topicKey(kind, market, ownerKey));
        if (topic && topic.connection === connection()) out.push(topic);
      }
      return out;
    };
    const tap = ownerKey === null ? options.marketTap : undefined;
    return {
      onConnection(state) {
        tap?.onConnection(state);
        if (state === "open") return;
        for (const topic of topics.values()) {
          if (topic.connection === connection()) setStatus(topic, "stale");
        }
      },
      onSubscribed(channel, markets) {
        if (tap && markets.includes(ALL_MARKETS)) tap.onSubscribed(channel);
        // Books go live with their snapshot; other streams as soon as they flow.
        if (channel === "orderbook_delta") return;
        for (const topic of topicsOf(channel, markets)) setStatus(topic, "live");
      },
      onResync(channel, markets) {
        if (tap && markets.includes(ALL_MARKETS)) tap.onResync(channel);
        for (const topic of topicsOf(channel, markets)) {
          // An event stream cannot be re-fetched from the socket: skip a seq so
          // every browser's gap check sees that events were lost here (and
          // refetches over REST). Books get a fresh snapshot instead.
          if (!topic.book) topic.seq += 1;
          setStatus(topic, "resyncing");
        }
      },
      onRejected(channel, markets, code, message) {
        for (const topic of topicsOf(channel, markets)) {
          const errorCode: GatewayErrorCode = code === 16 ? "market_not_found" : "upstream_error";
          const text =
            code === 16
              ? `market ${topic.market} was not found on the exchange`
              : `the exchange refused ${topic.wire}: ${message} (code ${code})`;
          for (const session of topic.subscribers) {
            session.topics.delete(topic.wire);
            session.sendError(errorCode, text, { topic: topic.wire });
          }
          topic.subscribers.clear();
          dropTopic(topic, false);
        }
      },
      onRefused(status) {
        const refusedConnection = connection();
        if (refusedConnection === marketConnection && options.reprovisionMarketData) {
          reprovisionMarketData(refusedConnection, status);
          return;
        }
        reportRefused(refusedConnection, status);
      },
      onData(channel, type, msg, receivedAt) {
        tap?.onData(channel, type, msg);
        const kind = KIND_OF[channel];
        const market =
          kind === "book" || kind === "ticker" || kind === "trades"
            ? typeof msg.market_ticker === "string"
              ? msg.market_ticker
              : null
            : ALL_MARKETS;
        if (market === null) return;
        const topic = topics.get(topicKey(kind, market, ownerKey));
        if (!topic || topic.connection !== connection()) return;
        if (kind === "book") onBookMessage(topic, type, msg, receivedAt);
        else onStreamMessage(topic, type, msg, receivedAt);
      },
    };
  }

  /** Every topic on `connection` shows the refusal (status `error`) until it opens again. */
  function reportRefused(connection: FeedConnection, status: number): void {
    const message =
      connection === marketConnection
        ? `the exchange refused this gateway's market-data key (HTTP ${status}); live data resumes once the operator fixes it`
        : `the exchange refused your API key (HTTP ${status}); check it in Settings → API keys`;
    for (const topic of topics.values())
      if (topic.connection === connection)
        setStatus(topic, "error", { code: "upstream_auth_refused", message });
  }

  let reprovisioning: Promise<void> | null = null;
  /** A simulator that restarted forgot the account the gateway made: make another. */
  function reprovisionMarketData(connection: FeedConnection, status: number): void {
    const provision = options.reprovisionMarketData;
    if (!provision || reprovisioning) return;
    log("warn", { msg: "market-data key refused; provisioning a new one", status });
    reprovisioning = provision()
      .then((credential) => {
        if (connection.state === "closed") return;
        connection.setCredential(credential);
        log("info", { msg: "market-data key re-provisioned" });
      })
      .catch((error: unknown) => {
        log("error", {
          msg: "market-data key re-provisioning failed",
          error: error instanceof Error ? error.message : String(error),
        });
        reportRefused(connection, status);
      })
      .finally(() => {
        reprovisioning = null;
      });
  }

  function newConnection(
    label: string,
    url: string,
    credential: UpstreamCredential,
    ownerKey: string | null,
  ) {
    let self: FeedConnection | null = null;
    const spec = {
      key: ownerKey ?? "market-data",
      label,
      url,
      credential,
      timers,
      listener: listenerFor(ownerKey, () => self as FeedConnection),
      observe: options.observeUpstream
        ? (direction: "in" | "out", text: string) =>
            options.observeUpstream?.(label, direction, text)
        : undefined,
      log,
    };
    self = options.connectionFactory
      ? options.connectionFactory(spec)
      : new UpstreamConnection(spec);
    return self;
  }

  function marketData(): FeedConnection | null {
    if (!options.marketDataCredential) return null;
    marketConnection ??= newConnection(
      "market-data",
      options.marketDataUrl,
      options.marketDataCredential,
      null,
    );
    return marketConnection;
  }

  function userConnection(ownerKey: string, credential: ActiveCredential): FeedConnection {
    let connection = userConnections.get(ownerKey);
    if (!connection) {
      connection = newConnection(
        `user:${credential.id}`,
        credential.wsUrl,
        { apiKeyId: credential.apiKeyId, privateKey: credential.privateKey },
        ownerKey,
      );
      userConnections.set(ownerKey, connection);
    }
    return connection;
  }

  /** Closes an upstream connection once it has had nothing to do for the linger time. */
  function lingerConnection(connection: FeedConnection): void {
    if (!connection.idle || connectionLinger.has(connection)) return;
    const timer = setTimeout(() => {
      connectionLinger.delete(connection);
      if (!connection.idle) return;
      connection.close();
      if (connection === marketConnection) marketConnection = null;
      for (const [key, value] of userConnections)
        if (value === connection) userConnections.delete(key);
      log("info", { msg: "upstream closed after linger", upstream: connection.label });
    }, timers.connectionLingerMs);
    timer.unref();
    connectionLinger.set(connection, timer);
  }

  function keepConnection(connection: FeedConnection): void {
    const timer = connectionLinger.get(connection);
    if (timer) {
      clearTimeout(timer);
      connectionLinger.delete(connection);
    }
  }

  // ---------------------------------------------------------------- topics

  function setStatus(
    topic: Topic,
    status: StreamStatus,
    error: { code: GatewayErrorCode; message: string } | null = null,
  ): void {
    if (topic.status === status && topic.statusError?.message === error?.message) return;
    topic.status = status;
    topic.statusError = status === "error" ? error : null;
    if (topic.subscribers.size === 0) return;
    const frame = topic.statusFrame();
    for (const session of topic.subscribers) deliverControl(session, frame);
  }

  function onBookMessage(topic: Topic, type: string, msg: UpstreamMsg, receivedAt: number): void {
    const book = topic.book;
    if (!book) return;
    if (type === "orderbook_snapshot") {
      try {
        book.replace(levelsOf(msg.yes_dollars_fp), levelsOf(msg.no_dollars_fp));
      } catch (error) {
        log("error", { msg: "bad upstream snapshot", topic: topic.wire, error: String(error) });
        topic.connection.resnapshot([topic.market]);
        return;
      }
      topic.seq += 1;
      topic.status = "live";
      topic.invalidateSnapshot();
      const frame = topic.snapshotFrame();
      if (frame) fanOut(topic, frame, receivedAt, true);
      const status = topic.statusFrame();
      for (const session of topic.subscribers) deliverControl(session, status);
      return;
    }
    if (type !== "orderbook_delta") return;
    let side: "bid" | "ask";
    let price: number;
    let delta: number;
    try {
      side = msg.side === "yes" ? "bid" : msg.side === "no" ? "ask" : invalid("side");
      price = parseDollars(String(msg.price_dollars));
      delta = parseCount(String(msg.delta_fp), { signed: true });
    } catch (error) {
      log("error", { msg: "bad upstream delta", topic: topic.wire, error: String(error) });
      topic.connection.resnapshot([topic.market]);
      return;
    }
    const size = book.applyDelta(side, price, delta);
    topic.invalidateSnapshot();
    // While resyncing the cached book is not trustworthy: keep applying, but wait for the snapshot.
    if (topic.status !== "live") return;
    topic.seq += 1;
    const frame = Buffer.from(
      `{"type":"book_delta",${topic.head},"seq":${topic.seq},"side":"${side}","price":"${formatDollars(price)}","size":"${formatCount(size)}"}`,
    );
    fanOut(topic, frame, receivedAt, false);
  }

  function onStreamMessage(topic: Topic, type: string, msg: UpstreamMsg, receivedAt: number): void {
    const mapped = frameTypeOf(type);
    if (!mapped) return;
    topic.seq += 1;
    const frame = Buffer.from(
      `{"type":"${mapped.type}",${topic.head},"seq":${topic.seq}${
        mapped.kind ? `,"kind":"${mapped.kind}"` : ""
      },"msg":${JSON.stringify(msg)}}`,
    );
    if (topic.kind === "ticker") topic.lastFrame = frame;
    fanOut(topic, frame, receivedAt, topic.kind === "ticker");
  }

  /** Writes one serialised update to every subscriber of `topic`. */
  function fanOut(topic: Topic, frame: Buffer, receivedAt: number, replaces: boolean): void {
    let writes = 0;
    for (const session of topic.subscribers)
      if (deliver(session, topic, frame, replaces)) writes += 1;
    if (options.onDelivered && writes > 0)
      options.onDelivered(receivedAt, performance.now(), writes);
  }

  /**
   * Sends a topic update within the socket's budget. Returns true when written.
   * `replaces`: the frame carries the topic's whole state (snapshot, ticker).
   */
  function deliver(
    session: BrowserSession,
    topic: Topic,
    frame: Buffer,
    replaces: boolean,
  ): boolean {
    if (session.closed) return false;
    const buffered = session.bufferedAmount;
    if (buffered > limits.hardLimitBytes) {
      closeSlow(session, "send buffer over the hard limit");
      return false;
    }
    if (buffered > limits.highWaterBytes) {
      if (session.laggingSince === 0) {
        session.laggingSince = Date.now();
        lagging.add(session);
      }
      if (topic.conflatable) {
        (session.dirty ??= new Set()).add(topic);
        counters.conflated += 1;
        return false;
      }
    } else if (session.dirty?.has(topic)) {
      if (!replaces) return false; // its catch-up frame is pending
      session.dirty.delete(topic);
    }
    session.write(frame);
    return true;
  }

  /** Control frames (status) are small and never conflated, but never written to a closed socket. */
  function deliverControl(session: BrowserSession, frame: Buffer): void {
    session.write(frame);
  }

  function closeSlow(session: BrowserSession, reason: string): void {
    if (session.closed) return;
    counters.slowClosed += 1;
    log("warn", {
      msg: "closing slow consumer",
      userId: session.identity?.userId ?? null,
      reason,
      buffered: session.bufferedAmount,
    });
    endSession(session);
    session.ws.close(CLOSE_CODES.tryAgainLater, `slow consumer: ${reason}`);
    // A socket that does not read will not read the close frame either.
    setTimeout(() => session.ws.terminate(), 1000).unref();
  }

  /** Catches lagging sockets up once they drain, or closes the ones that stay behind. */
  const slowCheck = setInterval(() => {
    const now = Date.now();
    for (const session of lagging) {
      if (session.closed) {
        lagging.delete(session);
        continue;
      }
      const buffered = session.bufferedAmount;
      if (buffered <= limits.lowWaterBytes) {
        lagging.delete(session);
        session.laggingSince = 0;
        const dirty = session.dirty;
        session.dirty = null;
        if (dirty) {
          for (const topic of dirty) {
            const frame = topic.latestFrame();
            if (frame && session.topics.get(topic.wire) === topic) session.write(frame);
          }
        }
      } else if (now - session.laggingSince > limits.slowConsumerGraceMs) {
        lagging.delete(session);
        closeSlow(
          session,
          `over ${limits.highWaterBytes} buffered bytes for ${limits.slowConsumerGraceMs} ms`,
        );
      }
    }
  }, limits.slowCheckMs);
  slowCheck.unref();

  // ----------------------------------------------------------- credentials

  function ownerKeyOf(userId: string, credential: ActiveCredential): string {
    return `${userId}/${credential.id}`;
  }

  function lookupCredential(userId: string): Promise<CredentialLookup> {
    return options.authenticator.credentialFor(userId).then(
      (credential): CredentialLookup =>
        credential ? { kind: "ok", credential } : { kind: "none" },
      (error: unknown): CredentialLookup => {
        if (error instanceof CredentialUnreadableError) {
          log("error", { msg: "stored credential unusable", userId });
          return { kind: "unreadable", message: error.message };
        }
        log("error", {
          msg: "credential lookup failed",
          userId,
          error: error instanceof Error ? error.name : "error",
        });
        return { kind: "failed" };
      },
    );
  }

  function sendCredentialError(
    session: BrowserSession,
    wire: string,
    lookup: Exclude<CredentialLookup, { kind: "ok" }>,
  ): void {
    switch (lookup.kind) {
      case "none":
        session.sendError(
          "no_credential",
          `${wire} needs a Kalshi API key: add one in Settings → API keys`,
          { topic: wire },
        );
        return;
      case "unreadable":
        session.sendError("credential_unreadable", lookup.message, { topic: wire });
        return;
      case "failed":
        session.sendError(
          "upstream_unavailable",
          `your API key could not be loaded just now; subscribe to ${wire} again in a moment`,
          { topic: wire },
        );
        return;
      default: {
        const exhaustive: never = lookup;
        return exhaustive;
      }
    }
  }

  /**
   * Looks the user's credential up again and moves every socket's private
   * topics to it: to the new key's upstream connection (a new topic, so a
   * new epoch), or ends them with the reason when there is no usable key.
   * The old key's connection closes as soon as nothing uses it.
   */
  function recheckUser(userId: string): void {
    if (closing) return;
    let lookup: Promise<CredentialLookup> | null = null;
    for (const session of sessions) {
      if (session.identity?.userId !== userId) continue;
      session.credential = null;
      if (![...session.topics.values()].some((topic) => topic.ownerKey !== null)) continue;
      lookup ??= lookupCredential(userId);
      const found = lookup;
      session.credential = found;
      session.queue = session.queue
        .then(() => moveToCredential(session, found))
        .catch((error: unknown) =>
          log("error", {
            msg: "credential re-check failed",
            userId,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
    }
  }

  async function moveToCredential(
    session: BrowserSession,
    found: Promise<CredentialLookup>,
  ): Promise<void> {
    const lookup = await found;
    if (session.closed || !session.identity) return;
    if (lookup.kind === "failed") return; // keep streaming on what worked; the next re-check decides
    const owner =
      lookup.kind === "ok" ? ownerKeyOf(session.identity.userId, lookup.credential) : null;
    const stale = [...session.topics.values()].filter(
      (topic) => topic.ownerKey !== null && topic.ownerKey !== owner,
    );
    if (stale.length === 0) return;
    log("info", {
      msg: "credential changed; moving private streams",
      userId: session.identity.userId,
      topics: stale.length,
      to: lookup.kind,
    });
    for (const topic of stale) {
      unsubscribe(session, topic.wire);
      // A key that is gone must not keep streaming through its linger.
      if (topic.subscribers.size === 0) dropTopic(topic, true);
      retireIfIdle(topic.connection);
      if (lookup.kind === "ok") await subscribe(session, topic.wire);
      else sendCredentialError(session, topic.wire, lookup);
    }
  }

  /** Closes a user connection nothing uses any more now, rather than after its linger. */
  function retireIfIdle(connection: FeedConnection): void {
    if (!connection.idle || connection === marketConnection) return;
    const timer = connectionLinger.get(connection);
    if (timer) clearTimeout(timer);
    connectionLinger.delete(connection);
    connection.close();
    for (const [key, value] of userConnections)
      if (value === connection) userConnections.delete(key);
    log("info", {
      msg: "upstream closed: its credential is no longer active",
      upstream: connection.label,
    });
  }

  const stopCredentialEvents = options.authenticator.onCredentialChange?.((userId) =>
    recheckUser(userId),
  );
  /** The backstop for changes no notification reported. */
  const credentialRecheck = setInterval(() => {
    const users = new Set<string>();
    for (const session of sessions) {
      if (!session.identity) continue;
      for (const topic of session.topics.values())
        if (topic.ownerKey !== null) users.add(session.identity.userId);
    }
    for (const userId of users) recheckUser(userId);
  }, timers.credentialRecheckMs);
  credentialRecheck.unref();

  async function subscribe(session: BrowserSession, wire: string): Promise<void> {
    if (session.topics.has(wire)) {
      const topic = session.topics.get(wire);
      if (topic) sendCurrentState(session, topic);
      return;
    }
    const parsed = parseTopic(wire);
    if (!parsed) {
      session.sendError("invalid_frame", `unknown topic ${wire}`, { topic: wire });
      return;
    }
    if (session.topics.size >= limits.maxTopicsPerSocket) {
      session.sendError(
        "too_many_topics",
        `a socket may hold at most ${limits.maxTopicsPerSocket} topics; unsubscribe from some first`,
        { topic: wire },
      );
      return;
    }
    let connection: FeedConnection | null;
    let ownerKey: string | null = null;
    if (isPrivateTopic(wire)) {
      if (!session.identity) {
        session.sendError(
          "unauthorized_topic",
          `${wire} needs a signed-in user; sign in and reconnect`,
          { topic: wire },
        );
        return;
      }
      session.credential ??= lookupCredential(session.identity.userId);
      const lookup = await session.credential;
      if (session.closed) return;
      if (lookup.kind !== "ok") {
        sendCredentialError(session, wire, lookup);
        session.credential = null; // look again next time (the user may add or fix one)
        return;
      }
      const credential = lookup.credential;
      ownerKey = ownerKeyOf(session.identity.userId, credential);
      connection = userConnection(ownerKey, credential);
    } else {
      connection = marketData();
      if (!connection) {
        session.sendError(
          "upstream_unavailable",
          "market data is not configured on this gateway (GATEWAY_SERVICE_KEY_ID / GATEWAY_SERVICE_PRIVATE_KEY)",
          { topic: wire },
        );
        return;
      }
    }
    if (session.topics.has(wire) || session.topics.size >= limits.maxTopicsPerSocket) return;
    const market = parsed.ticker ?? ALL_MARKETS;
    const key = topicKey(parsed.kind, market, ownerKey);
    let topic = topics.get(key);
    if (!topic) {
      topic = new TopicOf<BrowserSession>(key, wire, parsed.kind, market, connection, ownerKey);
      topics.set(key, topic);
      keepConnection(connection);
      connection.want(topic.channel, market);
    }
    if (topic.lingerTimer) {
      clearTimeout(topic.lingerTimer);
      topic.lingerTimer = null;
    }
    topic.subscribers.add(session);
    session.topics.set(wire, topic);
    sendCurrentState(session, topic);
  }

  /** A new subscriber gets the cached state at once (book snapshot, last ticker), then the status. */
  function sendCurrentState(session: BrowserSession, topic: Topic): void {
    const latest = topic.latestFrame();
    if (latest) deliverControl(session, latest);
    deliverControl(session, topic.statusFrame());
  }

  function unsubscribe(session: BrowserSession, wire: string): void {
    const topic = session.topics.get(wire);
    if (!topic) return;
    session.topics.delete(wire);
    session.dirty?.delete(topic);
    topic.subscribers.delete(session);
    if (topic.subscribers.size === 0) scheduleTopicRelease(topic);
  }

  function scheduleTopicRelease(topic: Topic): void {
    if (topic.lingerTimer || closing) return;
    if (timers.subscriptionLingerMs <= 0) {
      dropTopic(topic, true);
      return;
    }
    topic.lingerTimer = setTimeout(() => {
      topic.lingerTimer = null;
      if (topic.subscribers.size === 0) dropTopic(topic, true);
    }, timers.subscriptionLingerMs);
    topic.lingerTimer.unref();
  }

  /** Forgets a topic; `release` also lets go of its upstream subscription. */
  function dropTopic(topic: Topic, release: boolean): void {
    if (topic.lingerTimer) clearTimeout(topic.lingerTimer);
    topic.lingerTimer = null;
    if (topics.get(topic.key) !== topic) return;
    topics.delete(topic.key);
    if (release) topic.connection.unwant(topic.channel, topic.market);
    lingerConnection(topic.connection);
  }

  function endSession(session: BrowserSession): void {
    if (session.closed) return;
    session.discard();
    session.closed = true;
    sessions.delete(session);
    lagging.delete(session);
    for (const wire of [...session.topics.keys()]) unsubscribe(session, wire);
    session.dirty = null;
  }

  // -------------------------------------------------------- browser frames

  async function onFrame(session: BrowserSession, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) {
      session.sendError("invalid_frame", "binary frames are not accepted; send JSON text");
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data as Buffer).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      session.sendError("invalid_frame", "frame is not valid JSON");
      return;
    }
    const parsed = clientFrameSchema.safeParse(json, { error: frameErrorMessages });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
      session.sendError(
        "invalid_frame",
        `${field ? `${field}: ` : ""}${issue?.message ?? "invalid frame"}`,
        field ? { field } : {},
      );
      return;
    }
    const frame = parsed.data;
    switch (frame.op) {
      case "subscribe":
        for (const topic of frame.topics) await subscribe(session, topic);
        return;
      case "unsubscribe":
        for (const topic of frame.topics) unsubscribe(session, topic);
        return;
      case "resync": {
        const topic = session.topics.get(frame.topic);
        if (!topic) {
          session.sendError("not_subscribed", `not subscribed to ${frame.topic}`, {
            topic: frame.topic,
          });
          return;
        }
        session.dirty?.delete(topic);
        sendCurrentState(session, topic);
        return;
      }
      case "ping":
        session.sendJson({ type: "pong" });
        return;
      default: {
        const exhaustive: never = frame;
        return exhaustive;
      }
    }
  }

  function startSession(ws: WebSocket, identity: UpgradeIdentity | null): void {
    const batched = ws.protocol === BATCHED_PROTOCOL_NAME;
    const session = new BrowserSession(ws, identity, limits, batched ? limits.batchWindowMs : 0);
    sessions.add(session);
    // Signed out (or revoked) elsewhere: this socket's session is over too.
    if (identity) {
      const stop = onSessionsRevoked(identity.userId, (revoked) => {
        if (isRevoked(revoked, identity.sessionId)) ws.close(CLOSE_CODES.policy, "session ended");
      });
      ws.once("close", stop);
    }
    ws.on("message", (data, isBinary) => {
      session.alive = true;
      const now = Date.now();
      if (!session.takeToken(now)) {
        if (session.strike(now)) {
          log("warn", { msg: "closing flooding socket", userId: identity?.userId ?? null });
          endSession(session);
          ws.close(CLOSE_CODES.policy, "too many frames");
          return;
        }
        session.sendError(
          "rate_limited",
          `at most ${limits.framesPerSecond} frames per second; this frame was ignored`,
        );
        return;
      }
      session.queue = session.queue
        .then(() => onFrame(session, data, isBinary))
        .catch((error: unknown) => {
          log("error", {
            msg: "frame failed",
            error: error instanceof Error ? error.message : String(error),
          });
          session.sendError("invalid_frame", "the frame could not be processed");
        });
    });
    ws.on("pong", () => {
      session.alive = true;
    });
    ws.on("close", () => endSession(session));
    ws.on("error", (error) => {
      log("warn", { msg: "browser socket error", error: error.message });
    });
    session.sendJson({
      type: "welcome",
      v: batched ? PROTOCOL_VERSION : 1,
      authenticated: identity !== null,
      limits: { maxTopics: limits.maxTopicsPerSocket, framesPerSecond: limits.framesPerSecond },
    });
  }

  const heartbeat = setInterval(() => {
    for (const session of sessions) {
      if (!session.alive) {
        endSession(session);
        session.ws.terminate();
        continue;
      }
      session.alive = false;
      if (session.ws.readyState === session.ws.OPEN) session.ws.ping();
    }
  }, timers.browserHeartbeatMs);
  heartbeat.unref();

  function isAllowedOrigin(origin: string | undefined, request: IncomingMessage): boolean {
    if (origin === undefined) return false;
    // The same rule as the BFF's CSRF check (forwarded headers only behind TRUST_PROXY).
    const tls = (request.socket as { encrypted?: boolean }).encrypted === true;
    return isSameSiteOrigin(origin, request.headers, tls ? "https" : "http", allowedOrigins);
  }

  function acceptUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (closing) {
      refuseUpgrade(socket, 503, "Service Unavailable");
      return;
    }
    const target = requestTarget(request.url);
    if (!target) {
      refuseUpgrade(socket, 400, "Bad Request");
      return;
    }
    const origin = request.headers.origin;
    const hasTicket = target.searchParams.has("ticket");
    // Browsers always send Origin; a page on a foreign origin gets in only with a ticket.
    if (origin !== undefined && !hasTicket && !isAllowedOrigin(origin, request)) {
      refuseUpgrade(socket, 403, "Forbidden");
      return;
    }
    identifyUpgrade(request, {
      authenticator: options.authenticator,
      ticketSecret: options.ticketSecret,
      replayGuard,
      claimTicket: options.claimTicket,
      isAllowedOrigin,
    })
      .catch((error: unknown) => {
        log("error", {
          msg: "upgrade authentication failed",
          error: error instanceof Error ? error.name : "error",
        });
        return null;
      })
      .then((identity) => {
        if (socket.destroyed) return;
        if (closing) {
          refuseUpgrade(socket, 503, "Service Unavailable");
          return;
        }
        if (hasTicket && identity === null) {
          refuseUpgrade(socket, 401, "Unauthorized");
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => startSession(ws, identity));
      })
      .catch((error: unknown) => {
        log("error", {
          msg: "upgrade failed",
          error: error instanceof Error ? error.message : String(error),
        });
        refuseUpgrade(socket, 500, "Internal Server Error");
      });
  }

  // The market-data service's feed: held for the gateway's whole life (never idle, so never lingered out).
  if (options.marketTap) {
    const connection = marketData();
    for (const channel of options.marketTap.channels) connection?.want(channel, ALL_MARKETS);
  }

  return {
    handleUpgrade(request, socket, head) {
      socket.on("error", () => socket.destroy());
      try {
        acceptUpgrade(request, socket, head);
      } catch (error) {
        // Never let an upgrade's failure escape into the HTTP server's listener.
        log("error", {
          msg: "upgrade failed",
          error: error instanceof Error ? error.message : String(error),
        });
        refuseUpgrade(socket, 500, "Internal Server Error");
      }
    },

    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      clearInterval(slowCheck);
      clearInterval(credentialRecheck);
      stopCredentialEvents?.();
      const closed: Promise<void>[] = [];
      for (const session of [...sessions]) {
        const ws = session.ws;
        endSession(session);
        closed.push(
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            ws.once("close", () => resolve());
            ws.close(CLOSE_CODES.goingAway, "server shutting down");
            setTimeout(() => {
              ws.terminate();
              resolve();
            }, 1000).unref();
          }),
        );
      }
      await Promise.all(closed);
      for (const topic of topics.values()) if (topic.lingerTimer) clearTimeout(topic.lingerTimer);
      topics.clear();
      for (const timer of connectionLinger.values()) clearTimeout(timer);
      connectionLinger.clear();
      marketConnection?.close();
      marketConnection = null;
      for (const connection of userConnections.values()) connection.close();
      userConnections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },

    health() {
      let marketData: GatewayHealth["marketData"];
      if (!options.marketDataCredential) marketData = { state: "unconfigured", refused: null };
      else if (!marketConnection) marketData = { state: "idle", refused: null };
      else {
        const upstream = marketConnection.health();
        marketData = { ...upstream, state: upstream.refused ? "refused" : upstream.state };
      }
      let refused = 0;
      for (const connection of userConnections.values())
        if (connection.health().refused) refused += 1;
      return { marketData, userConnections: { total: userConnections.size, refused } };
    },

    book(ticker) {
      const topic = topics.get(topicKey("book", ticker, null));
      if (!topic?.book || topic.status !== "live") return null;
      return { bids: topic.book.levels("bid"), asks: topic.book.levels("ask") };
    },

    inspect() {
      const upstreams = [marketConnection, ...userConnections.values()]
        .filter((connection): connection is FeedConnection => connection !== null)
        .map((connection) => ({ ...connection.describe(), stats: { ...connection.stats } }));
      return {
        sockets: sessions.size,
        topics: [...topics.values()].map((topic) => ({
          key: topic.key,
          subscribers: topic.subscribers.size,
          status: topic.status,
          seq: topic.seq,
          epoch: topic.epoch,
        })),
        upstreams,
        conflated: counters.conflated,
        slowClosed: counters.slowClosed,
      };
    },
  };
}
