"use client";
/**
 * The equity curve: the account's (or one subaccount's) cash + positions
 * value over 1D / 1W / 1M / all, from the server's own snapshots. Cash moved
 * in or out (transfers) is marked on the curve so a step from a transfer is
 * not read as P&L. Until the server holds a snapshot, the panel says so
 * (and offers to record one) instead of drawing an empty chart; the chart's
 * chunk (equity-canvas.tsx) loads only once there is something to draw.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";

import { Skeleton } from "@/components/ui/skeleton";
import { fetchApi } from "@/lib/queries/fetch-api";
import { portfolioKeys } from "@/lib/queries/portfolio";
import { equityOptions } from "@/lib/queries/portfolio-screen";
import type { EquityRange } from "@/lib/schemas/portfolio-history";

const EquityCanvas = dynamic(() => import("./equity-canvas"), {
  ssr: false,
  loading: () => <Skeleton className="absolute inset-0" />,
});

const RANGES: EquityRange[] = ["1D", "1W", "1M", "ALL"];

export function EquityChart({
  subaccount,
  range,
  onRange,
}: {
  subaccount: number | null;
  range: EquityRange;
  onRange: (range: EquityRange) => void;
}) {
  const equity = useQuery(equityOptions(range, subaccount));
  const queryClient = useQueryClient();
  const record = useMutation({
    mutationFn: () => fetchApi("/api/portfolio/equity", { json: { reason: "manual" } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...portfolioKeys.all, "equity"] }),
  });

  const points = equity.data?.points ?? [];
  return (
    <section aria-label="Equity curve" className="rounded-lg border border-line bg-panel">
      <div className="flex items-center gap-2 border-b border-line px-3 py-2 text-sm">
        <h2 className="font-semibold">Equity</h2>
        <span className="text-xs text-ink-muted" data-testid="equity-points">
          {points.length} {points.length === 1 ? "snapshot" : "snapshots"}
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
        {equity.isPending ? (
          <p
            role="status"
            className="absolute inset-0 flex items-center justify-center text-sm text-ink-muted"
          >
            Loading the equity record…
          </p>
        ) : equity.isError ? (
          <div
            role="alert"
            className="absolute inset-0 flex flex-col items-center justify-center gap-2 px-4 text-center text-sm text-ink-muted"
          >
            <p>
              The equity record could not be loaded.
              <span className="block text-xs">{equity.error.message}</span>
            </p>
            <button
              type="button"
              onClick={() => void equity.refetch()}
              className="rounded border border-line px-2 py-0.5 text-xs text-ink hover:border-accent hover:text-accent"
            >
              Retry
            </button>
          </div>
        ) : points.length === 0 ? (
          <div
            data-testid="equity-empty"
            className="absolute inset-0 flex flex-col items-center justify-center gap-2 px-6 text-center text-sm"
          >
            <p className="font-medium text-ink">No snapshot yet</p>
            <p className="max-w-md text-xs text-ink-muted">
              The curve is drawn from the server&apos;s own record of{" "}
              {subaccount === null
                ? "this account"
                : subaccount === 0
                  ? "the primary account"
                  : `subaccount ${subaccount}`}
              : it records cash and positions value at a fixed interval and after every fill,
              settlement or transfer. The first point appears with the first record.
            </p>
            <button
              type="button"
              disabled={record.isPending}
              onClick={() => record.mutate()}
              className="rounded border border-line px-2 py-0.5 text-xs text-ink hover:border-accent hover:text-accent disabled:opacity-50"
            >
              {record.isPending ? "Recording…" : "Record a snapshot now"}
            </button>
            {record.error ? (
              <p role="alert" className="text-xs text-no">
                {record.error.message}
              </p>
            ) : null}
          </div>
        ) : (
          <EquityCanvas points={points} />
        )}
      </div>
    </section>
  );
}
