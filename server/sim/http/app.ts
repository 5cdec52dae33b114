/**
 * The simulated exchange's REST API: Kalshi Trade API v2 paths under
 * `/trade-api/v2`, served by Hono. Route modules register themselves; this
 * file only wires middleware and the one error funnel.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { authenticate, type Authenticated } from "@/server/sim/auth/signature";
import { SimError } from "@/server/sim/errors";
import type { SimExchange } from "@/server/sim/exchange";
import type { RegisterRoutes, SimEnv } from "@/server/sim/http/env";
import { registerAccountRoutes } from "@/server/sim/http/routes/account";
import { registerApiKeyRoutes } from "@/server/sim/http/routes/api-keys";
import { registerCommunicationsRoutes } from "@/server/sim/http/routes/communications";
import { registerExchangeRoutes } from "@/server/sim/http/routes/exchange";
import { registerMultivariateRoutes } from "@/server/sim/http/routes/multivariate";
import { registerMarketDataRoutes } from "@/server/sim/http/routes/market-data";
import { registerHistoricalRoutes } from "@/server/sim/http/routes/historical";
import { registerOrderGroupsRoutes } from "@/server/sim/http/routes/order-groups";
import { registerOrderRoutes } from "@/server/sim/http/routes/orders";
import { registerPortfolioRoutes } from "@/server/sim/http/routes/portfolio";
import { registerSimAdminRoutes } from "@/server/sim/http/routes/sim-admin";
import { registerSubaccountsRoutes } from "@/server/sim/http/routes/subaccounts";
import { journalRequests } from "@/server/sim/persistence/http-journal";
import { rateLimit } from "@/server/sim/rate-limit/middleware";
import { enforceRestrictedKeyEndpoint } from "@/server/sim/subaccounts/restricted-keys";

export const API_PREFIX = "/trade-api/v2";

const ROUTE_MODULES: RegisterRoutes[] = [
  registerExchangeRoutes,
  registerMarketDataRoutes,
  registerApiKeyRoutes,
  registerOrderRoutes,
  registerPortfolioRoutes,
  registerCommunicationsRoutes,
  registerSubaccountsRoutes,
  registerOrderGroupsRoutes,
  registerHistoricalRoutes,
  registerAccountRoutes,
  registerMultivariateRoutes,
];

/** Paths (below the prefix) that need no signature: Kalshi's public market data. */
const PUBLIC_PREFIXES = [
  "/exchange/",
  "/series",
  "/events",
  "/markets",
  "/search/",
  // historical/*.md: cutoff, markets (and their candlesticks) and trades carry no security requirement.
  "/historical/cutoff",
  "/historical/markets",
  "/historical/trades",
  // list-non-default-endpoint-costs.md has no security requirement either.
  "/account/endpoint_costs",
  // multivariate/get-multivariate-event-collection*.md and the lookup history carry no security requirement.
  "/multivariate_event_collections",
];

/** `GET /exchange/user_data_timestamp` is public too (`security: []` on its page). */
function isPublic(pathBelowPrefix: string, method: string): boolean {
  if (method !== "GET") return false;
  return PUBLIC_PREFIXES.some((prefix) => pathBelowPrefix.startsWith(prefix));
}

function replayedIdentity(exchange: SimExchange, apiKeyId: string): Authenticated {
  const apiKey = exchange.state.apiKeys.get(apiKeyId);
  const user = apiKey && exchange.state.users.get(apiKey.userId);
  if (!apiKey || !user) throw new SimError(401, "unauthorized", "journal: unknown API key");
  return { apiKey, user };
}

export function createSimApp(exchange: SimExchange): Hono<SimEnv> {
  const root = new Hono<SimEnv>();
  // Outermost, so the journal sees each state-changing request's final status (persistence/).
  root.use("*", journalRequests(exchange));
  const api = new Hono<SimEnv>();

  const auth: MiddlewareHandler<SimEnv> = async (c, next) => {
    const below = c.req.path.slice(API_PREFIX.length);
    // A journal replay (persistence/) runs as the key that was verified the first time.
    const replayedKeyId = exchange.state.journal?.replayKeyId();
    if (replayedKeyId !== undefined) {
      if (replayedKeyId !== null) c.set("auth", replayedIdentity(exchange, replayedKeyId));
      await next();
      return;
    }
    if (!isPublic(below, c.req.method)) {
      const authenticated = authenticate(
        exchange.state,
        {
          key: c.req.header("KALSHI-ACCESS-KEY"),
          timestamp: c.req.header("KALSHI-ACCESS-TIMESTAMP"),
          signature: c.req.header("KALSHI-ACCESS-SIGNATURE"),
        },
        c.req.method,
        c.req.path,
      );
      // A key without the write scope may only read.
      if (c.req.method !== "GET" && !authenticated.apiKey.scopes.includes("write")) {
        throw new SimError(
          403,
          "forbidden",
          "this API key has no write scope; use a key with read and write scopes",
        );
      }
      enforceRestrictedKeyEndpoint(authenticated.apiKey, c.req.method, below);
      c.set("auth", authenticated);
    }
    await next();
  };
  api.use("*", auth);
  api.use("*", rateLimit(exchange));
  for (const register of ROUTE_MODULES) register(api, exchange);

  root.route(API_PREFIX, api);
  // Sim-only controls live outside Kalshi's namespace so no real client can hit them by mistake.
  const admin = new Hono();
  registerSimAdminRoutes(admin, exchange);
  root.route("/sim/v1", admin);

  root.get("/healthz", (c) => c.json({ ok: true }));
  root.notFound((c) =>
    c.json({ code: "not_found", message: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404),
  );
  root.onError((error, c) => {
    if (error instanceof SimError) return c.json(error.toBody(), error.status);
    console.error(
      JSON.stringify({
        at: "sim.http",
        what: "unhandled error",
        path: c.req.path,
        error: String(error),
      }),
    );
    return c.json(
      { code: "internal_server_error", message: "internal error in the simulated exchange" },
      500,
    );
  });
  return root;
}
