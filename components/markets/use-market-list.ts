/**
 * The market browser's rows: either the paged market list (filtered and
 * sorted by the server over every market; only "has my position" applies
 * here), or (with text) the search's market hits with their quotes, filtered
 * and sorted here (lib/queries/browse-filters.ts). Also says what is loading
 * and what failed, with one `retry` that re-runs exactly the requests that failed.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";

import {
  applyBrowseFilters,
  marketMatchesStatus,
  seriesOfTicker,
  type BrowseFilters,
} from "@/lib/queries/browse-filters";
import {
  categoriesOptions,
  marketListOptions,
  marketsByTickersOptions,
  searchMarketsOptions,
  seriesOfCategoryOptions,
  type CategoryCount,
} from "@/lib/queries/markets";
import { positionTickersOptions } from "@/lib/queries/portfolio";
import { useSignedIn } from "@/lib/queries/viewer";
import type { Market, Series } from "@/lib/schemas/market";

/** Pages fetched automatically while filters leave fewer rows than a screen. */
export const AUTO_PAGE_LIMIT = 20;
/** Fewer rows than this after filtering: fetch another page on our own. */
const SCREEN_ROWS = 30;

export interface MarketList {
  /** Rows after the browser's filters and sort. */
  rows: Market[];
  /** Markets fetched so far (before the browser's own filters). */
  fetchedCount: number;
  /** The first answer is not in yet. */
  loading: boolean;
  /** The paged list has more pages (never with a text query). */
  hasMore: boolean;
  /** Pages fetched so far. */
  pages: number;
  fetchingMore: boolean;
  /** Nothing could be loaded: what went wrong. */
  loadError: string | null;
  /** Rows are shown but the next page failed: what went wrong. */
  moreError: string | null;
  /** Fetches the next page (not while one is loading or after a failure: that needs `retry`). */
  fetchMore: () => void;
  /** Re-runs whatever failed: the list, the next page, or the search and its quotes. */
  retry: () => void;
  /** The category chips. */
  categories: CategoryCount[];
  /** The series chips of the chosen category. */
  series: Series[];
  /** "Has my position" is on but the trader has no Kalshi key (positions unknown). */
  positionsUnavailable: boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "The request failed.";
}

/** The rows and load state for `filters` and the text query `q` ("" for none). */
export function useMarketList(filters: BrowseFilters, q: string): MarketList {
  const categoriesQuery = useQuery(categoriesOptions());
  const categories = useMemo(() => categoriesQuery.data ?? [], [categoriesQuery.data]);
  const seriesQuery = useQuery(seriesOfCategoryOptions(filters.category ?? ""));
  const series = useMemo(
    () => (filters.category ? (seriesQuery.data ?? []) : []),
    [filters.category, seriesQuery.data],
  );
  // Signed out, nobody is asked (the route would only answer 401).
  const signedIn = useSignedIn();
  const positions = useQuery({ ...positionTickersOptions(), enabled: filters.mine && signedIn });

  const list = useInfiniteQuery({ ...marketListOptions(filters), enabled: q === "" });
  const hits = useQuery(searchMarketsOptions(q));
  const hitTickers = useMemo(() => hits.data?.hits.map((hit) => hit.ticker) ?? [], [hits.data]);
  const hitMarkets = useQuery({
    ...marketsByTickersOptions(hitTickers),
    enabled: q !== "" && hitTickers.length > 0,
  });

  const fetched: Market[] = useMemo(() => {
    if (q) return hitMarkets.data ?? [];
    // A row whose rank moved between two pages may come twice: keep its first place.
    const seen = new Set<string>();
    const out: Market[] = [];
    for (const page of list.data?.pages ?? [])
      for (const market of page.markets)
        if (!seen.has(market.ticker)) {
          seen.add(market.ticker);
          out.push(market);
        }
    return out;
  }, [q, hitMarkets.data, list.data]);
  // Search hits carry their category; the paged list is filtered by the server.
  const categoryOfSeries = useMemo(
    () =>
      new Map(
        (hits.data?.hits ?? []).map((hit) => [seriesOfTicker(hit.ticker), hit.category] as const),
      ),
    [hits.data],
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const rows = useMemo(() => {
    const held = positions.data ? new Set(positions.data) : undefined;
    if (!q) return filters.mine ? fetched.filter((m) => held?.has(m.ticker) ?? false) : fetched;
    return applyBrowseFilters(
      fetched.filter((m) => marketMatchesStatus(m, filters.status)),
      filters,
      { now, categoryOfSeries, positions: held },
    );
  }, [q, fetched, filters, now, categoryOfSeries, positions.data]);

  const hasMore = q === "" && list.hasNextPage;
  const loading = q
    ? hits.isPending || (hitTickers.length > 0 && hitMarkets.isPending)
    : list.isPending;
  const pages = list.data?.pages.length ?? 0;

  // A failed next page keeps the pages already shown; anything else means nothing to show.
  const moreFailed = q === "" && list.isFetchNextPageError;
  const loadFailure = q
    ? ((hits.isError ? hits.error : null) ?? (hitMarkets.isError ? hitMarkets.error : null))
    : list.isError && !moreFailed
      ? list.error
      : null;

  const { fetchNextPage, isFetchingNextPage, refetch: refetchList } = list;
  const fetchMore = useCallback(() => {
    if (hasMore && !isFetchingNextPage && !moreFailed) void fetchNextPage();
  }, [hasMore, isFetchingNextPage, moreFailed, fetchNextPage]);
  // Filters applied here can leave a short list while more pages exist: keep loading a few.
  useEffect(() => {
    if (rows.length < SCREEN_ROWS && hasMore && pages < AUTO_PAGE_LIMIT) fetchMore();
  }, [rows.length, hasMore, pages, fetchMore]);

  const { isError: hitsFailed, refetch: refetchHits } = hits;
  const { isError: hitMarketsFailed, refetch: refetchHitMarkets } = hitMarkets;
  const retry = useCallback(() => {
    if (q) {
      if (hitsFailed) void refetchHits();
      if (hitMarketsFailed) void refetchHitMarkets();
    } else if (moreFailed) {
      void fetchNextPage();
    } else {
      void refetchList();
    }
  }, [
    q,
    hitsFailed,
    hitMarketsFailed,
    moreFailed,
    refetchHits,
    refetchHitMarkets,
    fetchNextPage,
    refetchList,
  ]);

  return {
    rows,
    fetchedCount: fetched.length,
    loading,
    hasMore,
    pages,
    fetchingMore: isFetchingNextPage,
    loadError: loadFailure ? messageOf(loadFailure) : null,
    // While the retry runs, "Loading more…" says enough.
    moreError: moreFailed && !isFetchingNextPage ? messageOf(list.error) : null,
    fetchMore,
    retry,
    categories,
    series,
    positionsUnavailable: filters.mine && (!signedIn || positions.data === null),
  };
}
