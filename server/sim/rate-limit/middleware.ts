/** Placeholder: per-user token buckets (simulator part 2). Passes every request through for now. */
import type { MiddlewareHandler } from "hono";
import type { SimExchange } from "@/server/sim/exchange";
import type { SimEnv } from "@/server/sim/http/env";

export function rateLimit(exchange: SimExchange): MiddlewareHandler<SimEnv> {
  void exchange;
  return async (_c, next) => {
    await next();
  };
}
