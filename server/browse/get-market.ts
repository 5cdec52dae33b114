/**
 * One market from whichever tier holds it: the in-memory universe, the live
 * endpoint, or, for a market settled before the historical cutoff (which the
 * live endpoint no longer lists), GET /historical/markets/{ticker}.
 */
import type { Market } from "@/lib/schemas/market";
import { marketData } from "@/server/market-data/registry";

/** @throws KalshiError (404 when neither tier knows the ticker). */
export function getMarketAnyTier(ticker: string, signal?: AbortSignal): Promise<Market> {
  return marketData().getMarket(ticker, signal);
}
