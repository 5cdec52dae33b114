"use client";
/**
 * The market browser (/markets): text search, category / series drill-down,
 * status, closing-window and "has my position" filters, sort, and an
 * infinitely scrolling, virtualised table whose visible rows carry live
 * prices. Every filter lives in the URL (see lib/queries/browse-filters.ts).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { CloseTimeCell, QuoteCells, QuoteHeaderCells } from "@/components/markets/quote-cells";
import { SearchBox } from "@/components/markets/search-box";
import { isLiveStatus, useLiveQuote } from "@/components/markets/use-live-quote";
import { LazyWatchlistPanel } from "@/components/markets/lazy-watchlist-panel";
import { WatchButton } from "@/components/markets/watch-button";
import { LazyVirtualRows } from "@/components/ui/lazy-virtual-rows";
import { Deferred } from "@/components/ui/deferred";
import { formatCount } from "@/lib/format";
import {
  applyBrowseFilters,
  browseFiltersToParams,
  CLOSING_OPTIONS,
  parseBrowseFilters,
  SORT_LABELS,
  SORT_OPTIONS,
  STATUS_OPTIONS,
  type BrowseFilters,
} from "@/lib/queries/browse-filters";
import {
  marketListOptions,
  marketsByTickersOptions,
  searchMarketsOptions,
  seriesListOptions,
} from "@/lib/queries/markets";
import { positionTickersOptions } from "@/lib/queries/portfolio";
import type { Market } from "@/lib/schemas/market";

/** Pages fetched automatically while filters leave fewer rows than a screen. */
const AUTO_PAGE_LIMIT = 20;
const ROW_HEIGHT = 49;

