/**
 * Public (unauthenticated) Kalshi market data for server-rendered pages, on
 * the configured exchange. A thin layer over the public Kalshi client
 * (./client.ts), which owns the fetch, rate budget, retries and validation.
 */
import { ListMarketsParams, type ExchangeStatus, type MarketList } from "@/lib/schemas/market";
import { kalshiRestBaseUrl } from "@/server/config";

import { createPublicKalshiClient, type KalshiMarketDataClient } from "./client";

/** The process-wide public client for the configured exchange. */
export function publicMarketData(): KalshiMarketDataClient {
  return createPublicKalshiClient(kalshiRestBaseUrl());
}

/**
 * Lists markets, one page at a time (follow `cursor` for the next page).
 * @throws KalshiError on any upstream failure; ZodError on invalid params.
 */
export async function listMarkets(params: ListMarketsParams = {}): Promise<MarketList> {
  const { status, limit, cursor, eventTicker, seriesTicker } = ListMarketsParams.parse(params);
  return publicMarketData().listMarkets({
    status,
    limit,
    cursor,
    event_ticker: eventTicker,
    series_ticker: seriesTicker,
  });
}

/**
 * Whether the exchange and trading are active.
 * @throws KalshiError on any upstream failure.
 */
export async function getExchangeStatus(): Promise<ExchangeStatus> {
  return publicMarketData().getExchangeStatus();
}
