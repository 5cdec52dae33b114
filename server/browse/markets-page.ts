/**
 * What the /markets page puts in its HTML for the browser to hydrate: the
 * category chips, the chosen category's series chips, and the first page of
 * rows (or the search's hits and their rows), under the same query keys and
 * in the same slim shape as the list routes answer (server/market-data/slim.ts).
 * All of it comes from the market-data service's memory: no upstream call.
 *
 * Budget: under 30 kB of dehydrated data (FIRST_PAGE_SIZE rows of row fields;
 * asserted by app/api/market-data-routes.test.ts).
 */
import type { QueryClient } from "@tanstack/react-query";

import type { BrowseFilters } from "@/lib/queries/browse-filters";
import {
  categoriesOptions,
  marketListOptions,
  marketPageQuery,
  marketsByTickersOptions,
  searchMarketsOptions,
  seriesOfCategoryOptions,
} from "@/lib/queries/markets";
import type { Market } from "@/lib/schemas/market";
import { kalshiRestBaseUrl } from "@/server/config";
import { publicMarketData } from "@/server/kalshi/market-data";
import { marketData } from "@/server/market-data/registry";
import { slimMarket, slimMarketList, slimSeries } from "@/server/market-data/slim";
import { search } from "@/server/search/search-index";

export async function prefetchMarketsPage(
  queryClient: QueryClient,
  filters: BrowseFilters,
  q: string,
): Promise<void> {
  const md = marketData();
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
}

/** The search's market hits and their rows, under the keys the browser will ask for. */
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
