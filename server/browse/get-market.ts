/**
 * One market from whichever tier holds it: the live endpoint, or, for a
 * market settled before the historical cutoff (which the live endpoint no
 * longer lists), GET /historical/markets/{ticker}.
 */
import type { Market } from "@/lib/schemas/market";
import { KalshiError } from "@/server/kalshi/errors";
import { publicMarketData } from "@/server/kalshi/market-data";

/** @throws KalshiError (404 when neither tier knows the ticker). */
export async function getMarketAnyTier(ticker: string, signal?: AbortSignal): Promise<Market> {
  const client = publicMarketData();
  try {
    return await client.getMarket(ticker, signal);
  } catch (error) {
    if (!(error instanceof KalshiError && error.status === 404)) throw error;
    return client.getHistoricalMarket(ticker, signal);
  }
}
