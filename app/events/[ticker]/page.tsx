import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { EventView } from "@/components/markets/event-view";
import { eventOptions, seriesOptions } from "@/lib/queries/markets";
import { makeQueryClient } from "@/lib/queries/query-client";
import { Ticker } from "@/lib/schemas/common";
import { isKalshiError } from "@/server/kalshi/errors";
import { marketData } from "@/server/market-data/registry";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ ticker: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).ticker) };
}

// GET /events/{ticker} – every market of an event side by side, with one chart
export default async function EventPage({ params }: Props) {
  const parsed = Ticker.safeParse(decodeURIComponent((await params).ticker));
  if (!parsed.success) notFound();
  const ticker = parsed.data;
  const kalshi = marketData();
  const queryClient = makeQueryClient();
  let event;
  try {
    event = await kalshi.getEvent(ticker);
  } catch (error) {
    if (isKalshiError(error) && error.status === 404) notFound();
    throw error;
  }
  queryClient.setQueryData(eventOptions(ticker).queryKey, event);
  await queryClient
    .prefetchQuery({
      ...seriesOptions(event.event.series_ticker),
      queryFn: () => kalshi.getSeries(event.event.series_ticker),
    })
    .catch(() => undefined);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <EventView ticker={ticker} />
    </HydrationBoundary>
  );
}
