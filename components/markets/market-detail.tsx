"use client";
/**
 * A market page: what the contract is (title, rules, settlement source,
 * timeline, price grid), its live quote, the chart and the trade tape.
 * The chart is its own chunk, loaded after the page is interactive.
 */
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";

import { QuoteChange, QuotePrice } from "@/components/markets/quote-text";
import { SeriesBreadcrumb } from "@/components/markets/series-breadcrumb";
import { TradeTape } from "@/components/markets/trade-tape";
import { isLiveStatus, useLiveQuote } from "@/components/markets/use-live-quote";
import { LazyWatchlistPanel } from "@/components/markets/lazy-watchlist-panel";
import {
  SignInToTrade,
  TradingHeader,
  TradingScreenPlaceholder,
  marketStatusTone,
} from "@/components/markets/market-trading-header";
import { WatchButton } from "@/components/markets/watch-button";
import { Deferred } from "@/components/ui/deferred";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { EMPTY_VALUE, formatCount, formatDateTime, formatPriceCents } from "@/lib/format";
import { seriesOfTicker } from "@/lib/queries/browse-filters";
import { eventOptions, marketOptions, seriesOptions } from "@/lib/queries/markets";
import type { Market, Series } from "@/lib/schemas/market";

// The trading screen (ticket, ladder, blotters) is its own chunk, loaded after hydration and
// only for a signed-in trader with an active key: the signed-out first load never carries it.
const loadTradingScreen = () =>
  import("@/components/trading/trading-screen").then((module) => module.TradingScreen);

const CandleChart = dynamic(() => import("@/components/chart/candle-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-96 w-full" />,
});

/** Who may trade here: set when signed in with an active Kalshi key (page.tsx decides). */
export interface TraderAccess {
  /** Names the trader's saved layout; an opaque id. */
  userKey: string;
}

export function MarketDetail({
  ticker,
  trader = null,
  signedIn = false,
}: {
  ticker: string;
  trader?: TraderAccess | null;
  signedIn?: boolean;
}) {
  const { data: market } = useSuspenseQuery(marketOptions(ticker));
  const event = useQuery(eventOptions(market.event_ticker));
  const seriesTicker = event.data?.event.series_ticker ?? seriesOfTicker(market.event_ticker);
  const series = useQuery(seriesOptions(seriesTicker));
  const live = isLiveStatus(market.status);

  if (trader) {
    const header = (
      <TradingHeader
        market={market}
        live={live}
        seriesTicker={seriesTicker}
        seriesTitle={series.data?.title}
        eventTitle={event.data?.event.title}
      />
    );
    return (
      <Deferred
        load={loadTradingScreen}
        what="trading screen"
        props={{ market, seriesTicker, userKey: trader.userKey, header }}
        fallback={<TradingScreenPlaceholder header={header} />}
      />
    );
  }
  return (
    <BrowsingView
      market={market}
      live={live}
      seriesTicker={seriesTicker}
      series={series.data}
      eventTitle={event.data?.event.title}
      signedIn={signedIn}
    />
  );
}

