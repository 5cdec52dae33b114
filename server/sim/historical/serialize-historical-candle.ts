/**
 * MarketCandlestickHistorical (GET /historical/markets/{ticker}/candlesticks):
 * the same aggregates as a live candle, under the historical schema's plain
 * field names (`open`, `volume`...) instead of the live `*_dollars`/`*_fp`.
 */
import { formatCount } from "@/lib/fixed-point";
import { candleQuotes, unixSeconds } from "@/server/sim/http/serialize-market";
import type { Candle } from "@/server/sim/market-data/candles";

/** One historical candlestick; trade prices are null for periods without trades, as the schema allows. */
export function serializeHistoricalCandle(candle: Candle) {
  const { bid, ask, price } = candleQuotes(candle);
  return {
    end_period_ts: unixSeconds(candle.endMs),
    yes_bid: bid,
    yes_ask: ask,
    price,
    volume: formatCount(candle.volume),
    open_interest: formatCount(candle.openInterest),
  };
}
