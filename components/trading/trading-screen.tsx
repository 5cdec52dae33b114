"use client";
/**
 * The trading screen: a market page for a signed-in trader with an active
 * Kalshi key. Chart and blotters on the left, the price ladder in the middle,
 * ticket, position and kill switch on the right, all inside the window
 * (no page scroll at 1024×640 and up; resizable panes remembered per user);
 * stacked on a phone. Loaded as its own chunk after hydration (components/
 * markets/market-detail.tsx), so the signed-out first load does not carry it.
 */
import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { memo, useCallback, useMemo, useRef, useState, type ReactNode } from "react";

import { ReauthDialog } from "@/components/auth/reauth-dialog";
import { HotkeySheet } from "@/components/trading/hotkey-sheet";
import { stepSize, type HotkeyAction } from "@/components/trading/hotkeys";
import {
  PriceLadder,
  type LadderOrder,
  type PriceLadderHandle,
} from "@/components/trading/ladder/price-ladder";
import {
  allowsFractional,
  closedReason,
  feeSchedule,
  marketRanges,
  type FeeSchedule,
} from "@/components/trading/market-terms";
import { describeOrderError } from "@/components/trading/order-errors";
import { createAmendIntent, createPlaceIntent } from "@/components/trading/order-intent";
import { FillsBlotter } from "@/components/trading/orders/fills-blotter";
import { KillSwitch } from "@/components/trading/orders/kill-switch";
import { OrderGroupsPanel } from "@/components/trading/orders/order-groups-panel";
import { PositionPanel } from "@/components/trading/orders/position-panel";
import { useWorkingOrders, WorkingOrders } from "@/components/trading/orders/working-orders";
import { positionFigures, type PositionFigures } from "@/components/trading/pnl";
import { OrderTicket, type TicketPrefill } from "@/components/trading/ticket/order-ticket";
import { takePrice, type TopOfBook } from "@/components/trading/ticket/ticket-model";
import { cents, contracts, money, sideLabel } from "@/components/trading/trading-format";
import { useFlatten } from "@/components/trading/use-flatten";
import { useHotkeys } from "@/components/trading/use-hotkeys";
import { useLiveAccount } from "@/components/trading/use-live-account";
import { useOrderActions, type OrderActions } from "@/components/trading/use-order-actions";
import { usePaneSizes } from "@/components/trading/use-pane-sizes";
import { useActiveSubaccount } from "@/components/subaccounts/use-active-subaccount";
import { Skeleton } from "@/components/ui/skeleton";
import { centsToMicros, parseDollars, type Centis, type Micros } from "@/lib/fixed-point";
import { useBookReader, useThrottledTopOfBook } from "@/lib/gateway/hooks";
import { topOf } from "@/lib/gateway/order-book";
import {
  balanceOptions,
  marketPositionOptions,
  orderGroupsOptions,
  subaccountsOptions,
} from "@/lib/queries/orders";
import { seriesOptions } from "@/lib/queries/markets";
import type { Market } from "@/lib/schemas/market";

const CandleChart = memo(
  dynamic(() => import("@/components/chart/candle-chart"), {
    ssr: false,
    loading: () => <Skeleton className="h-full min-h-48 w-full" />,
  }),
);
// The screen re-renders when the top of the book moves (the ticket and the
// position marks need it); these panes do not depend on it, so they skip
// those renders (their props are stable between them).
const Ladder = memo(PriceLadder);
const OrdersBlotter = memo(WorkingOrders);
const Fills = memo(FillsBlotter);
const Groups = memo(OrderGroupsPanel);
const Kill = memo(KillSwitch);
/** How often the screen redraws for a moved top of the book (see useThrottledTopOfBook). */
const TOP_EVERY_MS = 100;

/**
 * Panels are positioned (`relative`) so each is its own paint layer: the
 * ladder repaints up to 60 times a second, and without this every repaint
 * re-walks the ticket, blotters and header too (they are cached as whole
 * layers instead). The chart, blotters and header row get the same.
 */
