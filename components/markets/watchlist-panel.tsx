"use client";
/**
 * The signed-in trader's watchlist as a side panel with live prices. Signed
 * out, the panel offers a sign-in link instead. Pages mount it through
 * LazyWatchlistPanel (its own chunk); the star button is watch-button.tsx.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { QuotePrice } from "@/components/markets/quote-text";
import { isLiveStatus, useLiveQuote } from "@/components/markets/use-live-quote";
import { WatchlistShell } from "@/components/markets/watchlist-shell";
import { marketsByTickersOptions } from "@/lib/queries/markets";
import { useWatchlist, useWatchToggle } from "@/lib/queries/watchlist";
import type { Market } from "@/lib/schemas/market";

export function WatchlistPanel() {
  const query = useWatchlist();
  const toggle = useWatchToggle();
  const tickers = query.data?.items.map((item) => item.ticker) ?? [];
  const markets = useQuery(marketsByTickersOptions(tickers));

  return (
    <WatchlistShell>
      {query.isPending ? (
        <p className="px-3 py-3 text-sm text-ink-muted">Loading…</p>
      ) : query.data === null ? (
        <p className="px-3 py-3 text-sm text-ink-muted">
          <Link href="/sign-in" className="text-accent hover:underline">
            Sign in
          </Link>{" "}
          to keep a watchlist.
        </p>
      ) : query.isError ? (
        <p className="px-3 py-3 text-sm text-no">Could not load the watchlist.</p>
      ) : tickers.length === 0 ? (
        <p className="px-3 py-3 text-sm text-ink-muted">
          Star a market (☆) to follow its price here.
        </p>
      ) : (
        <ul className="divide-y divide-line/60">
          {(markets.data ?? []).map((market) => (
            <WatchlistRow
              key={market.ticker}
              market={market}
              onRemove={() => toggle.mutate({ ticker: market.ticker, watch: false })}
            />
          ))}
          {tickers
            .filter((ticker) => markets.data && !markets.data.some((m) => m.ticker === ticker))
            .map((ticker) => (
              <li key={ticker} className="flex items-center gap-2 px-3 py-2 text-xs text-ink-faint">
                <Link
                  href={`/markets/${encodeURIComponent(ticker)}`}
                  className="flex-1 truncate font-mono"
                >
                  {ticker}
                </Link>
                <span>settled</span>
              </li>
            ))}
        </ul>
      )}
      {toggle.isError ? (
        <p role="alert" className="border-t border-line px-3 py-2 text-xs text-no">
          Could not update the watchlist: {toggle.error.message}
        </p>
      ) : null}
    </WatchlistShell>
  );
}

function WatchlistRow({ market, onRemove }: { market: Market; onRemove: () => void }) {
  const quote = useLiveQuote(market, isLiveStatus(market.status));
  return (
    <li
      className={`flex items-center gap-2 px-3 py-1.5 text-sm ${quote.freshness === "stale" ? "opacity-60" : ""}`}
    >
      <Link
        href={`/markets/${encodeURIComponent(market.ticker)}`}
        className="min-w-0 flex-1 hover:text-accent"
        title={market.title}
      >
        <span className="block truncate">{market.yes_sub_title || market.title}</span>
        <span className="block truncate font-mono text-[11px] text-ink-faint">{market.ticker}</span>
      </Link>
      <span className="font-mono text-xs tabular-nums">
        <QuotePrice dollars={quote.yesBid} kind="bid" tone="text-yes" />
        <span className="text-ink-faint">/</span>
        <QuotePrice dollars={quote.yesAsk} kind="ask" tone="text-no" />
      </span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${market.ticker} from watchlist`}
        className="text-ink-faint hover:text-no"
      >
        ×
      </button>
    </li>
  );
}
