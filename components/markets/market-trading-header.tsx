"use client";
/**
 * Small parts of the market page that depend on whether the visitor can
 * trade: the compact header of the trading screen (breadcrumb, title, live
 * quote in one row), its placeholder while the trading chunk downloads, and
 * the "sign in to trade" prompt of the browsing page.
 */
import Link from "next/link";

import { QuoteChange, QuotePrice } from "@/components/markets/quote-text";
import { useLiveQuote } from "@/components/markets/use-live-quote";
import { WatchButton } from "@/components/markets/watch-button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCount } from "@/lib/format";
import type { Market } from "@/lib/schemas/market";

export function marketStatusTone(status: string): BadgeTone {
  return status === "active"
    ? "positive"
    : status === "initialized"
      ? "info"
      : status === "finalized"
        ? "neutral"
        : "warning";
}

export function TradingHeader({
  market,
  live,
  seriesTicker,
  seriesTitle,
  eventTitle,
}: {
  market: Market;
  live: boolean;
  seriesTicker: string;
  seriesTitle: string | undefined;
  eventTitle: string | undefined;
}) {
  const quote = useLiveQuote(market, live);
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-1">
      <div className="min-w-0 max-w-full">
        <nav aria-label="Breadcrumb" className="truncate text-[11px] text-ink-muted">
          <Link
            href={`/markets?series=${encodeURIComponent(seriesTicker)}`}
            className="hover:text-ink"
          >
            {seriesTitle ?? seriesTicker}
          </Link>
          {" / "}
          <Link
            href={`/events/${encodeURIComponent(market.event_ticker)}`}
            className="hover:text-ink"
          >
            {eventTitle ?? market.event_ticker}
          </Link>
        </nav>
        <h1
          className="text-base leading-snug font-semibold tracking-tight lg:truncate"
          title={market.title}
        >
          {market.title}
          <span className="ml-2 font-mono text-xs font-normal text-ink-muted">{market.ticker}</span>
        </h1>
      </div>
      <Badge tone={marketStatusTone(market.status)} dot>
        {market.status}
      </Badge>
      <dl
        aria-label="Quote"
        className={`flex flex-wrap gap-x-4 gap-y-0.5 text-xs ${quote.freshness === "stale" ? "opacity-60" : ""}`}
      >
        <QuoteStat label="Yes bid">
          <QuotePrice dollars={quote.yesBid} kind="bid" tone="text-yes" />
        </QuoteStat>
        <QuoteStat label="Yes ask">
          <QuotePrice dollars={quote.yesAsk} kind="ask" tone="text-no" />
        </QuoteStat>
        <QuoteStat label="Last">
          <QuotePrice dollars={quote.last} kind="last" tone="text-ink" />
        </QuoteStat>
        <QuoteStat label="Change">
          <QuoteChange micros={quote.change} />
        </QuoteStat>
        <QuoteStat label="Volume">{formatCount(quote.volume)}</QuoteStat>
      </dl>
      {quote.freshness === "stale" ? (
        <span role="status" className="text-xs text-warn">
          Stale: reconnecting…
        </span>
      ) : null}
      <WatchButton ticker={market.ticker} />
    </header>
  );
}

function QuoteStat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline gap-1">
      <dt className="text-ink-muted">{label}</dt>
      <dd className="font-mono tabular-nums">{children}</dd>
    </div>
  );
}

/** The trading screen's layout in grey while its chunk downloads (no flash of an empty page). */
export function TradingScreenPlaceholder({ header }: { header: React.ReactNode }) {
  return (
    <main
      aria-busy="true"
      className="flex flex-col gap-2 px-2 py-2 lg:h-[calc(100dvh-3rem-1px)] lg:overflow-hidden"
    >
      {header}
      <div className="flex min-h-0 flex-1 flex-col gap-2 lg:flex-row">
        <div className="flex min-w-0 flex-1 flex-col gap-2">
          <Skeleton className="h-80 lg:h-[55%]" />
          <Skeleton className="h-64 lg:h-auto lg:flex-1" />
        </div>
        <Skeleton className="h-[28rem] lg:h-auto lg:w-[300px]" />
        <Skeleton className="h-96 lg:h-auto lg:w-[300px]" />
      </div>
    </main>
  );
}

/** Browsing a tradable market: how to get to the trading screen. */
export function SignInToTrade({ signedIn, ticker }: { signedIn: boolean; ticker: string }) {
  const back = encodeURIComponent(`/markets/${ticker}`);
  return (
    <p className="mb-3 rounded-md border border-accent/30 bg-accent/5 px-3 py-2 text-sm">
      {signedIn ? (
        <>
          <Link href="/settings/keys" className="font-medium text-accent hover:underline">
            Add a Kalshi API key
          </Link>{" "}
          to trade this market from a ticket and a price ladder.
        </>
      ) : (
        <>
          <Link
            href={`/sign-in?callbackUrl=${back}`}
            className="font-medium text-accent hover:underline"
          >
            Sign in to trade
          </Link>{" "}
          this market from a ticket and a price ladder.
        </>
      )}
    </p>
  );
}
