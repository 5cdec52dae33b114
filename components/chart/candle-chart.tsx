"use client";
/**
 * The market chart: candlesticks at 1 minute, 1 hour or 1 day with a volume
 * histogram, YES or NO price scale, a crosshair readout, range presets, older
 * history loaded as you scroll left, and the live candle updated from the
 * trade stream. Signed in, the trader's own fills are marked on the candles
 * and working orders drawn as price lines.
 *
 * lightweight-charts is imperative: the chart instance lives in a ref,
 * created on mount and removed on unmount; data loads and live trades go
 * straight into the series (`setData` / `update`), and the readout is written
 * into the DOM, so neither ticks nor crosshair moves re-render React.
 * Candles come from useCandleHistory (GET /api/markets/{ticker}/candlesticks,
 * which merges the historical tier for ranges before Kalshi's cutoff); this
 * component owns only the chart's lifecycle and what it draws.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CandlestickSeries,
  createSeriesMarkers,
  CrosshairMode,
  HistogramSeries,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useCallback, useEffect, useRef, useState } from "react";

import {
  applyTrade,
  microsToChartCents,
  PERIODS,
  periodStart,
  RANGE_PRESETS,
  toSide,
  type Bar,
  type PeriodMinutes,
  type PriceSide,
  type RangePreset,
} from "@/components/chart/candles";
import { ChartArea, RetryButton } from "@/components/chart/chart-area";
import {
  PERIOD_LABELS,
  RANGE_LABELS,
  centsFormatter,
  clampedAutoscale,
  minMoveFor,
  priceDecimals,
} from "@/components/chart/chart-presentation";
import { createThemedChart } from "@/components/chart/themed-chart";
import {
  rightEdge,
  useCandleHistory,
  type BarsChange,
} from "@/components/chart/use-candle-history";
import { eventsSince, type EventCursor } from "@/lib/gateway/event-cursor";
import { useTopic, useTrades } from "@/lib/gateway/hooks";
import { parseCount, parseDollars, ONE_CONTRACT } from "@/lib/fixed-point";
import { myFillsOptions, myRestingOrdersOptions, portfolioKeys } from "@/lib/queries/portfolio";
import { useSignedIn } from "@/lib/queries/viewer";

export interface CandleChartProps {
  ticker: string;
  seriesTicker: string;
  /** RFC 3339; history is not fetched before this. */
  openTime: string;
  closeTime: string;
  /** Still trading: the right edge follows the clock and trades update the last candle. */
  live: boolean;
  /** Fill the parent's height (the trading screen's pane) instead of a fixed height. */
  fill?: boolean;
}

const UP = "#22c55e";
const DOWN = "#f43f5e";
/** Pixels kept free right of the last candle: half of an own-fill label such as "YES 12 @ 66¢". */
const LABEL_ROOM_PX = 56;

