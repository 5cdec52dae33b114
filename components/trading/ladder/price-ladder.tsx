"use client";
/**
 * The price ladder (depth of market) with click-to-trade. React renders the
 * shell (header, view toggle, status, column titles); the rows are painted
 * by LadderController straight into the DOM at most once per animation
 * frame, so a busy book costs no React work per delta.
 *
 *   <PriceLadder ref={ladderRef} market={market} view="yes" … />
 *   ladderRef.current?.recenter();
 */
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";

import type { Centis, Micros } from "@/lib/fixed-point";
import { useTopicListener, useTopicStatus } from "@/lib/gateway/hooks";
import type { TopicState, TopicStatus } from "@/lib/gateway/topic-state";
import { bookTopic } from "@/lib/gateway/topics";
import type { Market } from "@/lib/schemas/market";

import { LadderController, type LadderActions } from "./ladder-controller";
import { marketPriceRanges } from "./ladder-grid";
import { LADDER_COLUMNS, ROW_HEIGHT } from "./ladder-rows-dom";
import { useLadderTrades } from "./use-ladder-trades";
import { useQueuePositions } from "./use-queue-positions";

export interface LadderOrder {
  orderId: string;
  /** Kalshi order side. */
  side: "yes" | "no";
  action: "buy" | "sell";
  /** The order's price on the YES scale. */
  yesPrice: Micros;
  /** Remaining count. */
  remaining: Centis;
}

export interface LadderPlaceIntent {
  side: "yes" | "no";
  action: "buy";
  /** Leg price: the YES price for side yes, the NO price for side no. */
  price: Micros;
  count: Centis;
}

export interface PriceLadderProps {
  market: Market;
  view: "yes" | "no";
  onViewChange(view: "yes" | "no"): void;
  defaultSize: Centis;
  /** This market's resting orders. */
  workingOrders: readonly LadderOrder[];
  onPlace(intent: LadderPlaceIntent): Promise<void>;
  onCancel(orderId: string): Promise<void>;
  onAmend(orderId: string, newYesPrice: Micros): Promise<void>;
  onOpenTicket(prefill: { side: "yes" | "no"; action: "buy" | "sell"; price: Micros }): void;
  /** Why trading is off ("market closed", "no API key"); the book still shows. */
  disabledReason?: string | null;
  /** Extra classes for the outer element; the rows fill its height (default 28rem). */
  className?: string;
}

export interface PriceLadderHandle {
  recenter(): void;
}

const STATUS_TEXT: Record<TopicStatus, string> = {
  loading: "Connecting…",
  live: "Live",
  stale: "Stale",
  resyncing: "Resyncing…",
  error: "Unavailable",
};

