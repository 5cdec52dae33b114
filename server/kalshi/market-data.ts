import type { z } from "zod";

import {
  ExchangeStatusSchema,
  ListMarketsParams,
  MarketListSchema,
  type ExchangeStatus,
  type MarketList,
} from "@/lib/schemas/market";
import { kalshiRestBaseUrl } from "@/server/config";

import { KalshiError, LOCAL_ERROR_CODES, parseKalshiErrorBody } from "./errors";

/**
 * Public (unauthenticated) Kalshi market data over REST.
 *
 * This is the start of the one module that talks to Kalshi REST: callers
 * never build URLs or headers. Signing, rate budgets and retries will wrap
 * `getJson` here when authenticated endpoints arrive.
 */

/** Public reads are small; past this the upstream is in trouble and the page should say so. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Lists markets, one page at a time (follow `cursor` for the next page).
 * @throws KalshiError on any upstream failure; ZodError on invalid params.
 */
export async function listMarkets(params: ListMarketsParams = {}): Promise<MarketList> {
  const { status, limit, cursor, eventTicker, seriesTicker } = ListMarketsParams.parse(params);
  return getJson("/markets", MarketListSchema, {
    status,
    limit: limit === undefined ? undefined : String(limit),
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
  return getJson("/exchange/status", ExchangeStatusSchema);
}

async function getJson<S extends z.ZodType>(
  path: string,
  schema: S,
  query: Record<string, string | undefined> = {},
): Promise<z.output<S>> {
  const url = new URL(kalshiRestBaseUrl() + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  const failure = (init: { status: number; code: string; message: string; cause?: unknown }) =>
    new KalshiError({ ...init, method: "GET", path });

  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
    throw failure({
      status: 0,
      code: timedOut ? LOCAL_ERROR_CODES.timeout : LOCAL_ERROR_CODES.network,
      message: timedOut
        ? `Kalshi did not answer GET ${path} within ${REQUEST_TIMEOUT_MS} ms`
        : `Could not reach Kalshi for GET ${path}`,
      cause,
    });
  }

  const text = await response.text().catch(() => "");
  const body = safeJsonParse(text);

  if (!response.ok) {
    const parsed = parseKalshiErrorBody(body);
    throw new KalshiError({
      status: response.status,
      code: parsed.code ?? LOCAL_ERROR_CODES.http,
      message: parsed.message ?? `Kalshi answered GET ${path} with HTTP ${response.status}`,
      details: parsed.details,
      method: "GET",
      path,
    });
  }

  const result = schema.safeParse(body);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first ? first.path.join(".") || "(root)" : "(root)";
    throw failure({
      status: response.status,
      code: LOCAL_ERROR_CODES.invalidResponse,
      message: `Unexpected response from GET ${path}: ${where}: ${first?.message ?? "invalid"}`,
      cause: result.error,
    });
  }
  return result.data;
}

function safeJsonParse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
