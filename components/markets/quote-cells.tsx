"use client";
/**
 * The live-quote columns that market tables share: headers and cells for
 * yes bid, yes ask, last, change and 24h volume, and the close-time cell.
 * Each table passes its own cell classes (padding differs between them).
 */
import { QuoteChange, QuotePrice } from "@/components/markets/quote-text";
import type { LiveQuote } from "@/components/markets/use-live-quote";
import { formatCloseTime, formatCount } from "@/lib/format";

/** Header cells for `QuoteCells`, in the same order. */
export function QuoteHeaderCells({ headerCell }: { headerCell: string }) {
  return (
    <>
      <th scope="col" className={`${headerCell} text-right`}>
        Yes bid
      </th>
      <th scope="col" className={`${headerCell} text-right`}>
        Yes ask
      </th>
      <th scope="col" className={`${headerCell} hidden text-right sm:table-cell`}>
        Last
      </th>
      <th scope="col" className={`${headerCell} hidden text-right sm:table-cell`}>
        Chg
      </th>
      <th scope="col" className={`${headerCell} hidden text-right md:table-cell`}>
        24h vol
      </th>
    </>
  );
}

/** The yes bid and yes ask cells of a market row, flashing on change. */
export function BidAskCells({ quote, numberCell }: { quote: LiveQuote; numberCell: string }) {
  return (
    <>
      <td className={numberCell} data-col="yes-bid">
        <QuotePrice dollars={quote.yesBid} kind="bid" tone="text-yes" />
      </td>
      <td className={numberCell} data-col="yes-ask">
        <QuotePrice dollars={quote.yesAsk} kind="ask" tone="text-no" />
      </td>
    </>
  );
}

/** The quote cells of a market row: yes bid, yes ask, last, change and 24h volume. */
export function QuoteCells({ quote, numberCell }: { quote: LiveQuote; numberCell: string }) {
  return (
    <>
      <BidAskCells quote={quote} numberCell={numberCell} />
      <td className={`${numberCell} hidden sm:table-cell`} data-col="last">
        <QuotePrice dollars={quote.last} kind="last" tone="text-ink" />
      </td>
      <td className={`${numberCell} hidden sm:table-cell`}>
        <QuoteChange micros={quote.change} />
      </td>
      <td className={`${numberCell} hidden text-ink-muted md:table-cell`}>
        {formatCount(quote.volume24h)}
      </td>
    </>
  );
}

/** The market's close time, right-aligned and hidden below `md`; `padding` is the table's cell padding. */
export function CloseTimeCell({ closeTime, padding }: { closeTime: string; padding: string }) {
  return (
    <td
      className={`hidden ${padding} text-right text-xs whitespace-nowrap text-ink-muted md:table-cell`}
    >
      <time dateTime={closeTime}>{formatCloseTime(closeTime)}</time>
    </td>
  );
}
