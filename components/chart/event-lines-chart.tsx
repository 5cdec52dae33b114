"use client";
/**
 * One chart for an event: a line per market (its traded YES price, hourly
 * closes over the last week or its whole life), so a multi-outcome event
 * reads like candidates in a poll. The chart lives in a ref and is removed on
 * unmount; data goes in imperatively.
 */
import { useQueryClient } from "@tanstack/react-query";
import { LineSeries, type IChartApi, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef, useState } from "react";

import { candlesToBars, formatChartCents, LINE_COLORS } from "@/components/chart/candles";
import { ChartArea, type ChartStatus } from "@/components/chart/chart-area";
import { createThemedChart } from "@/components/chart/themed-chart";
import { candlesOptions } from "@/lib/queries/markets";

const WEEK = 7 * 86_400;

export interface EventLine {
  ticker: string;
  label: string;
  openTime: string;
  closeTime: string;
  live: boolean;
}

export default function EventLinesChart({
  seriesTicker,
  lines,
}: {
  seriesTicker: string;
  lines: EventLine[];
}) {
  const queryClient = useQueryClient();
  const containerRef = useRef<HTMLDivElement>(null);
  const figureRef = useRef<HTMLElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const [status, setStatus] = useState<ChartStatus>("loading");

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart = createThemedChart(container);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.remove();
    };
  }, []);

  const key = lines.map((line) => line.ticker).join(",");
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    let cancelled = false;
    const now = Math.floor(Date.now() / 1000);
    const added = lines.map((line, index) =>
      chart.addSeries(LineSeries, {
        color: LINE_COLORS[index % LINE_COLORS.length],
        lineWidth: 2,
        title: line.label,
        priceFormat: { type: "custom", formatter: formatChartCents, minMove: 0.01 },
      }),
    );
    setStatus("loading");
    Promise.all(
      lines.map(async (line, index) => {
        const close = Math.floor(Date.parse(line.closeTime) / 1000) || now;
        const open = Math.floor(Date.parse(line.openTime) / 1000) || now - WEEK;
        // Up to the end of the current hour: Kalshi returns only candles whose period has ended by end_ts.
        const end = Math.floor((line.live ? now : Math.min(now, close)) / 3_600) * 3_600 + 3_600;
        const start = Math.max(open - 3_600, end - WEEK);
        const answer = await queryClient.fetchQuery(
          candlesOptions(line.ticker, seriesTicker, 60, start, end),
        );
        const bars = candlesToBars(answer.candlesticks, 60);
        if (cancelled) return 0;
        added[index]?.setData(
          bars.map((bar) => ({ time: bar.time as UTCTimestamp, value: bar.close })),
        );
        return bars.length;
      }),
    )
      .then((counts) => {
        if (cancelled) return;
        const total = counts.reduce((a, b) => a + b, 0);
        if (figureRef.current)
          figureRef.current.dataset.lines = String(counts.filter((n) => n > 0).length);
        chart.timeScale().fitContent();
        setStatus(total > 0 ? "ready" : "empty");
      })
      .catch(() => {
        if (!cancelled) setStatus("error");
      });
    return () => {
      cancelled = true;
      for (const series of added) {
        // The chart may already be gone (unmount removes it first).
        if (chartRef.current) chartRef.current.removeSeries(series);
      }
    };
    // `key` stands for `lines` (a new array each render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, seriesTicker, queryClient]);

  return (
    <figure
      ref={figureRef}
      aria-label="Event chart"
      className="rounded-lg border border-line bg-panel"
      data-lines="0"
    >
      <figcaption className="flex flex-wrap gap-x-3 gap-y-1 border-b border-line px-2 py-1.5 text-xs">
        {lines.map((line, index) => (
          <span key={line.ticker} className="flex items-center gap-1">
            <span
              aria-hidden
              className="inline-block h-0.5 w-3"
              style={{ backgroundColor: LINE_COLORS[index % LINE_COLORS.length] }}
            />
            {line.label}
          </span>
        ))}
      </figcaption>
      <ChartArea
        containerRef={containerRef}
        className="h-72"
        status={status}
        loading="Loading price history…"
        empty="No trades yet."
        error="Could not load price history."
      />
    </figure>
  );
}
