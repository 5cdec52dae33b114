import { createHash } from "node:crypto";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";

import { MarketDetail } from "@/components/markets/market-detail";
import { DetailPageSkeleton } from "@/components/ui/skeleton";
import { seriesOfTicker } from "@/lib/queries/browse-filters";
import { eventOptions, marketOptions, seriesOptions, tradesOptions } from "@/lib/queries/markets";
import { makeQueryClient } from "@/lib/queries/query-client";
import { Ticker } from "@/lib/schemas/common";
import type { Market } from "@/lib/schemas/market";
import { getPageSession } from "@/server/auth/page-session";
import { getMarketAnyTier } from "@/server/browse/get-market";
import { listCredentials } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";
import { isKalshiError } from "@/server/kalshi/errors";
import { marketData } from "@/server/market-data/registry";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ ticker: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { ticker } = await params;
  return { title: decodeURIComponent(ticker) };
}

// GET /markets/{ticker} – one market: rules, timeline, live quote, chart and trade tape; the trading screen when signed in with a key
export default async function MarketPage({ params }: Props) {
  const parsed = Ticker.safeParse(decodeURIComponent((await params).ticker));
  if (!parsed.success) notFound();
  // Decided before any Suspense boundary streams, so an unknown ticker is
  // answered with HTTP 404 (once streaming starts the status is fixed at 200).
  let market: Market;
  try {
    market = await getMarketAnyTier(parsed.data);
  } catch (error) {
    if (isKalshiError(error) && error.status === 404) notFound();
    throw error;
  }
  return (
    <Suspense fallback={<DetailPageSkeleton label="Loading market…" />}>
      <MarketWithContext market={market} />
    </Suspense>
  );
}

/** The market page with its event, series and recent trades prefetched for first paint. */
async function MarketWithContext({ market }: { market: Market }) {
  const kalshi = marketData();
  const queryClient = makeQueryClient();
  const ticker = market.ticker;
  const session = await getPageSession();
  // The trading screen needs a signed-in trader with an active Kalshi key; anyone else browses.
  const canTrade =
    session !== null &&
    (await listCredentials(await getDb(), session.userId)).some((credential) => credential.active);
  queryClient.setQueryData(marketOptions(ticker).queryKey, market);
  // Context for first paint; any of these failing only leaves a section to load client-side.
  await Promise.allSettled([
    queryClient.prefetchQuery({
      ...eventOptions(market.event_ticker),
      queryFn: () => kalshi.getEvent(market.event_ticker),
    }),
    queryClient.prefetchQuery({
      ...seriesOptions(seriesOfTicker(market.event_ticker)),
      queryFn: () => kalshi.getSeries(seriesOfTicker(market.event_ticker)),
    }),
    queryClient.prefetchQuery({
      ...tradesOptions(ticker),
      queryFn: () => kalshi.listTrades({ ticker, limit: 50 }),
    }),
  ]);

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <MarketDetail
        ticker={ticker}
        signedIn={session !== null}
        trader={canTrade && session ? { userKey: layoutKey(session.userId) } : null}
      />
    </HydrationBoundary>
  );
}

/** An opaque per-user key for the saved pane layout (the user id itself stays on the server). */
function layoutKey(userId: string): string {
  return createHash("sha256").update(`layout:${userId}`).digest("hex").slice(0, 16);
}
