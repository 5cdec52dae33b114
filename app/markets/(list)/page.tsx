import { dehydrate, HydrationBoundary, type QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";

import { MarketBrowser } from "@/components/markets/market-browser";
import { PageSkeleton } from "@/components/ui/skeleton";
import {
  parseBrowseFilters,
  recordToParams,
  upstreamMarketQuery,
} from "@/lib/queries/browse-filters";
import {
  MARKET_PAGE_SIZE,
  marketListOptions,
  marketsByTickersOptions,
  searchMarketsOptions,
  seriesListOptions,
} from "@/lib/queries/markets";
import { makeQueryClient } from "@/lib/queries/query-client";
import type { Market } from "@/lib/schemas/market";
import { kalshiRestBaseUrl } from "@/server/config";
import { publicMarketData } from "@/server/kalshi/market-data";
import { search } from "@/server/search/search-index";

export const metadata: Metadata = { title: "Markets" };
// Quotes move constantly; never serve a cached render.
export const dynamic = "force-dynamic";

// GET /markets – browse and search every market; filters and sort live in the URL
export default async function MarketsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = recordToParams(await searchParams);
  const filters = parseBrowseFilters(params);
  const q = params.get("q")?.trim() ?? "";
  const kalshi = publicMarketData();
  const queryClient = makeQueryClient();
  // Same keys as the client's queries, answered straight from server/kalshi (no HTTP hop).
  await Promise.all([
    queryClient.prefetchQuery({ ...seriesListOptions(), queryFn: () => kalshi.listSeries() }),
    q
      ? prefetchSearch(queryClient, q)
      : queryClient.prefetchInfiniteQuery({
          ...marketListOptions(filters),
          queryFn: () =>
            kalshi.listMarkets({ ...upstreamMarketQuery(filters), limit: MARKET_PAGE_SIZE }),
        }),
  ]);

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      {/* useSearchParams needs a boundary; the skeleton only shows if hydration suspends. */}
      <Suspense fallback={<PageSkeleton label="Loading markets…" />}>
        <MarketBrowser />
      </Suspense>
    </HydrationBoundary>
  );
}

/** The search's market hits and their quotes, under the keys the browser will ask for. */
async function prefetchSearch(queryClient: QueryClient, q: string): Promise<void> {
  const kalshi = publicMarketData();
  const answer = await search(kalshiRestBaseUrl(), kalshi, { q, limit: 50, kind: "market" });
  queryClient.setQueryData(searchMarketsOptions(q).queryKey, answer);
  const tickers = answer.hits.map((hit) => hit.ticker);
  if (tickers.length === 0) return;
  const { markets } = await kalshi.listMarkets({
    tickers: tickers.join(","),
    limit: tickers.length,
  });
  const byTicker = new Map(markets.map((market) => [market.ticker, market]));
  const ordered = tickers.flatMap((ticker): Market[] => {
    const market = byTicker.get(ticker);
    return market ? [market] : [];
  });
  queryClient.setQueryData(marketsByTickersOptions(tickers).queryKey, ordered);
}
