"use client";
/**
 * The numbers a trader reads first: cash, positions value at live marks,
 * total, today's change (P&L only: transfers are taken out), realised and
 * unrealised P&L, exposure (max loss), the time of the last update and a
 * stale marker when a stream is down. Re-computed at most four times a second
 * however fast the marks move.
 */
import { useEffect, useState } from "react";

import { changeSince, positionFigures, summarise } from "@/lib/portfolio/figures";
import { formatCentsUsd, formatUsd, pnlTone } from "@/lib/portfolio/format-money";
import type { EquitySnapshotView } from "@/lib/schemas/portfolio-history";

import type { MarkStore } from "./mark-store";
import type { PortfolioData } from "./use-portfolio";

const SUMMARY_MS = 250;

/**
 * The store's version, taken at most every SUMMARY_MS: a change starts a
 * timer and the component renders when it fires, never once per frame (with
 * 500 positions a render re-figures every one of them).
 */
function useThrottledVersion(store: MarkStore): number {
  const [shown, setShown] = useState(() => store.getVersion());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onChange = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setShown(store.getVersion());
      }, SUMMARY_MS);
    };
    const unsubscribe = store.subscribeAny(onChange);
    // A change between the first render and this subscription is not lost.
    onChange();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store]);
  return shown;
}

function startOfUtcDay(now: number): number {
  return Math.floor(now / 86_400_000) * 86_400_000;
}

export function PortfolioSummary({
  data,
  store,
  equity,
}: {
  data: PortfolioData;
  store: MarkStore;
  equity: readonly EquitySnapshotView[] | undefined;
}) {
  useThrottledVersion(store);
  const cashCents = data.scoped.reduce((sum, s) => sum + s.balance_cents, 0);
  const rows = data.rows.map((row) =>
    positionFigures(row.position, store.get(row.position.ticker)?.yes ?? null),
  );
  const summary = summarise(cashCents, rows);
  const totalCents = Math.trunc(summary.total / 10_000);
  const today = equity ? changeSince(equity, startOfUtcDay(data.updatedAt), totalCents) : null;
  const updated = data.updatedAt ? new Date(data.updatedAt).toISOString().slice(11, 19) : "—";

  const items: Array<{ label: string; value: string; tone?: string; hint?: string }> = [
    { label: "Cash", value: formatUsd(summary.cash) },
    {
      label: "Positions value",
      value: formatUsd(summary.positionsValue),
      hint: summary.unmarked ? `${summary.unmarked} without a price, at cost` : "at live marks",
    },
    { label: "Total", value: formatUsd(summary.total) },
    {
      label: "Today",
      value: today === null ? "—" : formatCentsUsd(today, { signed: true }),
      tone: pnlTone(today),
      hint: "since 00:00 UTC, transfers excluded",
    },
    {
      label: "Unrealised P&L",
      value: formatUsd(summary.unrealised, { signed: true }),
      tone: pnlTone(summary.unrealised),
    },
    {
      label: "Realised P&L",
      value: formatUsd(summary.realised, { signed: true }),
      tone: pnlTone(summary.realised),
    },
    { label: "Fees paid", value: formatUsd(summary.fees) },
    {
      label: "Exposure (max loss)",
      value: formatUsd(summary.exposure),
      hint: `${summary.openPositions} open`,
    },
  ];

  return (
    <section aria-label="Summary" className="rounded-lg border border-line bg-panel">
      <div className="flex items-center gap-2 border-b border-line px-3 py-2 text-xs text-ink-muted">
        <h2 className="text-sm font-semibold text-ink">Summary</h2>
        <span className="ml-auto" data-testid="updated-at">
          Updated {updated} UTC
        </span>
        {data.stale ? (
          <span
            role="status"
            className="rounded-full border border-warn/40 bg-warn/10 px-2 py-0.5 text-warn"
          >
            Stale: live stream down
          </span>
        ) : (
          <span className="rounded-full border border-yes/30 bg-yes/10 px-2 py-0.5 text-yes">
            Live
          </span>
        )}
      </div>
      <dl className="grid grid-cols-2 gap-px bg-line/60 sm:grid-cols-4">
        {items.map((item) => (
          <div key={item.label} className="bg-panel px-3 py-2">
            <dt className="text-xs text-ink-muted">{item.label}</dt>
            {/* A fixed-height box laid out on its own: a new figure relayouts it, not the page. */}
            <dd
              className={`h-7 font-mono text-lg whitespace-nowrap tabular-nums [contain:size_layout_style] ${item.tone ?? ""}`}
              data-figure={item.label}
            >
              {item.value}
            </dd>
            {item.hint ? <dd className="text-[11px] text-ink-faint">{item.hint}</dd> : null}
          </div>
        ))}
      </dl>
    </section>
  );
}
