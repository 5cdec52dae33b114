/**
 * Hono middleware that hands state-changing requests (anything but GET, HEAD
 * and OPTIONS) to the exchange's journal, when it has one. Reads the body
 * first (Hono caches it, so handlers parse the same text) so the record holds
 * exactly what the handler saw.
 */
import type { MiddlewareHandler } from "hono";
import type { SimExchange } from "@/server/sim/exchange";
import type { SimEnv } from "@/server/sim/http/env";
import { Recorder } from "@/server/sim/persistence/recorder";

const READ_ONLY = new Set(["GET", "HEAD", "OPTIONS"]);

export function journalRequests(exchange: SimExchange): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const journal = exchange.state.journal;
    if (!(journal instanceof Recorder) || READ_ONLY.has(c.req.method)) {
      await next();
      return;
    }
    const url = new URL(c.req.url);
    const body = await c.req.text();
    await journal.request(
      { method: c.req.method, pathAndQuery: url.pathname + url.search, body },
      () => next(),
      () => ({ status: c.res.status, authKeyId: c.get("auth")?.apiKey.apiKeyId ?? null }),
    );
  };
}
