/**
 * e2e helpers that read the app's own public BFF (never the simulator
 * directly), so the specs need nothing but the app's base URL.
 */
import type { APIRequestContext } from "@playwright/test";

export interface MarketRow {
  ticker: string;
  event_ticker: string;
  title: string;
  status: string;
  yes_ask_dollars: string;
  volume_24h_fp: string;
}

export async function getJson<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  if (!response.ok()) throw new Error(`${path} answered ${response.status()}`);
  return (await response.json()) as T;
}

/** Open markets, most active (24h volume) first. */
export async function openMarkets(request: APIRequestContext): Promise<MarketRow[]> {
  const { markets } = await getJson<{ markets: MarketRow[] }>(
    request,
    "/api/markets?status=open&limit=200",
  );
  return markets.sort((a, b) => Number(b.volume_24h_fp) - Number(a.volume_24h_fp));
}

/**
 * A market that only the historical tier still knows (settled before the
 * cutoff): listed by its event, absent from the live market listing.
 */
export async function historicalMarketTicker(
  request: APIRequestContext,
): Promise<string | undefined> {
  const { events } = await getJson<{ events: Array<{ event_ticker: string }> }>(
    request,
    "/api/events?limit=200",
  );
  for (const { event_ticker } of events) {
    const detail = await getJson<{ markets: Array<{ ticker: string }> }>(
      request,
      `/api/events/${event_ticker}`,
    );
    const first = detail.markets[0]?.ticker;
    if (!first) continue;
    const live = await getJson<{ markets: unknown[] }>(request, `/api/markets?tickers=${first}`);
    if (live.markets.length === 0) return first;
  }
  return undefined;
}