const PANEL = "relative rounded-lg border border-line bg-panel p-2";

export interface TradingScreenProps {
  market: Market;
  seriesTicker: string;
  /** Names the trader's saved pane sizes (a user id, never shown). */
  userKey: string;
  /** The market page's header (title, quote), rendered above the panes. */
  header: ReactNode;
}

type BlotterTab = "orders" | "fills" | "groups";

export function TradingScreen({ market, seriesTicker, userKey, header }: TradingScreenProps) {
  const ticker = market.ticker;
  const series = useQuery(seriesOptions(seriesTicker));
  const ranges = useMemo(() => marketRanges(market), [market]);
  const fees = useMemo(() => feeSchedule(series.data), [series.data]);
  // Only the top of the book, at most ten times a second: the ticket's preview
  // and the position's mark read as well at that pace, and each render of this
  // screen costs a frame. The ladder draws every delta itself; hotkeys and the
  // flatten read the book fresh when they act (readBook).
  const { bestBid, bestAsk } = useThrottledTopOfBook(ticker, TOP_EVERY_MS);
  const readBook = useBookReader(ticker);
  const top: TopOfBook = useMemo(() => ({ bestBid, bestAsk }), [bestBid, bestAsk]);
  useLiveAccount(ticker);
  const { ticketSubaccount } = useActiveSubaccount();

  const reauth = useReauthPrompt();
  const actions = useOrderActions({ confirmReauth: reauth.confirm });
  // The position of the account the ticket trades for by default (the header's
  // scope; the primary under "All accounts"): positions are kept per account.
  const position = useQuery(marketPositionOptions(ticker, ticketSubaccount));
  const balance = useQuery(balanceOptions());
  const subaccounts = useQuery(subaccountsOptions());
  const groups = useQuery(orderGroupsOptions());
  const { orders: working } = useWorkingOrders(ticker);

  const [view, setView] = useState<"yes" | "no">("yes");
  const [defaultSize, setDefaultSize] = useState<Centis>(100);
  const [prefill, setPrefill] = useState<TicketPrefill | null>(null);
  const [tab, setTab] = useState<BlotterTab>("orders");
  const [sheetOpen, setSheetOpen] = useState(false);
  const [activity, setActivity] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const ladder = useRef<PriceLadderHandle>(null);
  const panes = usePaneSizes(userKey);

  const lastYes = useMemo(() => {
    try {
      return parseDollars(market.last_price_dollars) || null;
    } catch {
      return null;
    }
  }, [market.last_price_dollars]);
  const figures = useMemo(
    () => positionFigures(position.data ?? null, top, lastYes),
    [position.data, top, lastYes],
  );
  const held = useMemo(
    () => ({
      yes: figures.side === "yes" ? figures.held : 0,
      no: figures.side === "no" ? figures.held : 0,
    }),
    [figures],
  );
  const disabledReason = closedReason(market);
  const balanceMicros: Micros | null = balance.data ? centsToMicros(balance.data.balance) : null;

  // ---- ladder wiring: its intents go through the same mutation path as the ticket ----
  const ladderOrders = useMemo<LadderOrder[]>(
    () =>
      working.map((order) => ({
        orderId: order.orderId,
        // V2 orders rest on the YES book: a bid buys YES, an ask buys NO at 1 − p.
        side: order.bookSide === "bid" ? "yes" : "no",
        action: "buy",
        yesPrice: order.yesPrice,
        remaining: order.remaining,
      })),
    [working],
  );
  const onPlace = useCallback(
    async (intent: { side: "yes" | "no"; action: "buy"; price: Micros; count: Centis }) => {
      try {
        await actions.place(createPlaceIntent({ ticker, ...intent }));
      } catch (error) {
        throw new Error(describeOrderError(error).message);
      }
    },
    [actions, ticker],
  );
  const onCancel = useCallback(
    async (orderId: string) => {
      const order = working.find((o) => o.orderId === orderId);
      try {
        await actions.cancel({ orderId, subaccount: order?.subaccount });
      } catch (error) {
        throw new Error(describeOrderError(error).message);
      }
    },
    [actions, working],
  );
  const onAmend = useCallback(
    async (orderId: string, yesPrice: Micros) => {
      const order = working.find((o) => o.orderId === orderId);
      if (!order) throw new Error("That order is no longer working.");
      try {
        await actions.amend(createAmendIntent(order, { yesPrice }));
      } catch (error) {
        throw new Error(describeOrderError(error).message);
      }
    },
    [actions, working],
  );

  const onOpenTicket = useCallback(
    (p: Omit<TicketPrefill, "nonce">) => setPrefill({ ...p, nonce: Date.now() }),
    [],
  );

  // ---- hotkeys ----
  const onHotkey = useCallback(
    (action: HotkeyAction) => {
      switch (action) {
        case "buyBest":
        case "sellBest": {
          const side = action === "buyBest" ? "buy" : "sell";
          if (disabledReason) return setActivity({ tone: "error", text: disabledReason });
          // The price now, not as last drawn: a hotkey trades at the live top.
          const price = takePrice(view, side, topOf(readBook()));
          if (price === null)
            return setActivity({
              tone: "error",
              text: `Nothing to ${side === "buy" ? "lift" : "hit"}: that side of the book is empty.`,
            });
          const intent = createPlaceIntent({
            ticker,
            side: view,
            action: side,
            price,
            count: defaultSize,
          });
          const what = `${side === "buy" ? "Buy" : "Sell"} ${sideLabel(view)} ${contracts(defaultSize)} @ ${cents(price)}`;
          setActivity({ tone: "ok", text: `Sending ${what}…` });
          actions.place(intent).then(
            (order) =>
              setActivity({
                tone: "ok",
                text: `${what}: filled ${order.fill_count}, resting ${order.remaining_count}.`,
              }),
            (error: unknown) =>
              setActivity({ tone: "error", text: `${what}: ${describeOrderError(error).message}` }),
          );
          return;
        }
        case "cancelAllMarket":
          if (working.length === 0)
            return setActivity({ tone: "ok", text: "No working orders in this market." });
          void actions
            .cancelMany(working.map((o) => ({ orderId: o.orderId, subaccount: o.subaccount })))
            .then((result) =>
              setActivity({
                tone: result.failed.length ? "error" : "ok",
                text: `Cancelled ${result.cancelled.length} order(s) in this market${result.failed.length ? `; ${result.failed.length} failed` : ""}.`,
              }),
            );
          return;
        case "recenter":
          ladder.current?.recenter();
          return;
        case "sizeUp":
        case "sizeDown":
          setDefaultSize((size) => stepSize(size, action === "sizeUp" ? "up" : "down"));
          return;
        case "toggleSide":
          setView((current) => (current === "yes" ? "no" : "yes"));
          return;
        case "help":
          setSheetOpen((open) => !open);
          return;
        default: {
          const unknown: never = action;
          return unknown;
        }
      }
    },
    [actions, defaultSize, disabledReason, ticker, readBook, view, working],
  );
  useHotkeys(onHotkey, !sheetOpen && !reauth.dialogProps.open);

  const { sizes, update, drag } = panes;
  const paneStyle = {
    "--ladder-w": `${sizes.ladder}px`,
    "--ticket-w": `${sizes.ticket}px`,
    "--chart-h": `${sizes.chartPercent}%`,
  } as React.CSSProperties;

  return (
    <main
      aria-label="Trading screen"
      style={paneStyle}
      className="flex flex-col gap-2 px-2 py-2 lg:h-[calc(100dvh-3rem-1px)] lg:overflow-hidden"
    >
      <div className="relative flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-[1_1_100%] sm:flex-1">{header}</div>
        <div className="flex items-center gap-2 text-xs">
          <span className="text-ink-muted">
            Balance <span className="font-mono text-ink">{money(balanceMicros)}</span>
          </span>
          <span className="text-ink-muted">
            Size <span className="font-mono text-ink">{contracts(defaultSize)}</span>
          </span>
          <button
            type="button"
            onClick={() => setSheetOpen(true)}
            className="rounded border border-line px-1.5 py-0.5 text-ink-muted hover:text-ink"
          >
            Hotkeys <kbd className="font-mono">?</kbd>
          </button>
        </div>
      </div>
      {activity ? (
        <p
          role="status"
          aria-label="Last action"
          className={`-mt-1 text-xs ${activity.tone === "ok" ? "text-ink-muted" : "text-no"}`}
        >
          {activity.text}
        </p>
      ) : null}

      <div className="flex min-h-0 flex-1 flex-col gap-2 lg:flex-row lg:gap-0">
        {/* Left: chart over blotters */}
        <div className="order-3 flex min-w-0 flex-col gap-2 lg:order-none lg:flex-1 lg:gap-0">
          <div className="relative h-80 min-h-0 lg:h-[var(--chart-h)] [&>figure]:flex [&>figure]:h-full [&>figure]:flex-col">
            <CandleChart
              ticker={ticker}
              seriesTicker={seriesTicker}
              openTime={
                market.open_time === undefined ? market.close_time : String(market.open_time)
              }
              closeTime={market.close_time}
              live={!disabledReason}
              fill
            />
          </div>
          <Splitter
            orientation="horizontal"
            label="Resize chart and blotters"
            onPointerDown={(event) => {
              const column = event.currentTarget.parentElement;
              const height = column?.clientHeight ?? 1;
              const start = sizes.chartPercent;
              drag((_dx, dy) => update({ chartPercent: start + (dy / height) * 100 }))(event);
            }}
          />
          <section
            aria-label="Blotters"
            className="relative flex min-h-64 flex-1 flex-col rounded-lg border border-line bg-panel p-2 lg:min-h-0"
          >
            <div
              role="tablist"
              aria-label="Blotters"
              className="mb-1.5 flex gap-3 border-b border-line text-xs"
            >
              {(
                [
                  ["orders", `Working orders (${working.length})`],
                  ["fills", "Fills"],
                  ["groups", "Order groups"],
                ] as const
              ).map(([value, label]) => (
                <button
                  key={value}
                  type="button"
                  role="tab"
                  aria-selected={tab === value}
                  onClick={() => setTab(value)}
                  className={`-mb-px border-b-2 px-1 pb-1 ${tab === value ? "border-accent text-ink" : "border-transparent text-ink-muted hover:text-ink"}`}
                >
                  {label}
                </button>
              ))}
            </div>
            <div role="tabpanel" className="flex min-h-0 flex-1 flex-col">
              {tab === "orders" ? (
                <OrdersBlotter ticker={ticker} view={view} actions={actions} />
              ) : tab === "fills" ? (
                <Fills ticker={ticker} view={view} />
              ) : (
                <Groups />
              )}
            </div>
          </section>
        </div>

        <Splitter
          orientation="vertical"
          label="Resize ladder"
          onPointerDown={(event) => {
            const start = sizes.ladder;
            drag((dx) => update({ ladder: start - dx }))(event);
          }}
        />
        {/* Middle: the ladder */}
        <div className="order-2 flex min-h-0 flex-col lg:order-none lg:w-[var(--ladder-w)] lg:shrink-0">
          <Ladder
            ref={ladder}
            market={market}
            view={view}
            onViewChange={setView}
            defaultSize={defaultSize}
            workingOrders={ladderOrders}
            onPlace={onPlace}
            onCancel={onCancel}
            onAmend={onAmend}
            onOpenTicket={onOpenTicket}
            disabledReason={disabledReason}
            className="h-[28rem] lg:h-auto lg:min-h-0 lg:flex-1"
          />
        </div>

        <Splitter
          orientation="vertical"
          label="Resize ticket"
          onPointerDown={(event) => {
            const start = sizes.ticket;
            drag((dx) => update({ ticket: start - dx }))(event);
          }}
        />
        {/* Right: ticket, position, kill switch */}
        <div className="order-1 flex min-h-0 flex-col gap-2 lg:order-none lg:w-[var(--ticket-w)] lg:shrink-0 lg:overflow-y-auto">
          <div className={PANEL}>
            <OrderTicket
              ticker={ticker}
              ranges={ranges}
              fractional={allowsFractional(market)}
              fees={fees}
              top={top}
              held={held}
              balance={balanceMicros}
              view={view}
              onViewChange={setView}
              defaultSize={defaultSize}
              prefill={prefill}
              actions={actions}
              subaccounts={(subaccounts.data ?? [])
                .map((s) => s.subaccount_number)
                .filter((n) => n > 0)}
              defaultSubaccount={ticketSubaccount}
              orderGroups={groups.data ?? []}
              disabledReason={disabledReason}
            />
          </div>
          <div className={PANEL}>
            <LivePositionPanel
              ticker={ticker}
              subaccount={ticketSubaccount}
              figures={figures}
              top={top}
              fees={fees}
              actions={actions}
              loading={position.isPending}
            />
          </div>
          <div className={PANEL}>
            <Kill />
          </div>
        </div>
      </div>
      <HotkeySheet open={sheetOpen} onClose={() => setSheetOpen(false)} />
      <ReauthDialog {...reauth.dialogProps} purpose="place orders" />
    </main>
  );
}

