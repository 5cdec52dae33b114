/**
 * Top of book for a market, as Kalshi reports it on market objects and ticker
 * messages: best YES bid and ask with their sizes. The NO side is the mirror
 * (no bid = $1 − yes ask, no ask = $1 − yes bid).
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type { SimState } from "@/server/sim/state";

export interface MarketQuote {
  /** Best YES bid, or 0 when nobody bids (Kalshi sends "0.0000"). */
  yesBid: Micros;
  yesBidSize: Centis;
  /** Best YES ask, or $1 when nobody offers (Kalshi sends "1.0000"). */
  yesAsk: Micros;
  yesAskSize: Centis;
}

export function marketQuote(state: SimState, ticker: string): MarketQuote {
  const book = state.books.get(ticker);
  const bid = book?.bestBid();
  const ask = book?.bestAsk();
  return {
    yesBid: bid?.price ?? 0,
    yesBidSize: bid?.total ?? 0,
    yesAsk: ask?.price ?? 1_000_000,
    yesAskSize: ask?.total ?? 0,
  };
}
