"use client";
/**
 * The equity curve's drawing (lightweight-charts): a step line of cash +
 * positions value, with each transfer marked so its step is not read as
 * P&L. Mounted only when there is at least one snapshot (equity-chart.tsx),
 * and loaded as its own chunk then.
 */
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
import type { EquitySnapshotView } from "@/lib/schemas/portfolio-history";

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

export default function EquityCanvas({ points }: { points: readonly EquitySnapshotView[] }) {
  const container = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<"Area"> | null>(null);
  const markersRef = useRef<ISeriesMarkersPluginApi<Time> | null>(null);

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
    if (!seriesRef.current) return;
    const { data, markers } = toSeries(points);
    seriesRef.current.setData(data);
    markersRef.current?.setMarkers(markers);
    chartRef.current?.timeScale().fitContent();
  }, [points]);

  return <div ref={container} className="absolute inset-0" data-testid="equity-canvas" />;
}
