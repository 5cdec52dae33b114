"use client";

import Link from "next/link";

import { CloseTimeCell, QuoteCells, QuoteHeaderCells } from "@/components/markets/quote-cells";
import { isLiveStatus, useLiveQuote } from "@/components/markets/use-live-quote";
import type { Market } from "@/lib/schemas/market";

export interface MarketTableProps {
  markets: Market[];
  /** Accessible name of the table, e.g. "Open markets". */
  caption: string;
}

const headerCell = "px-3 py-2 font-medium text-ink-muted";
const numberCell = "px-3 py-1.5 text-right font-mono tabular-nums";

/** A dense table of markets with live quotes: ticker, title, bid/ask/last/change, volume, close time. */
export function MarketTable({ markets, caption }: MarketTableProps) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line bg-panel-raised text-left text-xs tracking-wide uppercase">
          <tr>
            <th scope="col" className={headerCell}>
              Ticker
            </th>
            <th scope="col" className={headerCell}>
              Market
            </th>
            <QuoteHeaderCells headerCell={headerCell} />
            <th scope="col" className={`${headerCell} hidden text-right md:table-cell`}>
              Closes
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line/60">
          {markets.length === 0 ? (
            <tr>
              <td colSpan={8} className="px-3 py-8 text-center text-ink-muted">
                No markets to show.
              </td>
            </tr>
          ) : (
            markets.map((market) => <MarketRow key={market.ticker} market={market} />)
          )}
        </tbody>
      </table>
    </div>
  );
}

function MarketRow({ market }: { market: Market }) {
  const quote = useLiveQuote(market, isLiveStatus(market.status));
  return (
    <tr
      data-ticker={market.ticker}
      className={`hover:bg-panel-raised/70 ${quote.freshness === "stale" ? "opacity-60" : ""}`}
    >
      <th
        scope="row"
        className="px-3 py-1.5 text-left font-mono text-xs font-normal whitespace-nowrap text-accent"
      >
        <Link href={`/markets/${encodeURIComponent(market.ticker)}`}>{market.ticker}</Link>
      </th>
      <td className="max-w-md px-3 py-1.5 leading-tight">
        <div className="truncate text-ink" title={market.title}>
          {market.title}
        </div>
        {market.yes_sub_title ? (
          <div className="truncate text-xs text-ink-muted" title={market.yes_sub_title}>
            {market.yes_sub_title}
          </div>
        ) : null}
      </td>
      <QuoteCells quote={quote} numberCell={numberCell} />
      <CloseTimeCell closeTime={market.close_time} padding="px-3 py-1.5" />
    </tr>
  );
}
