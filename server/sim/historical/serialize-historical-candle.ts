/**
 * MarketCandlestickHistorical (GET /historical/markets/{ticker}/candlesticks):
 * the same aggregates as a live candle, under the historical schema's plain
 * field names (`open`, `volume`...) instead of the live `*_dollars`/`*_fp`.
 */
import { formatCount, formatDollars, type Micros } from "@/lib/fixed-point";
import { unixSeconds } from "@/server/sim/http/serialize-market";
import { candleMean, type Candle } from "@/server/sim/market-data/candles";

/** One historical candlestick; trade prices are null for periods without trades, as the schema allows. */
export function serializeHistoricalCandle(candle: Candle) {
  const traded = candle.volume > 0 && candle.priceOpen !== null;
  const price = (value: Micros | null) => (traded && value !== null ? formatDollars(value) : null);
  return {
    end_period_ts: unixSeconds(candle.endMs),
    yes_bid: {
      open: formatDollars(candle.bidOpen),
      low: formatDollars(candle.bidLow),
      high: formatDollars(candle.bidHigh),
      close: formatDollars(candle.bidClose),
    },
    yes_ask: {
      open: formatDollars(candle.askOpen),
      low: formatDollars(candle.askLow),
      high: formatDollars(candle.askHigh),
      close: formatDollars(candle.askClose),
    },
    price: {
      open: price(candle.priceOpen),
      low: price(candle.priceLow),
      high: price(candle.priceHigh),
      close: price(candle.priceClose),
      mean: price(candleMean(candle)),
      previous: candle.previousPrice === null ? null : formatDollars(candle.previousPrice),
    },
    volume: formatCount(candle.volume),
    open_interest: formatCount(candle.openInterest),
  };
}
