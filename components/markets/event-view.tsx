"use client";
/**
 * An event page: every market of the event side by side with live prices
 * (a multi-outcome event reads like a table of candidates, most likely
 * first) and one chart with a line per market.
 */
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMemo } from "react";

import { LINE_COLORS } from "@/components/chart/candles";
import { BidAskCells } from "@/components/markets/quote-cells";
import { SeriesBreadcrumb } from "@/components/markets/series-breadcrumb";
import { QuoteChange, QuotePrice } from "@/components/markets/quote-text";
import { isLiveStatus, useLiveQuote } from "@/components/markets/use-live-quote";
import { LazyWatchlistPanel } from "@/components/markets/lazy-watchlist-panel";
import { WatchButton } from "@/components/markets/watch-button";
import { LazyComboPicker } from "@/components/rfq/lazy-combo-picker";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCloseTime, formatCount, safeMicros } from "@/lib/format";
import { eventOptions, seriesOptions } from "@/lib/queries/markets";
import type { Market } from "@/lib/schemas/market";

const EventLinesChart = dynamic(() => import("@/components/chart/event-lines-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-80 w-full" />,
});

export function EventView({ ticker }: { ticker: string }) {
  const { data } = useSuspenseQuery(eventOptions(ticker));
  const { event } = data;
  const series = useQuery(seriesOptions(event.series_ticker));
  const markets = useMemo(() => {
    const list = data.markets.length > 0 ? data.markets : (event.markets ?? []);
    // Most likely outcome first: by last price, then by ticker.
    return [...list].sort(
      (a, b) =>
        (safeMicros(b.last_price_dollars) ?? 0) - (safeMicros(a.last_price_dollars) ?? 0) ||
        a.ticker.localeCompare(b.ticker),
    );
  }, [data.markets, event.markets]);

  return (
    <main className="mx-auto max-w-[1800px] px-4 py-6">
      <SeriesBreadcrumb seriesTicker={event.series_ticker} seriesTitle={series.data?.title} />
      <div className="mb-4 flex flex-wrap items-baseline gap-3">
        <h1 className="text-lg font-semibold tracking-tight">{event.title}</h1>
        {event.sub_title ? <span className="text-sm text-ink-muted">{event.sub_title}</span> : null}
        {event.mutually_exclusive ? <Badge tone="info">One outcome</Badge> : null}
        <span className="font-mono text-xs text-ink-faint">{event.event_ticker}</span>
      </div>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="flex min-w-0 flex-col gap-4">
          <div className="overflow-x-auto rounded-lg border border-line bg-panel">
            <table className="w-full border-collapse text-sm">
              <caption className="sr-only">Markets of this event</caption>
              <thead className="border-b border-line bg-panel-raised text-left text-xs tracking-wide text-ink-muted uppercase">
                <tr>
                  <th scope="col" className="w-6 px-2 py-2">
                    <span className="sr-only">Watch</span>
                  </th>
                  <th scope="col" className="px-2 py-2 font-medium">
                    Outcome
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Chance
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Yes bid
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Yes ask
                  </th>
                  <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">
                    Chg
                  </th>
                  <th scope="col" className="hidden px-2 py-2 text-right font-medium md:table-cell">
                    Volume
                  </th>
                  <th scope="col" className="hidden px-2 py-2 text-right font-medium md:table-cell">
                    Closes
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line/60">
                {markets.map((market, index) => (
                  <CandidateRow
                    key={market.ticker}
                    market={market}
                    color={LINE_COLORS[index % LINE_COLORS.length] ?? "#888"}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <LazyComboPicker
            eventTicker={event.event_ticker}
            markets={markets.map((m) => ({
              ticker: m.ticker,
              label: m.yes_sub_title || m.title,
              live: isLiveStatus(m.status),
            }))}
          />
          <EventLinesChart
            seriesTicker={event.series_ticker}
            lines={markets.slice(0, LINE_COLORS.length).map((market) => ({
              ticker: market.ticker,
              label: market.yes_sub_title || market.ticker,
              openTime: typeof market.open_time === "string" ? market.open_time : market.close_time,
              closeTime: market.close_time,
              live: isLiveStatus(market.status),
            }))}
          />
        </div>
        <LazyWatchlistPanel />
      </div>
    </main>
  );
}

const numberCell = "px-2 py-1.5 text-right font-mono tabular-nums whitespace-nowrap";

function CandidateRow({ market, color }: { market: Market; color: string }) {
  const live = isLiveStatus(market.status);
  const quote = useLiveQuote(market, live);
  const chance = safeMicros(quote.last);
  const percent = chance === undefined ? 0 : Math.round(chance / 10_000);
  return (
    <tr data-ticker={market.ticker} className={quote.freshness === "stale" ? "opacity-60" : ""}>
      <td className="px-2">
        <WatchButton ticker={market.ticker} />
      </td>
      <th scope="row" className="px-2 py-1.5 text-left font-normal">
        <span className="flex items-center gap-2">
          <span
            aria-hidden
            className="inline-block size-2 shrink-0 rounded-full"
            style={{ backgroundColor: color }}
          />
          <Link
            href={`/markets/${encodeURIComponent(market.ticker)}`}
            className="truncate hover:text-accent"
          >
            {market.yes_sub_title || market.title}
          </Link>
          {!live ? <span className="text-xs text-ink-faint">{market.status}</span> : null}
        </span>
      </th>
      <td className={numberCell}>
        <span className="inline-flex items-center gap-2">
          <span
            aria-hidden
            className="hidden h-1.5 w-16 overflow-hidden rounded bg-panel-raised sm:inline-block"
          >
            <span className="block h-full bg-accent" style={{ width: `${percent}%` }} />
          </span>
          <QuotePrice dollars={quote.last} kind="last" tone="text-ink" />
        </span>
      </td>
      <BidAskCells quote={quote} numberCell={numberCell} />
      <td className={`${numberCell} hidden sm:table-cell`}>
        <QuoteChange micros={quote.change} />
      </td>
      <td className={`${numberCell} hidden text-ink-muted md:table-cell`}>
        {formatCount(quote.volume)}
      </td>
      <td className="hidden px-2 py-1.5 text-right text-xs whitespace-nowrap text-ink-muted md:table-cell">
        {formatCloseTime(market.close_time)}
      </td>
    </tr>
  );
}
