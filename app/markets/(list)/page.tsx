import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";

import { MarketBrowser } from "@/components/markets/market-browser";
import { PageSkeleton } from "@/components/ui/skeleton";
import { parseBrowseFilters, recordToParams } from "@/lib/queries/browse-filters";
import { makeQueryClient } from "@/lib/queries/query-client";
import { prefetchMarketsPage } from "@/server/browse/markets-page";

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
  const queryClient = makeQueryClient();
  // Same keys and slim answers as the client's queries, from the market-data service's memory.
  await prefetchMarketsPage(queryClient, parseBrowseFilters(params), params.get("q")?.trim() ?? "");

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      {/* useSearchParams needs a boundary; the skeleton only shows if hydration suspends. */}
      <Suspense fallback={<PageSkeleton label="Loading markets…" />}>
        <MarketBrowser />
      </Suspense>
    </HydrationBoundary>
  );
}