export default function CandleChart({
  ticker,
  seriesTicker,
  openTime,
  closeTime,
  live,
  fill = false,
}: CandleChartProps) {
  const [period, setPeriod] = useState<PeriodMinutes>(60);
  const [side, setSide] = useState<PriceSide>("yes");
  const [preset, setPreset] = useState<RangePreset>("1W");

  const containerRef = useRef<HTMLDivElement>(null);
  const figureRef = useRef<HTMLElement>(null);
  const readoutRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const candleRef = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const volumeRef = useRef<ISeriesApi<"Histogram"> | null>(null);
  const markersRef = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const priceLinesRef = useRef<IPriceLine[]>([]);
  /** YES-side bars, oldest first, as useCandleHistory last handed them over; the NO view is derived. */
  const barsRef = useRef<Bar[]>([]);
  const sideRef = useRef<PriceSide>(side);
  const periodRef = useRef<PeriodMinutes>(period);
  const presetRef = useRef<RangePreset>(preset);
  const decimalsRef = useRef<0 | 1 | 2>(0);
  /** The range a preset last drew; when the trader pans or zooms away, no preset is lit. */
  const presetRangeRef = useRef<{ from: number; to: number } | null>(null);
  const [highlight, setHighlight] = useState<RangePreset | null>(preset);

  const openTs = Math.floor(Date.parse(openTime) / 1000) || 0;
  const closeTs = Math.floor(Date.parse(closeTime) / 1000) || Number.MAX_SAFE_INTEGER;

  // ---- the chart instance: created once, removed on unmount ----
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart = createThemedChart(container, {
      crosshair: { mode: CrosshairMode.Normal },
      // Room right of the last candle so its own-fill label is not cut at the edge.
      timeScale: { secondsVisible: false, rightOffsetPixels: LABEL_ROOM_PX },
    });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
      priceFormat: { type: "custom", formatter: centsFormatter(0), minMove: 1 },
      autoscaleInfoProvider: clampedAutoscale,
    });
    // Volume gets its own pane below the candles: overlaying it on the price
    // pane left a margin whose axis labels read as negative prices.
    const volume = chart.addSeries(
      HistogramSeries,
      {
        priceFormat: { type: "volume" },
        lastValueVisible: false,
        priceLineVisible: false,
      },
      1,
    );
    chart.panes()[1]?.setHeight(70);
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.08 } });

    chart.subscribeCrosshairMove((param) => {
      const readout = readoutRef.current;
      if (!readout) return;
      const bar =
        param.time === undefined ? undefined : barsRef.current.find((b) => b.time === param.time);
      const shown = bar ?? barsRef.current[barsRef.current.length - 1];
      readout.textContent = shown
        ? describeBar(toSide(shown, sideRef.current), decimalsRef.current)
        : "";
    });

    chartRef.current = chart;
    candleRef.current = candles;
    volumeRef.current = volume;
    markersRef.current = createSeriesMarkers(candles, []);
    return () => {
      chartRef.current = null;
      candleRef.current = null;
      volumeRef.current = null;
      markersRef.current = null;
      priceLinesRef.current = [];
      chart.remove();
    };
  }, []);

  /** Mirrors the last candle onto the figure (data-*) and the readout; no React render. */
  const publish = useCallback(() => {
    const figure = figureRef.current;
    const last = barsRef.current[barsRef.current.length - 1];
    if (figure) {
      figure.dataset.candles = String(barsRef.current.length);
      figure.dataset.period = String(periodRef.current);
      figure.dataset.lastTime = last ? String(last.time) : "";
      figure.dataset.lastClose = last ? String(toSide(last, sideRef.current).close) : "";
      figure.dataset.lastVolume = last ? String(last.volume) : "";
    }
    if (readoutRef.current)
      readoutRef.current.textContent = last
        ? describeBar(toSide(last, sideRef.current), decimalsRef.current)
        : "";
  }, []);

  /** Pushes barsRef into the series (on the current side) and the test/readout hooks. */
  const draw = useCallback(() => {
    const bars = barsRef.current.map((bar) => toSide(bar, sideRef.current));
    // One precision for the whole axis and readout: the finest any drawn price needs.
    const decimals = priceDecimals(bars.flatMap((bar) => [bar.open, bar.high, bar.low, bar.close]));
    if (decimals !== decimalsRef.current) {
      decimalsRef.current = decimals;
      candleRef.current?.applyOptions({
        priceFormat: {
          type: "custom",
          formatter: centsFormatter(decimals),
          minMove: minMoveFor(decimals),
        },
      });
    }
    candleRef.current?.setData(
      bars.map((bar) => ({
        time: bar.time as UTCTimestamp,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
      })),
    );
    volumeRef.current?.setData(bars.map(volumePoint));
    publish();
  }, [publish]);

  // Before the history hook's effects, so its first draw of a new period is labelled with it.
  useEffect(() => {
    periodRef.current = period;
  }, [period]);

  const history = useCandleHistory({
    ticker,
    seriesTicker,
    period,
    openTs,
    closeTs,
    live,
    onBars: (change: BarsChange, bars: Bar[]) => {
      // The same array the hook merges into: live trades below write into it.
      barsRef.current = bars;
      if (change.kind !== "older") {
        draw();
        if (change.kind === "initial") void showPreset(presetRef.current);
        return;
      }
      // Older bars go in on the left: keep the visible bars where they are.
      const range = chartRef.current?.timeScale().getVisibleLogicalRange();
      draw();
      if (range && change.added > 0) {
        chartRef.current
          ?.timeScale()
          .setVisibleLogicalRange({ from: range.from + change.added, to: range.to + change.added });
      }
    },
  });
  const { loadOlder, reachBack } = history;

  // Scrolling near the left edge loads older history.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const onRange = (range: { from: number; to: number } | null) => {
      if (range && range.from < 10) void loadOlder();
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
  }, [loadOlder]);

  // The lit range button must match what is drawn: a pan or zoom away from it unlights it.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const onRange = (range: { from: unknown; to: unknown } | null) => {
      const drawn = presetRangeRef.current;
      if (!range || !drawn) return;
      const slack = periodRef.current * 60 * 2;
      const moved =
        Math.abs(Number(range.from) - drawn.from) > slack ||
        // New live candles push the right edge along; only a move left of the drawn edge counts.
        Number(range.to) < drawn.to - slack;
      if (moved) {
        presetRangeRef.current = null;
        setHighlight(null);
      }
    };
    chart.timeScale().subscribeVisibleTimeRangeChange(onRange);
    return () => chart.timeScale().unsubscribeVisibleTimeRangeChange(onRange);
  }, []);

  /** Shows the preset's window, loading older chunks first when the data does not reach back. */
  const showPreset = useCallback(
    async (which: RangePreset) => {
      const span = RANGE_PRESETS[which];
      const endTs = rightEdge(live, closeTs, periodRef.current);
      const from = span === null ? openTs : Math.max(openTs, endTs - span);
      if (!(await reachBack(from))) return;
      const chart = chartRef.current;
      if (!chart || barsRef.current.length === 0) return;
      const first = barsRef.current.find((bar) => bar.time >= from) ?? barsRef.current[0];
      const last = barsRef.current[barsRef.current.length - 1];
      if (!first || !last) return;
      // A logical range rather than fitContent/setVisibleRange (both put the last candle at
      // the very edge): bars enough after the last one to leave LABEL_ROOM_PX for its own-fill
      // label, whatever the bar spacing of this range.
      const firstIndex = Math.max(0, barsRef.current.indexOf(first));
      const lastIndex = barsRef.current.length - 1;
      const width = chart.timeScale().width();
      const bars = lastIndex - firstIndex + 1;
      const spare =
        width > LABEL_ROOM_PX * 2 ? Math.ceil((LABEL_ROOM_PX * bars) / (width - LABEL_ROOM_PX)) : 2;
      chart
        .timeScale()
        .setVisibleLogicalRange({ from: firstIndex - 0.5, to: lastIndex + Math.max(2, spare) });
      const drawn = chart.timeScale().getVisibleRange();
      presetRangeRef.current = drawn ? { from: Number(drawn.from), to: Number(drawn.to) } : null;
      setHighlight(which);
    },
    [live, closeTs, openTs, reachBack],
  );

  useEffect(() => {
    if (presetRef.current === preset) return;
    presetRef.current = preset;
    void showPreset(preset);
  }, [preset, showPreset]);

  useEffect(() => {
    sideRef.current = side;
    draw();
  }, [side, draw]);

  /** One trade from the stream into the live candle. */
  const onTrade = useCallback(
    (trade: { yesPriceDollars: string; countFp: string; epochMs: number }) => {
      const bars = barsRef.current;
      const last = bars[bars.length - 1];
      const next = applyTrade(last, trade, periodRef.current);
      if (!next) return;
      if (last && next.time === last.time) bars[bars.length - 1] = next;
      else bars.push(next);
      const shown = toSide(next, sideRef.current);
      candleRef.current?.update({
        time: shown.time as UTCTimestamp,
        open: shown.open,
        high: shown.high,
        low: shown.low,
        close: shown.close,
      });
      volumeRef.current?.update(volumePoint(shown));
      publish();
    },
    [publish],
  );

  // ---- own fills and working orders (signed in only; null otherwise) ----
  const signedIn = useSignedIn();
  const fills = useQuery({ ...myFillsOptions(ticker), enabled: signedIn });
  const orders = useQuery({ ...myRestingOrdersOptions(ticker), enabled: signedIn });
  useEffect(() => {
    const markers: SeriesMarker<Time>[] = (fills.data?.fills ?? [])
      .filter((fill) => fill.created_time)
      .map((fill) => {
        const yes = microsToChartCents(parseDollars(fill.yes_price_dollars));
        const bought = fill.book_side === "bid";
        return {
          time: periodStart(Date.parse(fill.created_time ?? ""), period) as UTCTimestamp,
          position: bought ? "belowBar" : "aboveBar",
          shape: bought ? "arrowUp" : "arrowDown",
          color: fill.outcome_side === "yes" ? UP : DOWN,
          text: `${fill.outcome_side.toUpperCase()} ${parseCount(fill.count_fp) / ONE_CONTRACT} @ ${centsFormatter(decimalsRef.current)(side === "yes" ? yes : 100 - yes)}`,
        } satisfies SeriesMarker<Time>;
      })
      .sort((a, b) => (a.time as number) - (b.time as number));
    markersRef.current?.setMarkers(markers);
    if (figureRef.current) figureRef.current.dataset.markers = String(markers.length);
    const candles = candleRef.current;
    for (const line of priceLinesRef.current) candles?.removePriceLine(line);
    priceLinesRef.current = (orders.data?.orders ?? []).flatMap((order) => {
      if (!candles) return [];
      const yes = microsToChartCents(parseDollars(order.yes_price_dollars));
      return [
        candles.createPriceLine({
          price: side === "yes" ? yes : 100 - yes,
          color: order.outcome_side === "yes" ? UP : DOWN,
          lineStyle: 2,
          lineWidth: 1,
          axisLabelVisible: true,
          title: `${order.outcome_side.toUpperCase()} ${parseCount(order.remaining_count_fp) / ONE_CONTRACT}`,
        }),
      ];
    });
  }, [fills.data, orders.data, period, side]);

  return (
    <figure
      ref={figureRef}
      aria-label="Price chart"
      className={`rounded-lg border border-line bg-panel ${fill ? "flex h-full min-h-0 flex-col" : ""}`}
      data-candles="0"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-2 py-1.5 text-xs">
        <Toggle
          label="Candle period"
          value={period}
          options={PERIODS.map(
            (p) =>
              [p.minutes, PERIOD_LABELS[p.minutes].text, PERIOD_LABELS[p.minutes].title] as const,
          )}
          onChange={setPeriod}
        />
        <Toggle
          label="Range"
          value={highlight}
          options={(Object.keys(RANGE_PRESETS) as RangePreset[]).map(
            (key) => [key, RANGE_LABELS[key].text, RANGE_LABELS[key].title] as const,
          )}
          onChange={(which) => {
            if (which === presetRef.current) void showPreset(which);
            else setPreset(which);
          }}
        />
        <Toggle
          label="Price side"
          value={side}
          options={
            [
              ["yes", "Yes"],
              ["no", "No"],
            ] as const
          }
          onChange={setSide}
        />
        <div
          ref={readoutRef}
          aria-live="off"
          className="ml-auto font-mono text-ink-muted tabular-nums"
        />
      </div>
      {history.status === "ready" && history.error ? (
        <div
          role="alert"
          className="flex items-center gap-2 border-b border-line px-2 py-1 text-xs text-ink-muted"
        >
          <span className="min-w-0 truncate">Could not load older candles: {history.error}</span>
          <RetryButton onRetry={history.retry} />
        </div>
      ) : null}
      <ChartArea
        containerRef={containerRef}
        className={fill ? "min-h-40 flex-1" : "h-80 sm:h-96"}
        status={history.status}
        loading="Loading candles…"
        empty="No trades in this range yet."
        error="Could not load candles."
        detail={history.error}
        onRetry={history.retry}
      />
      {live ? <LiveTradeFeed ticker={ticker} onTrade={onTrade} /> : null}
      {fills.data ? <OwnActivityRefresher ticker={ticker} /> : null}
    </figure>
  );
}

