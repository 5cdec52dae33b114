"use client";
/**
 * The market browser's table: a virtualised row per market with live quotes,
 * and in place of rows (or after them) what is loading or what failed.
 */
import Link from "next/link";
import { useCallback, useRef } from "react";

import { CloseTimeCell, QuoteCells, QuoteHeaderCells } from "@/components/markets/quote-cells";
import { isLiveStatus, useLiveQuote } from "@/components/markets/use-live-quote";
import { WatchButton } from "@/components/markets/watch-button";
import { LazyComboRowButtons } from "@/components/rfq/lazy-combo-row-buttons";
import { LazyVirtualRows } from "@/components/ui/lazy-virtual-rows";
import { formatCount } from "@/lib/format";
import type { Market } from "@/lib/schemas/market";

const ROW_HEIGHT = 49;

const headerCell = "px-2 py-2 font-medium text-ink-muted";

export interface MarketRowsProps {
  rows: Market[];
  loading: boolean;
  /** Nothing could be loaded: the message, shown with Retry in place of the rows. */
  loadError: string | null;
  /** The next page failed: the message, shown with Retry in a row after the rows. */
  moreError: string | null;
  onRetry: () => void;
  onNearEnd: () => void;
  fetchingMore: boolean;
}

/** The browser's table: virtualised rows with live quotes, or why there are none. */
export function MarketRows({
  rows,
  loading,
  loadError,
  moreError,
  onRetry,
  onNearEnd,
  fetchingMore,
}: MarketRowsProps) {
  const tableRef = useRef<HTMLTableElement>(null);
  const renderRow = useCallback(
    (index: number) => {
      const market = rows[index];
      return market ? <MarketRow key={market.ticker} market={market} /> : null;
    },
    [rows],
  );

  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table ref={tableRef} className="w-full border-collapse text-sm">
        <caption className="sr-only">Markets</caption>
        <thead className="border-b border-line bg-panel-raised text-left text-xs tracking-wide uppercase">
          <tr>
            <th scope="col" className={`${headerCell} w-6`}>
              <span className="sr-only">Watch</span>
            </th>
            <th scope="col" className={headerCell}>
              Market
            </th>
            <QuoteHeaderCells headerCell={headerCell} />
            <th scope="col" className={`${headerCell} hidden text-right lg:table-cell`}>
              Open int.
            </th>
            <th scope="col" className={`${headerCell} hidden text-right md:table-cell`}>
              Closes
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line/60">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={9} className="px-3 py-8 text-center text-ink-muted">
                {loadError ? (
                  <span role="alert">
                    Could not load markets: {loadError} <RetryButton onRetry={onRetry} />
                  </span>
                ) : loading || fetchingMore ? (
                  "Loading markets…"
                ) : (
                  "No markets match these filters."
                )}
              </td>
            </tr>
          ) : (
            <LazyVirtualRows
              count={rows.length}
              rowHeight={ROW_HEIGHT}
              tableRef={tableRef}
              colSpan={9}
              renderRow={renderRow}
              onNearEnd={onNearEnd}
            />
          )}
          {rows.length > 0 && moreError ? (
            <tr>
              <td colSpan={9} role="alert" className="px-3 py-3 text-center text-sm text-ink-muted">
                Could not load more markets: {moreError} <RetryButton onRetry={onRetry} />
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {fetchingMore ? (
        <p className="px-3 py-2 text-center text-xs text-ink-muted">Loading more…</p>
      ) : null}
    </div>
  );
}

const numberCell = "px-2 py-1.5 text-right font-mono tabular-nums whitespace-nowrap";

function MarketRow({ market }: { market: Market }) {
  const live = isLiveStatus(market.status);
  const quote = useLiveQuote(market, live);
  const stale = quote.freshness === "stale";
  return (
    <tr
      style={{ height: ROW_HEIGHT }}
      data-ticker={market.ticker}
      className={`hover:bg-panel-raised/70 ${stale ? "opacity-60" : ""}`}
      title={stale ? "Prices may be stale: the live stream is reconnecting" : undefined}
    >
      <td className="px-2">
        <WatchButton ticker={market.ticker} />
      </td>
      <th
        scope="row"
        className="max-w-[11rem] px-2 py-1 text-left font-normal leading-tight sm:max-w-md"
      >
        <Link
          href={`/markets/${encodeURIComponent(market.ticker)}`}
          className="block truncate text-ink hover:text-accent"
          title={market.title}
        >
          {market.title}
        </Link>
        <span className="flex min-w-0 items-center text-xs text-ink-muted">
          <span className="min-w-0 truncate">
            <Link
              href={`/events/${encodeURIComponent(market.event_ticker)}`}
              className="font-mono text-ink-faint hover:text-accent"
            >
              {market.ticker}
            </Link>
            {market.yes_sub_title ? ` · ${market.yes_sub_title}` : ""}
            {!live ? ` · ${market.status}` : ""}
          </span>
          {live ? (
            <LazyComboRowButtons
              marketTicker={market.ticker}
              eventTicker={market.event_ticker}
              label={market.yes_sub_title || market.title}
            />
          ) : null}
        </span>
      </th>
      <QuoteCells quote={quote} numberCell={numberCell} />
      <td className={`${numberCell} hidden text-ink-muted lg:table-cell`}>
        {formatCount(quote.openInterest)}
      </td>
      <CloseTimeCell closeTime={market.close_time} padding="px-2 py-1.5" />
    </tr>
  );
}

function RetryButton({ onRetry }: { onRetry: () => void }) {
  return (
    <button type="button" onClick={onRetry} className="text-accent hover:underline">
      Retry
    </button>
  );
}
