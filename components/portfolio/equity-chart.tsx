"use client";
/**
 * The equity curve: the account's (or one subaccount's) cash + positions
 * value over 1D / 1W / 1M / all, from the server's own snapshots. Cash moved
 * in or out (transfers) is marked on the curve so a step from a transfer is
 * not read as P&L.
 */
import { useQuery } from "@tanstack/react-query";
import {
  AreaSeries,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "react";

import { createThemedChart } from "@/components/chart/themed-chart";
import { formatCentsUsd } from "@/lib/portfolio/format-money";
import { equityOptions } from "@/lib/queries/portfolio-screen";
import type { EquityRange, EquitySnapshotView } from "@/lib/schemas/portfolio-history";

const RANGES: EquityRange[] = ["1D", "1W", "1M", "ALL"];

/** One point per second at most (lightweight-charts needs strictly increasing times). */
function toSeries(points: readonly EquitySnapshotView[]) {
  const data: Array<{ time: UTCTimestamp; value: number }> = [];
  const markers: Array<SeriesMarker<Time>> = [];
  for (const point of points) {
    const time = Math.floor(point.at / 1000) as UTCTimestamp;
    const value = point.totalCents / 100;
    const last = data[data.length - 1];
    if (last && last.time === time) last.value = value;
    else if (!last || last.time < time) data.push({ time, value });
    if (point.cashFlowCents !== 0) {
      markers.push({
        time,
        position: point.cashFlowCents > 0 ? "belowBar" : "aboveBar",
        shape: point.cashFlowCents > 0 ? "arrowUp" : "arrowDown",
        color: "#60a5fa",
        text: `${formatCentsUsd(point.cashFlowCents, { signed: true })} transfer`,
      });
    }
  }
  return { data, markers };
}

export function EquityChart({
  subaccount,
  range,
  onRange,
}: {
  subaccount: number | null;
  range: EquityRange;
  onRange: (range: EquityRange) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<"Area"> | null>(null);
  const markersRef = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const equity = useQuery(equityOptions(range, subaccount));

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = createThemedChart(element, {
      localization: { priceFormatter: (value: number) => `$${value.toFixed(2)}` },
    });
    const series = chart.addSeries(AreaSeries, {
      lineColor: "#60a5fa",
      topColor: "rgba(96,165,250,0.3)",
      bottomColor: "rgba(96,165,250,0.02)",
      lineWidth: 2,
      lineType: 1, // steps: the value holds between snapshots
    });
    chartRef.current = chart;
    seriesRef.current = series;
    markersRef.current = createSeriesMarkers(series, []);
    return () => {
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
      markersRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (!equity.data || !seriesRef.current) return;
    const { data, markers } = toSeries(equity.data.points);
    seriesRef.current.setData(data);
    markersRef.current?.setMarkers(markers);
    chartRef.current?.timeScale().fitContent();
  }, [equity.data]);

  const points = equity.data?.points.length ?? 0;
  return (
    <section aria-label="Equity curve" className="rounded-lg border border-line bg-panel">
      <div className="flex items-center gap-2 border-b border-line px-3 py-2 text-sm">
        <h2 className="font-semibold">Equity</h2>
        <span className="text-xs text-ink-muted" data-testid="equity-points">
          {points} {points === 1 ? "snapshot" : "snapshots"}
        </span>
        <div role="group" aria-label="Range" className="ml-auto flex gap-1">
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => onRange(r)}
              className={`rounded px-2 py-0.5 text-xs ${r === range ? "bg-accent/20 text-accent" : "text-ink-muted hover:text-ink"}`}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      <div className="relative h-56">
        <div ref={container} className="absolute inset-0" />
        {equity.isSuccess && points === 0 ? (
          <p className="absolute inset-0 flex items-center justify-center text-sm text-ink-muted">
            The server records the first snapshot within minutes of your first visit.
          </p>
        ) : null}
      </div>
    </section>
  );
}
