/**
 * What the gateway hooks read: the per-topic state the browser client
 * publishes, the connection status, and the store interface both the real
 * client (lib/gateway/client.ts) and its lazy loader (lazy-client.ts) offer.
 * Types and one constant only, so importing it costs nothing on first load.
 */
import type { BookView } from "@/lib/gateway/order-book";
import type { GatewayErrorCode, StreamStatus } from "@/lib/gateway/protocol";

/** `loading` until the first status; `error` when the gateway refused the topic. */
export type TopicStatus = "loading" | StreamStatus | "error";
export type ConnectionStatus = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export interface TopicState {
  status: TopicStatus;
  seq: number;
  /** The topic incarnation `seq` counts in (see the protocol's `epoch`); null until the gateway names one. */
  epoch: string | null;
  /** `book:` topics: the current book. */
  book: BookView | null;
  /** `ticker:` topics: the latest message. Other topics: the newest event. */
  latest: Record<string, unknown> | null;
  /** Event topics: recent messages, newest first (at most `maxEvents`). */
  events: ReadonlyArray<TopicEvent>;
  /** Sequence gaps seen on this topic since subscribing. */
  gaps: number;
  error: { code: GatewayErrorCode; message: string } | null;
}

/** One event of an event topic; (`epoch`, `seq`) identifies it (seq alone restarts with the topic). */
export interface TopicEvent {
  seq: number;
  epoch?: string;
  kind?: string;
  msg: Record<string, unknown>;
}

/** The state of a topic with nothing received yet; one shared, frozen object. */
export const EMPTY_TOPIC_STATE: TopicState = Object.freeze({
  status: "loading",
  seq: 0,
  epoch: null,
  book: null,
  latest: null,
  events: [],
  gaps: 0,
  error: null,
}) as TopicState;

/** The tab's gateway connection as React sees it (useSyncExternalStore-friendly). */
export interface GatewayStore {
  readonly status: ConnectionStatus;
  /** Opens the connection (idempotent). */
  start(): void;
  /** Closes for good; subscriptions are kept and replayed if started again. */
  stop(): void;
  /** Subscribes to `topic` (reference-counted); returns the unsubscribe function. */
  subscribe(topic: string, listener: () => void): () => void;
  /** The topic's current state: the same object until something changes. */
  getTopicState(topic: string): TopicState;
  onStatus(listener: () => void): () => void;
}
