"use client";
/**
 * The account's history as four tabs (fills, orders, settlements, transfers),
 * filtered by market, time range and subaccount, scrolling as one list from
 * the live endpoints into the historical tier (the BFF's cursor carries the
 * tier), with a CSV export of exactly what is filtered.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState, type ReactNode } from "react";

import { parseDollars } from "@/lib/fixed-point";
import { formatCentsUsd, formatUsd } from "@/lib/portfolio/format-money";
import { historyRows } from "@/lib/portfolio/history-rows";
import { formatCount, formatDateTime } from "@/lib/format";
import { apiPath } from "@/lib/queries/fetch-api";
import { historyOptions, type HistoryFilters } from "@/lib/queries/portfolio-screen";
import type { Order } from "@/lib/schemas/order";
import type { Fill, Settlement } from "@/lib/schemas/portfolio";
import type { HistoryKind } from "@/lib/schemas/portfolio-history";
import type { SubaccountOverviewRow, SubaccountTransfer } from "@/lib/schemas/subaccount";

import { ScrollRows } from "./scroll-rows";

const TABS: Array<{ kind: HistoryKind; label: string }> = [
  { kind: "fills", label: "Fills" },
  { kind: "orders", label: "Orders" },
  { kind: "settlements", label: "Settlements" },
  { kind: "transfers", label: "Transfers" },
];

const RANGES = [
  { value: "all", label: "All time", seconds: null },
  { value: "1d", label: "24 hours", seconds: 86_400 },
  { value: "7d", label: "7 days", seconds: 7 * 86_400 },
  { value: "30d", label: "30 days", seconds: 30 * 86_400 },
] as const;

const ROW_HEIGHT = 34;
const cell = "px-2 whitespace-nowrap";
const num = `${cell} text-right font-mono tabular-nums`;

const subLabel = (n: number | null | undefined) => (n ? `Sub ${n}` : "Primary");
const money = (dollars: string) => formatUsd(parseDollars(dollars, { signed: true }));

const HEADERS: Record<HistoryKind, string[]> = {
  fills: ["Time", "Market", "Account", "Action", "Price", "Contracts", "Fee", "Role"],
  orders: ["Created", "Market", "Account", "Action", "Price", "Filled", "Status", "Fees"],
  settlements: ["Settled", "Market", "Result", "YES", "NO", "Cost", "Payout", "Fees"],
  transfers: ["Time", "From", "To", "Amount"],
};

function rowCells(kind: HistoryKind, item: unknown): ReactNode {
  switch (kind) {
    case "fills": {
      const f = item as Fill;
      return (
        <>
          <td className={cell}>{formatDateTime(f.created_time)}</td>
          <td className={`${cell} font-mono text-xs`}>{f.ticker}</td>
          <td className={cell}>{subLabel(f.subaccount_number)}</td>
          <td className={f.book_side === "bid" ? `${cell} text-yes` : `${cell} text-no`}>
            {f.book_side === "bid" ? "Buy YES" : "Sell YES"}
          </td>
          <td className={num}>{money(f.yes_price_dollars)}</td>
          <td className={num}>{formatCount(f.count_fp)}</td>
          <td className={num}>{money(f.fee_cost)}</td>
          <td className={cell}>{f.is_taker ? "Taker" : "Maker"}</td>
        </>
      );
    }
    case "orders": {
      const o = item as Order;
      const fees = parseDollars(o.taker_fees_dollars) + parseDollars(o.maker_fees_dollars);
      return (
        <>
          <td className={cell}>{formatDateTime(o.created_time)}</td>
          <td className={`${cell} font-mono text-xs`}>{o.ticker}</td>
          <td className={cell}>{subLabel(o.subaccount_number)}</td>
          <td className={o.book_side === "bid" ? `${cell} text-yes` : `${cell} text-no`}>
            {o.book_side === "bid" ? "Buy YES" : "Sell YES"}
          </td>
          <td className={num}>{money(o.yes_price_dollars)}</td>
          <td className={num}>
            {formatCount(o.fill_count_fp)} / {formatCount(o.initial_count_fp)}
          </td>
          <td className={cell}>{o.status}</td>
          <td className={num}>{formatUsd(fees)}</td>
        </>
      );
    }
    case "settlements": {
      const s = item as Settlement;
      const cost = parseDollars(s.yes_total_cost_dollars) + parseDollars(s.no_total_cost_dollars);
      return (
        <>
          <td className={cell}>{formatDateTime(s.settled_time)}</td>
          <td className={`${cell} font-mono text-xs`}>{s.ticker}</td>
          <td className={`${cell} font-semibold uppercase`}>{s.market_result}</td>
          <td className={num}>{formatCount(s.yes_count_fp)}</td>
          <td className={num}>{formatCount(s.no_count_fp)}</td>
          <td className={num}>{formatUsd(cost)}</td>
          <td className={`${num} text-yes`} data-cell="payout">
            {formatCentsUsd(s.revenue)}
          </td>
          <td className={num}>{money(s.fee_cost)}</td>
        </>
      );
    }
    case "transfers": {
      const t = item as SubaccountTransfer;
      return (
        <>
          <td className={cell}>{formatDateTime(new Date(t.created_ts * 1000).toISOString())}</td>
          <td className={cell}>{subLabel(t.from_subaccount)}</td>
          <td className={cell}>{subLabel(t.to_subaccount)}</td>
          <td className={num}>{formatCentsUsd(t.amount_cents)}</td>
        </>
      );
    }
  }
}

export function HistoryTabs({
  scope,
  subaccounts,
}: {
  scope: number | null;
  subaccounts: SubaccountOverviewRow[];
}) {
  const [kind, setKind] = useState<HistoryKind>("fills");
  const [tickerInput, setTickerInput] = useState("");
  const [ticker, setTicker] = useState("");
  const [range, setRange] = useState<(typeof RANGES)[number]["value"]>("all");
  // Fixed when the range is chosen, so the query key stays put between renders.
  const [minTs, setMinTs] = useState<number | undefined>(undefined);
  const [sub, setSub] = useState<"scope" | "all" | number>("scope");
  const scrollRef = useRef<HTMLDivElement>(null);

  const subaccount = sub === "scope" ? scope : sub === "all" ? null : sub;
  const filters: HistoryFilters = {
    ticker: ticker || undefined,
    min_ts: minTs,
    subaccount: subaccount ?? undefined,
  };
  const query = useInfiniteQuery(historyOptions(kind, filters));

  // One list across both tiers, each record once (lib/portfolio/history-rows.ts).
  const items = useMemo(() => historyRows(kind, query.data?.pages ?? []), [query.data, kind]);

  const headers = HEADERS[kind];
  const exportHref = apiPath(`/api/portfolio/export/${kind}`, {
    ticker: filters.ticker,
    min_ts: filters.min_ts,
    subaccount: filters.subaccount,
  });

  return (
    <section aria-label="History" className="rounded-lg border border-line bg-panel">
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2 text-sm">
        <div role="tablist" aria-label="History" className="flex gap-1">
          {TABS.map((tab) => (
            <button
              key={tab.kind}
              role="tab"
              type="button"
              aria-selected={tab.kind === kind}
              onClick={() => setKind(tab.kind)}
              className={`rounded px-2 py-1 ${tab.kind === kind ? "bg-panel-raised text-ink" : "text-ink-muted hover:text-ink"}`}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <form
          className="flex min-w-0 flex-wrap items-center gap-2 sm:ml-auto"
          onSubmit={(e) => {
            e.preventDefault();
            setTicker(tickerInput.trim().toUpperCase());
          }}
        >
          <input
            type="search"
            value={tickerInput}
            onChange={(e) => {
              setTickerInput(e.target.value);
              if (e.target.value === "") setTicker("");
            }}
            placeholder="Market ticker"
            aria-label="Filter history by market"
            disabled={kind === "transfers"}
            className="w-40 min-w-0 rounded border border-line bg-surface px-2 py-1"
          />
          <select
            aria-label="Time range"
            value={range}
            onChange={(e) => {
              const next = e.target.value as typeof range;
              const seconds = RANGES.find((r) => r.value === next)?.seconds ?? null;
              setRange(next);
              setMinTs(seconds === null ? undefined : Math.floor(Date.now() / 1000) - seconds);
            }}
            className="rounded border border-line bg-surface px-2 py-1"
          >
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <select
            aria-label="History subaccount"
            value={String(sub)}
            onChange={(e) => {
              const v = e.target.value;
              setSub(v === "scope" || v === "all" ? v : Number(v));
            }}
            className="rounded border border-line bg-surface px-2 py-1"
          >
            <option value="scope">Current scope</option>
            <option value="all">All accounts</option>
            {subaccounts.map((s) => (
              <option key={s.subaccount_number} value={s.subaccount_number}>
                {subLabel(s.subaccount_number)}
              </option>
            ))}
          </select>
          <a
            href={exportHref}
            download
            className="rounded border border-line px-2 py-1 text-ink-muted hover:text-ink"
          >
            Export CSV
          </a>
        </form>
      </div>
      <div ref={scrollRef} className="max-h-[min(60vh,32rem)] overflow-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">{TABS.find((t) => t.kind === kind)?.label}</caption>
          <thead className="sticky top-0 z-10 border-b border-line bg-panel-raised text-left text-xs tracking-wide text-ink-muted uppercase">
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col" className="px-2 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-line/60">
            {query.isPending ? (
              <tr>
                <td
                  colSpan={headers.length}
                  className="px-3 py-6 text-center text-ink-muted"
                  role="status"
                >
                  Loading {kind}…
                </td>
              </tr>
            ) : query.isError ? (
              <tr>
                <td colSpan={headers.length} className="px-3 py-6 text-center text-no" role="alert">
                  {query.error.message}
                </td>
              </tr>
            ) : items.length === 0 ? (
              <tr>
                <td colSpan={headers.length} className="px-3 py-6 text-center text-ink-muted">
                  No {kind} for these filters.
                </td>
              </tr>
            ) : (
              <ScrollRows
                count={items.length}
                rowHeight={ROW_HEIGHT}
                scrollRef={scrollRef}
                colSpan={headers.length}
                onNearEnd={() => {
                  if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
                }}
                renderRow={(index) => {
                  const entry = items[index];
                  if (!entry) return null;
                  if (entry.type === "tier") {
                    return (
                      <tr
                        key={entry.key}
                        style={{ height: ROW_HEIGHT }}
                        className="bg-panel-raised/40"
                      >
                        <td colSpan={headers.length} className="px-2 text-xs text-ink-muted">
                          Older records: Kalshi&apos;s historical tier
                        </td>
                      </tr>
                    );
                  }
                  return (
                    <tr key={entry.key} style={{ height: ROW_HEIGHT }} data-kind={kind}>
                      {rowCells(kind, entry.item)}
                    </tr>
                  );
                }}
              />
            )}
          </tbody>
        </table>
      </div>
      {query.hasNextPage ? (
        <button
          type="button"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
          className="w-full border-t border-line py-2 text-xs text-ink-muted hover:text-ink"
        >
          {query.isFetchingNextPage ? "Loading more…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
