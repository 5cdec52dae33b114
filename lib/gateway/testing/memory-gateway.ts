/**
 * A GatewayStore for component tests in happy-dom (which cannot open the
 * real client's WebSocket to a gateway): the test publishes what the stream
 * would have delivered (a book, a ticker message) and the gateway hooks
 * read it exactly as they read the real client. The real client and
 * gateway are covered by server/gateway/browser-client.test.ts.
 */
import type { BookView } from "@/lib/gateway/order-book";
import {
  EMPTY_TOPIC_STATE,
  type ConnectionStatus,
  type GatewayStore,
  type TopicState,
} from "@/lib/gateway/topic-state";

export class MemoryGateway implements GatewayStore {
  status: ConnectionStatus = "open";
  /** Every topic subscribed, in order (a topic subscribed twice appears twice). */
  readonly subscribed: string[] = [];
  private readonly states = new Map<string, TopicState>();
  private readonly listeners = new Map<string, Set<() => void>>();

  start(): void {}
  stop(): void {}

  subscribe(topic: string, listener: () => void): () => void {
    this.subscribed.push(topic);
    const set = this.listeners.get(topic) ?? new Set<() => void>();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => set.delete(listener);
  }

  getTopicState(topic: string): TopicState {
    return this.states.get(topic) ?? EMPTY_TOPIC_STATE;
  }

  onStatus(): () => void {
    return () => {};
  }

  /** Publishes a new state of `topic` (live, the next seq) and tells its subscribers. */
  publish(topic: string, patch: Partial<TopicState>): void {
    const previous = this.getTopicState(topic);
    this.states.set(topic, { ...previous, status: "live", seq: previous.seq + 1, ...patch });
    for (const listener of this.listeners.get(topic) ?? []) listener();
  }

  publishBook(ticker: string, book: Omit<BookView, "seq">): void {
    const seq = this.getTopicState(`book:${ticker}`).seq + 1;
    this.publish(`book:${ticker}`, { book: { ...book, seq } });
  }

  publishTicker(ticker: string, message: Record<string, unknown>): void {
    this.publish(`ticker:${ticker}`, { latest: { market_ticker: ticker, ...message } });
  }
}
