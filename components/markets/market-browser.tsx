"use client";
/**
 * The market browser (/markets): text search, category / series drill-down,
 * status, closing-window and "has my position" filters, sort, and an
 * infinitely scrolling, virtualised table whose visible rows carry live
 * prices. Every filter lives in the URL (see lib/queries/browse-filters.ts);
 * the rows and their load state come from useMarketList, the table from
 * market-rows.tsx: this component only lays out the controls.
 */
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";

import { LazyWatchlistPanel } from "@/components/markets/lazy-watchlist-panel";
import { MarketRows } from "@/components/markets/market-rows";
import { SearchBox } from "@/components/markets/search-box";
import { AUTO_PAGE_LIMIT, useMarketList } from "@/components/markets/use-market-list";
import { Deferred } from "@/components/ui/deferred";
import {
  browseFiltersToParams,
  CLOSING_OPTIONS,
  parseBrowseFilters,
  SORT_LABELS,
  SORT_OPTIONS,
  STATUS_LABELS,
  STATUS_OPTIONS,
  type BrowseFilters,
} from "@/lib/queries/browse-filters";

function writeUrl(filters: BrowseFilters, q: string, mode: "push" | "replace") {
  const params = browseFiltersToParams(filters);
  if (q) params.set("q", q);
  const text = params.toString();
  const url = `${window.location.pathname}${text ? `?${text}` : ""}`;
  // Native history updates are picked up by useSearchParams without a server round trip.
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

export function MarketBrowser() {
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseBrowseFilters(searchParams), [searchParams]);
  const q = searchParams.get("q")?.trim() ?? "";
  const setFilters = (patch: Partial<BrowseFilters>) =>
    writeUrl({ ...filters, ...patch }, q, "push");

  const list = useMarketList(filters, q);
  const categories = useMemo(() => list.categories.map((c) => c.category), [list.categories]);

  return (
    <main className="mx-auto flex max-w-[1800px] flex-col gap-4 px-4 py-6 lg:flex-row lg:items-start">
      <div className="min-w-0 flex-1">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <h1 className="text-lg font-semibold tracking-tight">Markets</h1>
          <SearchBox
            initialQuery={q}
            onQueryChange={(text) => {
              if (text !== q) writeUrl(filters, text, "replace");
            }}
          />
        </div>

        <nav aria-label="Categories" className="mb-2 flex flex-wrap gap-1.5">
          <Chip
            active={!filters.category && !filters.series}
            onClick={() => setFilters({ category: undefined, series: undefined })}
          >
            All
          </Chip>
          {categories.map((category) => (
            <Chip
              key={category}
              active={filters.category === category}
              onClick={() => setFilters({ category, series: undefined })}
            >
              {category}
            </Chip>
          ))}
        </nav>
        {filters.category ? (
          <nav aria-label="Series" className="mb-2 flex flex-wrap gap-1.5">
            {list.series.map((s) => (
              <Chip
                key={s.ticker}
                active={filters.series === s.ticker}
                onClick={() =>
                  setFilters({ series: filters.series === s.ticker ? undefined : s.ticker })
                }
                title={(s.tags ?? []).join(", ")}
              >
                {s.title}
              </Chip>
            ))}
          </nav>
        ) : null}
        {filters.series ? (
          <LazySeriesEvents
            series={filters.series}
            onClear={() => setFilters({ series: undefined })}
          />
        ) : null}

        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
          <Select
            label="Status"
            value={filters.status}
            options={STATUS_OPTIONS.map((value) => [value, STATUS_LABELS[value]])}
            onChange={(status) => setFilters({ status: status as BrowseFilters["status"] })}
          />
          <Select
            label="Closing within"
            value={filters.closing ?? ""}
            options={[
              ["", "Any time"],
              ...Object.keys(CLOSING_OPTIONS).map((key) => [key, key] as [string, string]),
            ]}
            onChange={(closing) =>
              setFilters({ closing: (closing || undefined) as BrowseFilters["closing"] })
            }
          />
          <Select
            label="Sort by"
            value={filters.sort}
            options={SORT_OPTIONS.map((value) => [value, SORT_LABELS[value]])}
            onChange={(sort) => setFilters({ sort: sort as BrowseFilters["sort"] })}
          />
          <label className="flex items-center gap-1.5 text-ink-muted">
            <input
              type="checkbox"
              checked={filters.mine}
              onChange={(event) => setFilters({ mine: event.target.checked })}
              className="accent-accent"
            />
            Has my position
          </label>
          <p role="status" aria-live="polite" className="ml-auto text-xs text-ink-muted">
            {list.loading
              ? "Loading…"
              : q
                ? `${list.rows.length} of ${list.fetchedCount} matching markets`
                : `Fetched ${list.fetchedCount} so far${list.hasMore ? "" : " (all)"} · ${list.rows.length} shown`}
          </p>
        </div>
        {list.positionsUnavailable ? (
          <p className="mb-2 text-sm text-warn">
            Sign in with a Kalshi key to filter by your positions.
          </p>
        ) : null}

        <MarketRows
          rows={list.rows}
          loading={list.loading}
          loadError={list.loadError}
          moreError={list.moreError}
          onRetry={list.retry}
          onNearEnd={list.fetchMore}
          fetchingMore={list.fetchingMore}
        />
        {list.hasMore && list.pages >= AUTO_PAGE_LIMIT && !list.fetchingMore && !list.moreError ? (
          <button
            type="button"
            onClick={list.fetchMore}
            className="mt-2 text-sm text-accent hover:underline"
          >
            Load more
          </button>
        ) : null}
      </div>
      <LazyWatchlistPanel className="w-full shrink-0 lg:sticky lg:top-4 lg:w-72" />
    </main>
  );
}

/** Loaded on demand: the drill-down only shows once a series is chosen. */
const loadSeriesEvents = () =>
  import("@/components/markets/series-events").then((module) => module.SeriesEvents);

function LazySeriesEvents(props: { series: string; onClear: () => void }) {
  return (
    <Deferred
      load={loadSeriesEvents}
      what="series events"
      props={props}
      fallback={<p className="mb-3 text-xs text-ink-faint">Loading events…</p>}
    />
  );
}

function Chip({
  active,
  onClick,
  children,
  title,
}: {
  active: boolean;
  onClick: () => void;
  children: React.ReactNode;
  title?: string;
}) {
  return (
    <button
      type="button"
      aria-pressed={active}
      onClick={onClick}
      title={title}
      className={`rounded-full border px-2.5 py-0.5 text-xs ${
        active
          ? "border-accent bg-accent/15 text-accent"
          : "border-line text-ink-muted hover:text-ink"
      }`}
    >
      {children}
    </button>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: Array<[string, string]>;
  onChange: (value: string) => void;
}) {
  return (
    <label className="flex items-center gap-1.5 text-ink-muted">
      <span className="text-xs">{label}</span>
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-md border border-line bg-panel px-2 py-1 text-sm text-ink focus:border-accent focus:outline-none"
      >
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