function volumePoint(bar: Bar) {
  return {
    time: bar.time as UTCTimestamp,
    value: bar.volume,
    color: bar.close >= bar.open ? "rgba(34,197,94,0.35)" : "rgba(244,63,94,0.35)",
  };
}

function describeBar(bar: Bar, decimals: 0 | 1 | 2): string {
  const f = centsFormatter(decimals);
  return `O ${f(bar.open)} H ${f(bar.high)} L ${f(bar.low)} C ${f(bar.close)} · Vol ${bar.volume.toLocaleString("en-US")}`;
}

/**
 * Feeds stream trades to the chart. It renders nothing: only this tiny
 * component re-renders when the trades topic publishes, never the chart.
 */
function LiveTradeFeed({
  ticker,
  onTrade,
}: {
  ticker: string;
  onTrade: (trade: { yesPriceDollars: string; countFp: string; epochMs: number }) => void;
}) {
  const { trades } = useTrades(ticker);
  // (epoch, seq), not seq alone: a recreated topic counts from 1 again.
  const cursor = useRef<EventCursor | null>(null);
  useEffect(() => {
    const { fresh, cursor: next } = eventsSince(trades, cursor.current);
    cursor.current = next;
    for (const event of [...fresh].reverse()) {
      const msg = event.msg;
      const price = typeof msg.yes_price_dollars === "string" ? msg.yes_price_dollars : undefined;
      const count = typeof msg.count_fp === "string" ? msg.count_fp : "0";
      const epochMs =
        typeof msg.ts_ms === "number"
          ? msg.ts_ms
          : typeof msg.ts === "number"
            ? msg.ts * 1000
            : Date.now();
      if (price) onTrade({ yesPriceDollars: price, countFp: count, epochMs });
    }
  }, [trades, onTrade]);
  return null;
}

