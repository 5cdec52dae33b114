import { dehydrate, HydrationBoundary, type QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";

import { MarketBrowser } from "@/components/markets/market-browser";
import { PageSkeleton } from "@/components/ui/skeleton";
import { parseBrowseFilters, recordToParams } from "@/lib/queries/browse-filters";
import {
  categoriesOptions,
  marketListOptions,
  marketPageQuery,
  marketsByTickersOptions,
  searchMarketsOptions,
  seriesOfCategoryOptions,
} from "@/lib/queries/markets";
import { makeQueryClient } from "@/lib/queries/query-client";
import type { Market } from "@/lib/schemas/market";
import { kalshiRestBaseUrl } from "@/server/config";
import { publicMarketData } from "@/server/kalshi/market-data";
import { marketData } from "@/server/market-data/registry";
import { slimMarket, slimMarketList, slimSeries } from "@/server/market-data/slim";
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
  const md = marketData();
  const queryClient = makeQueryClient();
  // Same keys and answers as the client's queries (the list routes' slim rows), straight
  // from the market-data service: the in-memory universe, no HTTP hop, no upstream call.
  await Promise.all([
    queryClient.prefetchQuery({ ...categoriesOptions(), queryFn: () => md.categories() }),
    filters.category
      ? queryClient.prefetchQuery({
          ...seriesOfCategoryOptions(filters.category),
          queryFn: async () =>
            (await md.listSeries({ category: filters.category })).series.map(slimSeries),
        })
      : null,
    q
      ? prefetchSearch(queryClient, q)
      : queryClient.prefetchInfiniteQuery({
          ...marketListOptions(filters),
          queryFn: async () => slimMarketList(await md.listMarkets(marketPageQuery(filters, ""))),
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
  const md = marketData();
  const query = { q, limit: 50, kind: "market" as const };
  const answer =
    (await md.searchHeld(query)) ?? (await search(kalshiRestBaseUrl(), publicMarketData(), query));
  queryClient.setQueryData(searchMarketsOptions(q).queryKey, answer);
  const tickers = answer.hits.map((hit) => hit.ticker);
  if (tickers.length === 0) return;
  const { markets } = await md.listMarkets({ tickers: tickers.join(","), limit: tickers.length });
  const byTicker = new Map(markets.map((market) => [market.ticker, slimMarket(market)]));
  const ordered = tickers.flatMap((ticker): Market[] => {
    const market = byTicker.get(ticker);
    return market ? [market] : [];
  });
  queryClient.setQueryData(marketsByTickersOptions(tickers).queryKey, ordered);
}