const statusLabels: Record<(typeof STATUS_OPTIONS)[number], string> = {
  open: "Open",
  unopened: "Upcoming",
  closed: "Closed",
  settled: "Settled",
  all: "Any status",
};

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

  const series = useQuery(seriesListOptions());
  const categoryOfSeries = useMemo(
    () => new Map((series.data?.series ?? []).map((s) => [s.ticker, s.category])),
    [series.data],
  );
  const categories = useMemo(
    () => [...new Set((series.data?.series ?? []).map((s) => s.category))].sort(),
    [series.data],
  );
  const positions = useQuery({ ...positionTickersOptions(), enabled: filters.mine });

  // Either the paged list, or (with text) the search's market hits with their quotes.
  const list = useInfiniteQuery({ ...marketListOptions(filters), enabled: q === "" });
  const hits = useQuery(searchMarketsOptions(q));
  const hitTickers = useMemo(() => hits.data?.hits.map((hit) => hit.ticker) ?? [], [hits.data]);
  const hitMarkets = useQuery({
    ...marketsByTickersOptions(hitTickers),
    enabled: q !== "" && hitTickers.length > 0,
  });

  const fetched: Market[] = useMemo(
    () => (q ? (hitMarkets.data ?? []) : (list.data?.pages.flatMap((page) => page.markets) ?? [])),
    [q, hitMarkets.data, list.data],
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const rows = useMemo(
    () =>
      applyBrowseFilters(q ? fetched.filter((m) => statusMatches(m, filters)) : fetched, filters, {
        now,
        categoryOfSeries,
        positions: positions.data ? new Set(positions.data) : undefined,
      }),
    [q, fetched, filters, now, categoryOfSeries, positions.data],
  );

  const hasMore = q === "" && list.hasNextPage;
  const loading = q
    ? hits.isPending || (hitTickers.length > 0 && hitMarkets.isPending)
    : list.isPending;
  const pages = list.data?.pages.length ?? 0;
  const fetchMore = useCallback(() => {
    if (hasMore && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [hasMore, list]);
  // Filters applied here can leave a short list while more pages exist: keep loading a few.
  useEffect(() => {
    if (rows.length < 30 && hasMore && pages < AUTO_PAGE_LIMIT) fetchMore();
  }, [rows.length, hasMore, pages, fetchMore]);

  return (
    <div className="mx-auto flex max-w-[1800px] flex-col gap-4 px-4 py-6 lg:flex-row lg:items-start">
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
            {(series.data?.series ?? [])
              .filter((s) => s.category === filters.category)
              .map((s) => (
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
            options={STATUS_OPTIONS.map((value) => [value, statusLabels[value]])}
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
            {loading
              ? "Loading…"
              : q
                ? `${rows.length} of ${fetched.length} matching markets`
                : `Fetched ${fetched.length} so far${hasMore ? "" : " (all)"} · ${rows.length} shown`}
          </p>
        </div>
        {filters.mine && positions.data === null ? (
          <p className="mb-2 text-sm text-warn">
            Sign in with a Kalshi key to filter by your positions.
          </p>
        ) : null}

        <MarketRows
          rows={rows}
          loading={loading}
          error={q ? hits.isError || hitMarkets.isError : list.isError}
          onRetry={() => void (q ? hits.refetch() : list.refetch())}
          onNearEnd={fetchMore}
          fetchingMore={list.isFetchingNextPage}
        />
        {hasMore && pages >= AUTO_PAGE_LIMIT && !list.isFetchingNextPage ? (
          <button
            type="button"
            onClick={fetchMore}
            className="mt-2 text-sm text-accent hover:underline"
          >
            Load more
          </button>
        ) : null}
      </div>
      <LazyWatchlistPanel className="w-full shrink-0 lg:sticky lg:top-4 lg:w-72" />
    </div>
  );
}

function statusMatches(market: Market, filters: BrowseFilters): boolean {
  switch (filters.status) {
    case "all":
      return true;
    case "open":
      return market.status === "active" || market.status === "open";
    case "unopened":
      return market.status === "initialized" || market.status === "unopened";
    case "closed":
      return (
        market.status === "closed" ||
        market.status === "determined" ||
        market.status === "disputed" ||
        market.status === "amended"
      );
    case "settled":
      return market.status === "finalized" || market.status === "settled";
    default: {
      const exhaustive: never = filters.status;
      return exhaustive;
    }
  }
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

const headerCell = "px-2 py-2 font-medium text-ink-muted";

function MarketRows({
  rows,
  loading,
  error,
  onRetry,
  onNearEnd,
  fetchingMore,
}: {
  rows: Market[];
  loading: boolean;
  error: boolean;
  onRetry: () => void;
  onNearEnd: () => void;
  fetchingMore: boolean;
}) {
  const tableRef = useRef<HTMLTableElement>(null);
  const renderRow = useCallback(
    (index: number) => {
      const market = rows[index];
      return market ? <MarketRow key={market.ticker} market={market} /> : null;
    },
    [rows],
  );

  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table ref={tableRef} className="w-full border-collapse text-sm">
        <caption className="sr-only">Markets</caption>
        <thead className="border-b border-line bg-panel-raised text-left text-xs tracking-wide uppercase">
          <tr>
            <th scope="col" className={`${headerCell} w-6`}>
              <span className="sr-only">Watch</span>
            </th>
            <th scope="col" className={headerCell}>
              Market
            </th>
            <QuoteHeaderCells headerCell={headerCell} />
            <th scope="col" className={`${headerCell} hidden text-right lg:table-cell`}>
              Open int.
            </th>
            <th scope="col" className={`${headerCell} hidden text-right md:table-cell`}>
              Closes
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line/60">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={9} className="px-3 py-8 text-center text-ink-muted">
                {error ? (
                  <>
                    Could not load markets.{" "}
                    <button type="button" onClick={onRetry} className="text-accent hover:underline">
                      Retry
                    </button>
                  </>
                ) : loading || fetchingMore ? (
                  "Loading markets…"
                ) : (
                  "No markets match these filters."
                )}
              </td>
            </tr>
          ) : (
            <LazyVirtualRows
              count={rows.length}
              rowHeight={ROW_HEIGHT}
              tableRef={tableRef}
              colSpan={9}
              renderRow={renderRow}
              onNearEnd={onNearEnd}
            />
          )}
        </tbody>
      </table>
      {fetchingMore ? (
        <p className="px-3 py-2 text-center text-xs text-ink-muted">Loading more…</p>
      ) : null}
    </div>
  );
}

const numberCell = "px-2 py-1.5 text-right font-mono tabular-nums whitespace-nowrap";

function MarketRow({ market }: { market: Market }) {
  const live = isLiveStatus(market.status);
  const quote = useLiveQuote(market, live);
  const stale = quote.freshness === "stale";
  return (
    <tr
      style={{ height: ROW_HEIGHT }}
      data-ticker={market.ticker}
      className={`hover:bg-panel-raised/70 ${stale ? "opacity-60" : ""}`}
      title={stale ? "Prices may be stale: the live stream is reconnecting" : undefined}
    >
      <td className="px-2">
        <WatchButton ticker={market.ticker} />
      </td>
      <th
        scope="row"
        className="max-w-[11rem] px-2 py-1 text-left font-normal leading-tight sm:max-w-md"
      >
        <Link
          href={`/markets/${encodeURIComponent(market.ticker)}`}
          className="block truncate text-ink hover:text-accent"
          title={market.title}
        >
          {market.title}
        </Link>
        <span className="block truncate text-xs text-ink-muted">
          <Link
            href={`/events/${encodeURIComponent(market.event_ticker)}`}
            className="font-mono text-ink-faint hover:text-accent"
          >
            {market.ticker}
          </Link>
          {market.yes_sub_title ? ` · ${market.yes_sub_title}` : ""}
          {!live ? ` · ${market.status}` : ""}
        </span>
      </th>
      <QuoteCells quote={quote} numberCell={numberCell} />
      <td className={`${numberCell} hidden text-ink-muted lg:table-cell`}>
        {formatCount(quote.openInterest)}
      </td>
      <CloseTimeCell closeTime={market.close_time} padding="px-2 py-1.5" />
    </tr>
  );
}
