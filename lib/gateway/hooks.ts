"use client";
/**
 * React hooks over the gateway client. Each hook subscribes to one topic for
 * as long as the component is mounted and re-renders at most once per
 * animation frame (the client batches publishes), via useSyncExternalStore.
 *
 *   <GatewayProvider url="/ws"> … </GatewayProvider>
 *   const { status, book } = useBook("KXHIGHNY-26JAN01-B45.5");
 */
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import type { Micros } from "@/lib/fixed-point";
import type { GatewayClientOptions } from "@/lib/gateway/client";
import { topOf, type BookView } from "@/lib/gateway/order-book";
import { LazyGatewayClient } from "@/lib/gateway/lazy-client";
import type { ConnectionStatus, GatewayStore, TopicState } from "@/lib/gateway/topic-state";
import { bookTopic, tickerTopic, tradesTopic } from "@/lib/gateway/topics";

const GatewayContext = createContext<GatewayStore | null>(null);

/**
 * Owns the tab's gateway connection; pass `url` (default: same-origin "/ws",
 * as ws(s)://host/ws) or a ticket-fetching function, or a ready `client`.
 * Without `client`, the real GatewayClient is loaded as a separate chunk on
 * first use (lib/gateway/lazy-client.ts), keeping it out of first load.
 */
export function GatewayProvider(props: {
  url?: GatewayClientOptions["url"];
  client?: GatewayStore;
  children: ReactNode;
}) {
  const [client] = useState(() => props.client ?? lazyGatewayClient(props.url));
  useEffect(() => {
    client.start();
    return () => client.stop();
  }, [client]);
  return createElement(GatewayContext.Provider, { value: client }, props.children);
}

/** A LazyGatewayClient that imports lib/gateway/client.ts when first used. */
export function lazyGatewayClient(url?: GatewayClientOptions["url"]): LazyGatewayClient {
  return new LazyGatewayClient(() =>
    import("@/lib/gateway/client").then(
      ({ GatewayClient }) =>
        new GatewayClient({ url: url ?? (() => Promise.resolve(sameOriginUrl("/ws"))) }),
    ),
  );
}

