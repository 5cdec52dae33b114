import { parseDollars, ONE_DOLLAR } from "@/lib/fixed-point";
import { EMPTY_VALUE, formatCloseTime, formatCount, formatPriceCents } from "@/lib/format";
import type { Market } from "@/lib/schemas/market";

export interface MarketTableProps {
  markets: Market[];
  /** Accessible name of the table, e.g. "Open markets". */
  caption: string;
}

const headerCell = "px-3 py-2 font-medium text-ink-muted";
const numberCell = "px-3 py-1.5 text-right font-mono tabular-nums";

/** A dense, read-only table of markets: ticker, title, quotes, volume, close time. */
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
            <th scope="col" className={`${headerCell} text-right`}>
              Yes bid
            </th>
            <th scope="col" className={`${headerCell} text-right`}>
              Yes ask
            </th>
            <th scope="col" className={`${headerCell} text-right`}>
              Last
            </th>
            <th scope="col" className={`${headerCell} text-right`}>
              24h vol
            </th>
            <th scope="col" className={`${headerCell} text-right`}>
              Closes
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line/60">
          {markets.length === 0 ? (
            <tr>
              <td colSpan={7} className="px-3 py-8 text-center text-ink-muted">
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
  return (
    <tr className="hover:bg-panel-raised/70">
      <th
        scope="row"
        className="px-3 py-1.5 text-left font-mono text-xs font-normal whitespace-nowrap text-accent"
      >
        {market.ticker}
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
      <QuoteCell dollars={market.yes_bid_dollars} emptyAt={0} tone="text-yes" />
      <QuoteCell dollars={market.yes_ask_dollars} emptyAt={ONE_DOLLAR} tone="text-no" />
      <QuoteCell dollars={market.last_price_dollars} emptyAt={0} tone="text-ink" />
      <td className={`${numberCell} text-ink-muted`}>{formatCount(market.volume_24h_fp)}</td>
      <td className="px-3 py-1.5 text-right text-xs whitespace-nowrap text-ink-muted">
        <time dateTime={market.close_time}>{formatCloseTime(market.close_time)}</time>
      </td>
    </tr>
  );
}

function QuoteCell({ dollars, emptyAt, tone }: { dollars: string; emptyAt: number; tone: string }) {
  const text = quote(dollars, emptyAt);
  return (
    <td className={`${numberCell} ${text === EMPTY_VALUE ? "text-ink-faint" : tone}`}>{text}</td>
  );
}

/**
 * Kalshi reports an empty side as a bid of $0 or an ask of $1 (and a market
 * that never traded as a last price of $0); showing "0¢" would read as a real quote.
 */
function quote(dollars: string, emptyAt: number): string {
  try {
    if (parseDollars(dollars) === emptyAt) return EMPTY_VALUE;
  } catch {
    return EMPTY_VALUE;
  }
  return formatPriceCents(dollars);
}
