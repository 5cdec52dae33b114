/**
 * The wrapper for BFF routes that serve Kalshi's public market data (markets,
 * events, series, books, trades, candlesticks, exchange status). Kalshi serves
 * these without authentication, and so do we: the landing and market pages
 * work signed out. They are GET-only, act with no credential (the unsigned
 * public client), draw on the caller's share of the public budget
 * (server/http/client-budget.ts: 429 past it), and funnel errors like every
 * other route.
 */
import { toErrorResponse } from "@/server/http/app-error";
import { checkPublicBudget } from "@/server/http/client-budget";

type RouteArgs<P> = { params: Promise<P> };

export function publicRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (request: Request, context: { params: P }) => Promise<Response>,
): (request: Request, route: RouteArgs<P>) => Promise<Response> {
  return async (request, route) => {
    const refused = await checkPublicBudget(request.headers);
    if (refused)
      return Response.json(refused.body, { status: refused.status, headers: refused.headers });
    try {
      return await handler(request, { params: await route.params });
    } catch (error) {
      return toErrorResponse(error, {
        at: `api ${request.method} ${new URL(request.url).pathname}`,
      });
    }
  };
}