/**
 * Signed in: refetches the trader's fills and working orders on this market
 * when the private `fills` / `orders` streams report activity on it, so the
 * markers follow new fills. Renders nothing.
 */
function OwnActivityRefresher({ ticker }: { ticker: string }) {
  const queryClient = useQueryClient();
  const fills = useTopic("fills");
  const orders = useTopic("orders");
  const latestFill = fills.events[0];
  const latestOrder = orders.events[0];
  useEffect(() => {
    if (latestFill && latestFill.msg.market_ticker === ticker)
      void queryClient.invalidateQueries({ queryKey: portfolioKeys.fills(ticker) });
  }, [latestFill, ticker, queryClient]);
  useEffect(() => {
    if (latestOrder && latestOrder.msg.ticker === ticker)
      void queryClient.invalidateQueries({ queryKey: portfolioKeys.restingOrders(ticker) });
  }, [latestOrder, ticker, queryClient]);
  return null;
}

function Toggle<T extends string | number>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  /** null: no option is lit (e.g. the trader zoomed away from every range). */
  value: T | null;
  options: ReadonlyArray<readonly [T, string] | readonly [T, string, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="flex overflow-hidden rounded border border-line"
    >
      {options.map(([optionValue, text, title]) => (
        <button
          key={String(optionValue)}
          type="button"
          title={title}
          aria-pressed={optionValue === value}
          onClick={() => onChange(optionValue)}
          className={`px-2 py-0.5 ${optionValue === value ? "bg-accent/20 text-accent" : "text-ink-muted hover:text-ink"}`}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