function BrowsingView({
  market,
  live,
  seriesTicker,
  series,
  eventTitle,
  signedIn,
}: {
  market: Market;
  live: boolean;
  seriesTicker: string;
  series: Series | undefined;
  eventTitle: string | undefined;
  signedIn: boolean;
}) {
  const quote = useLiveQuote(market, live);
  return (
    <main className="mx-auto max-w-[1800px] px-4 py-6">
      <SeriesBreadcrumb seriesTicker={seriesTicker} seriesTitle={series?.title}>
        <span>/</span>
        <Link
          href={`/events/${encodeURIComponent(market.event_ticker)}`}
          className="hover:text-ink"
        >
          {eventTitle ?? market.event_ticker}
        </Link>
      </SeriesBreadcrumb>
      {live ? <SignInToTrade signedIn={signedIn} ticker={market.ticker} /> : null}
      <div className="mb-4 flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h1 className="text-lg leading-snug font-semibold tracking-tight">{market.title}</h1>
          <p className="text-sm text-ink-muted">
            <span className="font-mono">{market.ticker}</span>
            {market.yes_sub_title ? ` · ${market.yes_sub_title}` : ""}
          </p>
        </div>
        <StatusBadge market={market} />
        {live ? (
          <Link
            href={`/rfq?market=${encodeURIComponent(market.ticker)}`}
            className="rounded border border-line px-2 py-1 text-xs font-medium text-ink-muted hover:border-accent hover:text-ink"
          >
            Request quote
          </Link>
        ) : null}
        <WatchButton ticker={market.ticker} />
      </div>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="flex min-w-0 flex-col gap-4">
          <section
            aria-label="Quote"
            className={`grid grid-cols-3 gap-px overflow-hidden rounded-lg border border-line bg-line text-center sm:grid-cols-6 ${quote.freshness === "stale" ? "opacity-60" : ""}`}
          >
            <Stat label="Yes bid">
              <QuotePrice dollars={quote.yesBid} kind="bid" tone="text-yes" />
            </Stat>
            <Stat label="Yes ask">
              <QuotePrice dollars={quote.yesAsk} kind="ask" tone="text-no" />
            </Stat>
            <Stat label="Last">
              <QuotePrice dollars={quote.last} kind="last" tone="text-ink" />
            </Stat>
            <Stat label="Change">
              <QuoteChange micros={quote.change} />
            </Stat>
            <Stat label="Volume">{formatCount(quote.volume)}</Stat>
            <Stat label="Open interest">{formatCount(quote.openInterest)}</Stat>
          </section>
          {quote.freshness === "stale" ? (
            <p role="status" className="-mt-2 text-xs text-warn">
              Live prices are stale: reconnecting to the stream…
            </p>
          ) : null}

          <CandleChart
            ticker={market.ticker}
            seriesTicker={seriesTicker}
            openTime={market.open_time === undefined ? market.close_time : String(market.open_time)}
            closeTime={market.close_time}
            live={live}
          />

          <section
            aria-labelledby="rules-heading"
            className="rounded-lg border border-line bg-panel p-3 text-sm"
          >
            <h2
              id="rules-heading"
              className="mb-2 text-xs font-medium tracking-wide text-ink-muted uppercase"
            >
              Rules
            </h2>
            <p className="leading-relaxed">{str(market.rules_primary) || EMPTY_VALUE}</p>
            {str(market.rules_secondary) ? (
              <p className="mt-2 leading-relaxed text-ink-muted">{str(market.rules_secondary)}</p>
            ) : null}
            {(
              series?.settlement_sources as
                Array<{ name?: string; url?: string }> | null | undefined
            )?.length ? (
              <p className="mt-3 text-xs text-ink-muted">
                Settlement source:{" "}
                {(series?.settlement_sources as Array<{ name?: string; url?: string }>).map(
                  (source, index) => (
                    <span key={source.url ?? index}>
                      {index > 0 ? ", " : ""}
                      {source.url ? (
                        <a
                          href={source.url}
                          rel="noreferrer noopener"
                          target="_blank"
                          className="text-accent hover:underline"
                        >
                          {source.name ?? source.url}
                        </a>
                      ) : (
                        source.name
                      )}
                    </span>
                  ),
                )}
              </p>
            ) : null}
          </section>
        </div>

        <div className="flex min-w-0 flex-col gap-4">
          <section
            aria-labelledby="facts-heading"
            className="rounded-lg border border-line bg-panel p-3 text-sm"
          >
            <h2
              id="facts-heading"
              className="mb-2 text-xs font-medium tracking-wide text-ink-muted uppercase"
            >
              Contract
            </h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
              <Fact term="Status">{market.status}</Fact>
              {str(market.result) ? (
                <Fact term="Result">{str(market.result).toUpperCase()}</Fact>
              ) : null}
              <Fact term="Opens">{formatDateTime(str(market.open_time))}</Fact>
              <Fact term="Closes">{formatDateTime(market.close_time)}</Fact>
              <Fact term="Expected expiration">
                {formatDateTime(str(market.expected_expiration_time))}
              </Fact>
              <Fact term="Latest expiration">
                {formatDateTime(str(market.latest_expiration_time))}
              </Fact>
              {str(market.settlement_ts) ? (
                <Fact term="Settled">{formatDateTime(str(market.settlement_ts))}</Fact>
              ) : null}
              <Fact term="Price levels">{str(market.price_level_structure) || EMPTY_VALUE}</Fact>
              <Fact term="Tick sizes">
                <TickSizes ranges={market.price_ranges} />
              </Fact>
              <Fact term="Volume">{formatCount(market.volume_fp)}</Fact>
              <Fact term="24h volume">{formatCount(market.volume_24h_fp)}</Fact>
              <Fact term="Open interest">{formatCount(market.open_interest_fp)}</Fact>
            </dl>
          </section>
          <TradeTape ticker={market.ticker} live={live} />
          <LazyWatchlistPanel />
        </div>
      </div>
    </main>
  );
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function StatusBadge({ market }: { market: Market }) {
  return (
    <Badge tone={marketStatusTone(market.status)} dot>
      {market.status}
    </Badge>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="bg-panel px-2 py-2">
      <div className="text-[11px] text-ink-muted">{label}</div>
      <div className="font-mono text-base tabular-nums">{children}</div>
    </div>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-ink-muted">{term}</dt>
      <dd className="text-right">{children}</dd>
    </>
  );
}

/** Kalshi's price grid: "1¢ from 0¢ to 100¢", or the tapered segments. */
function TickSizes({ ranges }: { ranges: unknown }) {
  if (!Array.isArray(ranges) || ranges.length === 0) return <>{EMPTY_VALUE}</>;
  return (
    <span className="flex flex-col">
      {ranges.map((range: { start?: string; end?: string; step?: string }, index) => (
        <span key={index} className="font-mono">
          {formatPriceCents(range.step)} in {formatPriceCents(range.start)}–
          {formatPriceCents(range.end)}
        </span>
      ))}
    </span>
  );
}