/**
 * The position panel with its flatten. It renders with the screen (when the
 * top of the book moves); the whole book is read only when the trader asks to
 * flatten, so a delta deeper in it renders nothing.
 */
function LivePositionPanel(props: {
  ticker: string;
  /** The account whose position this is; flatten sells in that account. */
  subaccount: number;
  figures: PositionFigures;
  /** The screen's (throttled) top of the book: whether anyone bids for the held side. */
  top: TopOfBook;
  fees: FeeSchedule;
  actions: OrderActions;
  loading: boolean;
}) {
  const { ticker, figures, fees, actions, subaccount } = props;
  const { bestBid, bestAsk } = props.top;
  const readBook = useBookReader(ticker);
  const topLevels = useMemo(
    () => ({
      bids: bestBid === null ? [] : [[bestBid, 1] as const],
      asks: bestAsk === null ? [] : [[bestAsk, 1] as const],
    }),
    [bestBid, bestAsk],
  );
  const flatten = useFlatten({
    ticker,
    side: figures.side,
    held: figures.held,
    book: topLevels,
    readBook,
    fees,
    actions,
    subaccount: subaccount === 0 ? undefined : subaccount,
  });
  return (
    <PositionPanel
      figures={figures}
      flatten={flatten}
      loading={props.loading}
      account={subaccount === 0 ? null : `Subaccount ${subaccount}`}
    />
  );
}

function Splitter({
  orientation,
  label,
  onPointerDown,
}: {
  orientation: "vertical" | "horizontal";
  label: string;
  onPointerDown(event: React.PointerEvent<HTMLElement>): void;
}) {
  return (
    <div
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      onPointerDown={onPointerDown}
      className={`hidden shrink-0 touch-none lg:block ${
        orientation === "vertical"
          ? "w-2 cursor-col-resize hover:bg-accent/20"
          : "h-2 cursor-row-resize hover:bg-accent/20"
      }`}
    />
  );
}

/** A password prompt as a promise, for order sends that need a fresh sign-in. */
function useReauthPrompt() {
  const [open, setOpen] = useState(false);
  const pending = useRef<((confirmed: boolean) => void) | null>(null);
  const confirm = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        pending.current = resolve;
        setOpen(true);
      }),
    [],
  );
  const settle = (confirmed: boolean) => {
    setOpen(false);
    pending.current?.(confirmed);
    pending.current = null;
  };
  return {
    confirm,
    dialogProps: { open, onConfirmed: () => settle(true), onCancel: () => settle(false) },
  };
}

export default TradingScreen;