export const PriceLadder = forwardRef<PriceLadderHandle, PriceLadderProps>(
  function PriceLadder(props, ref) {
    const { market, view, onViewChange, workingOrders, defaultSize, disabledReason } = props;
    const ticker = market.ticker;
    const latest = useRef(props);
    useLayoutEffect(() => {
      latest.current = props;
    });

    const queue = useQueuePositions(ticker, workingOrders.length > 0);
    const refreshQueue = useRef(queue.refresh);
    const hasOrders = useRef(false);
    useLayoutEffect(() => {
      refreshQueue.current = queue.refresh;
      hasOrders.current = workingOrders.length > 0;
    });

    const [controller] = useState(
      () =>
        new LadderController({
          actions: (): LadderActions => ({
            place: (intent) => latest.current.onPlace(intent),
            cancel: (orderId) => latest.current.onCancel(orderId),
            amend: (orderId, price) => latest.current.onAmend(orderId, price),
            openTicket: (prefill) => latest.current.onOpenTicket(prefill),
            bookChanged: () => {
              if (hasOrders.current) refreshQueue.current();
            },
          }),
        }),
    );
    useImperativeHandle(ref, () => ({ recenter: () => controller.recenter() }), [controller]);

    const ranges = useMemo(() => marketPriceRanges(market), [market]);
    useLayoutEffect(() => controller.setGrid(ranges, view), [controller, ranges, view]);
    useLayoutEffect(() => controller.setDefaultSize(defaultSize), [controller, defaultSize]);
    useLayoutEffect(() => controller.setOrders(workingOrders), [controller, workingOrders]);
    useLayoutEffect(() => controller.setQueue(queue.positions), [controller, queue.positions]);

    // A new or changed order needs its own queue position at once.
    const orderKey = workingOrders.map((o) => `${o.orderId}@${o.yesPrice}`).join(",");
    const { refresh } = queue;
    useEffect(() => {
      if (orderKey) refresh();
    }, [orderKey, refresh]);

    const [status, setStatus] = useState<TopicStatus>("loading");
    const feedDown = status !== "live";
    const reason = disabledReason
      ? disabledReason
      : feedDown
        ? status === "loading"
          ? "Waiting for the live book"
          : "The order book feed is not live; trading from the ladder is paused"
        : "";
    useLayoutEffect(() => controller.setEnabled(!reason, reason), [controller, reason]);

    const rootRef = useRef<HTMLDivElement>(null);
    const bodyRef = useRef<HTMLDivElement>(null);
    useLayoutEffect(() => {
      const root = rootRef.current;
      const body = bodyRef.current;
      if (!root || !body) return;
      const unmount = controller.mount(root, body);
      const measure = () =>
        controller.setViewportRows(Math.floor((body.clientHeight || 440) / ROW_HEIGHT));
      measure();
      const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
      observer?.observe(body);
      return () => {
        observer?.disconnect();
        unmount();
      };
    }, [controller]);

    const priceTitle = view === "yes" ? "Yes ¢" : "No ¢";
    return (
      <section
        aria-label="Price ladder"
        data-ladder-status={reason ? "disabled" : "live"}
        className={`flex min-h-0 flex-col overflow-hidden rounded-lg border border-line bg-panel ${props.className ?? "h-[28rem]"}`}
      >
        <header className="flex items-center gap-2 border-b border-line px-2 py-1.5 text-xs">
          <h2 className="font-medium tracking-wide text-ink-muted uppercase">Ladder</h2>
          <div
            role="group"
            aria-label="Price scale"
            className="flex overflow-hidden rounded border border-line"
          >
            {(["yes", "no"] as const).map((side) => (
              <button
                key={side}
                type="button"
                aria-pressed={view === side}
                onClick={() => onViewChange(side)}
                className={`px-2 py-0.5 ${view === side ? (side === "yes" ? "bg-yes/20 text-yes" : "bg-no/20 text-no") : "text-ink-muted hover:text-ink"}`}
              >
                {side === "yes" ? "Yes" : "No"}
              </button>
            ))}
          </div>
          <button
            type="button"
            onClick={() => controller.recenter()}
            title="Centre on the inside market (key: c)"
            className="rounded border border-line px-2 py-0.5 text-ink-muted hover:text-ink"
          >
            Centre
          </button>
          <span
            role="status"
            className={`ml-auto text-[11px] ${status === "live" ? "text-yes" : "text-warn"}`}
          >
            {status === "live" ? "● " : ""}
            {STATUS_TEXT[status]}
          </span>
        </header>
        <div
          aria-hidden="true"
          className={`${LADDER_COLUMNS} border-b border-line bg-panel-raised text-center text-[10px] tracking-wide text-ink-faint uppercase`}
        >
          <span>Mine</span>
          <span className="text-right pr-1">Bids</span>
          <span>{priceTitle}</span>
          <span className="text-left pl-1">Asks</span>
          <span>Mine</span>
          <span className="text-right pr-1">Vol</span>
        </div>
        <div
          ref={rootRef}
          tabIndex={0}
          aria-label={`Price ladder for ${ticker}, ${view === "yes" ? "yes" : "no"} prices. Arrow keys move, c centres.`}
          className="relative min-h-0 flex-1 outline-none focus-visible:ring-2 focus-visible:ring-accent/70 focus-visible:ring-inset"
        >
          <div
            ref={bodyRef}
            role="grid"
            aria-label="Price levels"
            className="absolute inset-0 overflow-hidden [contain:strict]"
          />
          {reason ? (
            <div
              role="note"
              data-ladder-disabled=""
              className={`absolute inset-x-0 bottom-0 z-10 border-t px-2 py-1 text-[11px] ${feedDown && !disabledReason ? "border-warn/50 bg-warn/15 text-warn" : "border-line bg-surface/90 text-ink-muted"}`}
            >
              {reason}
            </div>
          ) : null}
          {reason && feedDown && !disabledReason ? (
            // Above the rows: nothing under it can be clicked while the book is not live.
            <div
              aria-hidden="true"
              className="absolute inset-0 z-[5] cursor-not-allowed bg-surface/40"
            />
          ) : null}
        </div>
        <BookFeed ticker={ticker} controller={controller} onStatus={setStatus} />
        <TradeFeed ticker={ticker} controller={controller} />
      </section>
    );
  },
);

/**
 * Feeds the book into the controller straight from the gateway store (no
 * React render per published frame: the controller draws the rows itself),
 * and reports the feed's status, which re-renders only when it changes.
 */
function BookFeed(props: {
  ticker: string;
  controller: LadderController;
  onStatus(status: TopicStatus): void;
}) {
  const { controller, onStatus } = props;
  const topic = bookTopic(props.ticker);
  const onBook = useCallback((state: TopicState) => controller.setBook(state.book), [controller]);
  useTopicListener(topic, onBook);
  const status = useTopicStatus(topic);
  useLayoutEffect(() => onStatus(status), [onStatus, status]);
  return null;
}

function TradeFeed(props: { ticker: string; controller: LadderController }) {
  const { volumes, lastTrade } = useLadderTrades(props.ticker);
  const { controller } = props;
  useLayoutEffect(() => controller.setTrades(volumes, lastTrade), [controller, volumes, lastTrade]);
  return null;
}
