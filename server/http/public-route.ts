/**
 * The wrapper for BFF routes that serve Kalshi's public market data (markets,
 * events, series, books, trades, candlesticks, exchange status). Kalshi serves
 * these without authentication, and so do we: the landing and market pages
 * work signed out. They are GET-only, act with no credential (the unsigned
 * public client), and funnel errors like every other route.
 */
import { toErrorResponse } from "@/server/http/app-error";

type RouteArgs<P> = { params: Promise<P> };

export function publicRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (request: Request, context: { params: P }) => Promise<Response>,
): (request: Request, route: RouteArgs<P>) => Promise<Response> {
  return async (request, route) => {
    try {
      return await handler(request, { params: await route.params });
    } catch (error) {
      return toErrorResponse(error, {
        at: `api ${request.method} ${new URL(request.url).pathname}`,
      });
    }
  };
}
