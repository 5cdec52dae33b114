/**
 * e2e helpers that read the app's own public BFF (and, for what only the
 * exchange can tell, the simulator behind it).
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
 * cutoff), asked of the simulator behind the app (E2E_SIM_URL, set by the
 * Playwright config): the app's live listings, served from its in-memory
 * universe, hold only live markets, so they cannot say which ones were archived.
 */
export async function historicalMarketTicker(
  request: APIRequestContext,
): Promise<string | undefined> {
  const sim = process.env.E2E_SIM_URL;
  if (!sim) throw new Error("E2E_SIM_URL is not set (playwright.config.ts sets it)");
  const { markets } = await getJson<{ markets: Array<{ ticker: string }> }>(
    request,
    `${sim}/trade-api/v2/historical/markets?limit=50`,
  );
  return markets[0]?.ticker;
}