/** ws(s)://<this host><path>, for a gateway served by the app's own server. */
export function sameOriginUrl(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}${path}`;
}

function useGatewayClient(): GatewayStore {
  const client = useContext(GatewayContext);
  if (!client) throw new Error("gateway hooks need a <GatewayProvider> above them");
  return client;
}

/** Subscribes to `topic` while mounted (null = nothing) and returns its published state. */
export function useTopic(topic: string | null): TopicState {
  const client = useGatewayClient();
  // Stable per (client, topic): a new subscribe function on every render would
  // make React unsubscribe and resubscribe the topic each time (two frames to
  // the gateway per render, enough to trip its flood limit on a live table).
  const subscribe = useCallback(
    (onChange: () => void) => (topic === null ? noop : client.subscribe(topic, onChange)),
    [client, topic],
  );
  const getSnapshot = useCallback(() => client.getTopicState(topic ?? ""), [client, topic]);
  const getServerSnapshot = useCallback(() => client.getTopicState(""), [client]);
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

const noop = () => {};

/**
 * Subscribes to `topic` like useTopic but re-renders only when `select(state)`
 * changes by `equal`: a component that needs the top of a book does not
 * re-render for every delta deeper in it. Pass stable functions (module-level
 * or memoised): new ones re-read the store.
 */
export function useTopicSelector<T>(
  topic: string | null,
  select: (state: TopicState) => T,
  equal: (a: T, b: T) => boolean,
): T {
  const client = useGatewayClient();
  const subscribe = useCallback(
    (onChange: () => void) => (topic === null ? noop : client.subscribe(topic, onChange)),
    [client, topic],
  );
  // A new topic starts afresh; the same one keeps its last value.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const read = useMemo(() => memoSelector(select, equal), [select, equal, topic]);
  const getSnapshot = useCallback(
    () => read(client.getTopicState(topic ?? "")),
    [client, topic, read],
  );
  const getServerSnapshot = useCallback(() => read(client.getTopicState("")), [client, read]);
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

/**
 * Hands the topic's state to `onState` now and on every publish (at most once
 * per frame) without re-rendering the component: for views that draw
 * themselves, like the price ladder. `onState` must be stable (useCallback).
 */
export function useTopicListener(topic: string | null, onState: (state: TopicState) => void): void {
  const client = useGatewayClient();
  useEffect(() => {
    if (topic === null) return;
    const read = () => onState(client.getTopicState(topic));
    const unsubscribe = client.subscribe(topic, read);
    read();
    return unsubscribe;
  }, [client, topic, onState]);
}

/** A topic's status alone: a component re-renders when it changes, not on every publish. */
export function useTopicStatus(topic: string | null): TopicState["status"] {
  return useTopicSelector(topic, selectStatus, Object.is);
}

const selectStatus = (state: TopicState) => state.status;

/**
 * The top of a market's book for display, at most every `everyMs`: the first
 * move shows at once, later ones within the interval together at its end. A
 * busy book moves its top dozens of times a second; a ticket's preview and a
 * position's mark read just as well ten times a second, and each render of
 * a screen costs a frame. Anything that acts on the price reads it fresh
 * (useBookReader).
 */
export function useThrottledTopOfBook(ticker: string | null, everyMs: number): TopOfBookState {
  const client = useGatewayClient();
  const topic = ticker === null ? null : bookTopic(ticker);
  const [top, setTop] = useState<TopOfBookState>(() =>
    selectTop(client.getTopicState(topic ?? "")),
  );
  useEffect(() => {
    if (topic === null) return;
    let shown: TopOfBookState | null = null;
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const emit = () => {
      timer = null;
      last = performance.now();
      const next = selectTop(client.getTopicState(topic));
      shown = next;
      setTop((previous) => (sameTop(previous, next) ? previous : next));
    };
    const onChange = () => {
      if (timer) return;
      if (shown && sameTop(shown, selectTop(client.getTopicState(topic)))) return;
      const wait = last + everyMs - performance.now();
      if (wait <= 0) emit();
      else timer = setTimeout(emit, wait);
    };
    const unsubscribe = client.subscribe(topic, onChange);
    // The state may have moved between the first render and this subscription
    // (not counted as a move: the next one still shows at once).
    queueMicrotask(() => {
      const now = selectTop(client.getTopicState(topic));
      shown = now;
      setTop((previous) => (sameTop(previous, now) ? previous : now));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [client, topic, everyMs]);
  return top;
}

/**
 * A stable function that returns a market's current book (kept subscribed
 * while mounted), for code that acts on prices at the moment of acting: a
 * hotkey, a flatten. Reading it does not render anything.
 */
export function useBookReader(ticker: string | null): () => BookView | null {
  const latest = useRef<BookView | null>(null);
  const keep = useCallback((state: TopicState) => {
    latest.current = state.book;
  }, []);
  useTopicListener(ticker === null ? null : bookTopic(ticker), keep);
  return useCallback(() => latest.current, []);
}

/** `select` that returns its last value again while `equal` (what useSyncExternalStore compares by identity). */
function memoSelector<T>(
  select: (state: TopicState) => T,
  equal: (a: T, b: T) => boolean,
): (state: TopicState) => T {
  let last: { state: TopicState; value: T } | null = null;
  return (state) => {
    if (last && last.state === state) return last.value;
    const next = select(state);
    last = { state, value: last && equal(last.value, next) ? last.value : next };
    return last.value;
  };
}

/** The order book of a market on the YES scale (bids and asks best first). */
export function useBook(ticker: string | null) {
  const state = useTopic(ticker === null ? null : bookTopic(ticker));
  return { status: state.status, book: state.book, error: state.error };
}

/** Best bid and ask of a market's YES book (micro-dollars, null when that side is empty). */
export interface TopOfBookState {
  status: TopicState["status"];
  bestBid: Micros | null;
  bestAsk: Micros | null;
}

function selectTop(state: TopicState): TopOfBookState {
  return { status: state.status, ...topOf(state.book) };
}

function sameTop(a: TopOfBookState, b: TopOfBookState): boolean {
  return a.status === b.status && a.bestBid === b.bestBid && a.bestAsk === b.bestAsk;
}

/** The latest `ticker` message of a market (Kalshi field names, dollar/count strings). */
export function useTicker(ticker: string | null) {
  const state = useTopic(ticker === null ? null : tickerTopic(ticker));
  return { status: state.status, ticker: state.latest, error: state.error };
}

/**
 * Recent public trades of a market, newest first. Each event carries its
 * topic `epoch`: to act once per trade, track (epoch, seq) with
 * `eventsSince` (lib/gateway/event-cursor.ts), never seq alone.
 */
export function useTrades(ticker: string | null) {
  const state = useTopic(ticker === null ? null : tradesTopic(ticker));
  return { status: state.status, trades: state.events, epoch: state.epoch, error: state.error };
}

/** The signed-in user's fills as they happen (load history over REST; this adds to it). */
export function useFills() {
  const state = useTopic("fills");
  return { status: state.status, fills: state.events, gaps: state.gaps, error: state.error };
}

/** The signed-in user's order updates, newest first. */
export function useOrders() {
  const state = useTopic("orders");
  return { status: state.status, orders: state.events, gaps: state.gaps, error: state.error };
}

/** The signed-in user's position changes, newest first. */
export function usePositions() {
  const state = useTopic("positions");
  return { status: state.status, positions: state.events, gaps: state.gaps, error: state.error };
}

/** RFQ and quote events visible to the signed-in user, newest first. */
export function useRfqFeed() {
  const state = useTopic("rfq");
  return { status: state.status, events: state.events, gaps: state.gaps, error: state.error };
}

/** The connection itself: `open`, `connecting`, `reconnecting` (data is stale) or `closed`. */
export function useStreamStatus(): ConnectionStatus {
  const client = useGatewayClient();
  return useSyncExternalStore(
    (onChange) => client.onStatus(onChange),
    () => client.status,
    () => "idle" as const,
  );
}
