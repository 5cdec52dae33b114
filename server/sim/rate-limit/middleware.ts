/**
 * Kalshi's token-bucket rate limits in front of every /trade-api/v2 route
 * (runs after authentication). A request that does not fit its bucket gets
 * 429 with exactly `{"error":"too many requests"}` and no Retry-After or
 * X-RateLimit-* headers, as rate_limits.md documents; it spends nothing.
 * Sim-only routes (/sim/v1) are mounted outside this app and never limited;
 * bots trade through the engine directly and never pass here.
 */
import type { Context, MiddlewareHandler } from "hono";
import { authenticate, type Authenticated } from "@/server/sim/auth/signature";
import type { SimExchange } from "@/server/sim/exchange";
import type { SimEnv } from "@/server/sim/http/env";
import { chargeFor, chargeReadsBody } from "@/server/sim/rate-limit/endpoint-costs";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";

const API_PATH_PREFIX = /^\/trade-api\/v2/;

/** The parsed JSON body, or undefined when absent or malformed (the handler reports that). */
async function jsonBody(c: Context<SimEnv>): Promise<unknown> {
  try {
    // Hono caches the body text, so the handler can still read it.
    const text = await c.req.text();
    return text.trim().length > 0 ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Public endpoints skip signature checks; a public request that is signed
 * anyway is billed to its user, as Kalshi bills authenticated requests.
 */
function signerOf(exchange: SimExchange, c: Context<SimEnv>): Authenticated | undefined {
  const key = c.req.header("KALSHI-ACCESS-KEY");
  if (!key) return undefined;
  try {
    return authenticate(
      exchange.state,
      {
        key,
        timestamp: c.req.header("KALSHI-ACCESS-TIMESTAMP"),
        signature: c.req.header("KALSHI-ACCESS-SIGNATURE"),
      },
      c.req.method,
      c.req.path,
    );
  } catch {
    return undefined;
  }
}

/** The rate-limit middleware for the Trade API app. */
export function rateLimit(exchange: SimExchange): MiddlewareHandler<SimEnv> {
  const limiter = rateLimiter(exchange.state);
  return async (c, next) => {
    if (!limiter.enabled) return next();
    const below = c.req.path.replace(API_PATH_PREFIX, "");
    const body = chargeReadsBody(c.req.method, below) ? await jsonBody(c) : undefined;
    const charge = chargeFor(c.req.method, below, body, new URL(c.req.url).searchParams);
    const auth = (c.get("auth") as Authenticated | undefined) ?? signerOf(exchange, c);
    // Unsigned public requests are not limited: Kalshi's docs only describe
    // per-user buckets, and the simulator's usual caller is one local app.
    if (auth && !limiter.takeForUser(auth.user, charge)) {
      return c.json({ error: "too many requests" }, 429);
    }
    await next();
  };
}
