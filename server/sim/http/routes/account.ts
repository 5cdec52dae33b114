/**
 * Account API usage: the caller's tier and token-bucket limits, the list of
 * non-default endpoint costs, the self-serve Advanced upgrade, and volume
 * progress toward the volume-earned tiers (api-reference/account/*,
 * getting_started/rate_limits.md).
 *
 * The simulator keeps one tier per user (`UserRecord.tier`, set at account
 * creation or through the sim-only PUT /sim/v1/accounts/{user_id}/tier); the
 * grants list reports it as one permanent manual grant on the event_contract
 * lane (Basic, which every account has, is not a grant).
 */
import { z } from "zod";
import { formatCount, type Centis } from "@/lib/fixed-point";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { readQuery } from "@/server/sim/http/routes/market-data";
import type { SimState } from "@/server/sim/state";
import { DEFAULT_COST, nonDefaultEndpointCosts } from "@/server/sim/rate-limit/endpoint-costs";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";
import { effectiveTier, tierLimits, type UsageTier } from "@/server/sim/rate-limit/tiers";

const API_PREFIX = "/trade-api/v2";
const DAY_MS = 86_400_000;

/** Earn/Keep volume shares in thousandths of a percent, e.g. 75 = 0.075% (rate_limits.md "Earning higher tiers"). */
const VOLUME_GOALS: readonly { level: UsageTier; earn: number; keep: number }[] = [
  { level: "expert", earn: 75, keep: 50 },
  { level: "premier", earn: 125, keep: 100 },
  { level: "paragon", earn: 250, keep: 200 },
  { level: "prime", earn: 500, keep: 400 },
  { level: "prestige", earn: 1000, keep: 800 },
];

/** How many of a user's latest orders the upgrade looks at for an API-created one. */
const UPGRADE_LOOKBACK_ORDERS = 100;

/** Contracts the exchange traded in the calendar month (UTC) before the one containing `nowMs`. */
function previousMonthVolume(state: SimState, nowMs: number): Centis {
  const now = new Date(nowMs);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const previousStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
  let total = 0;
  for (const trade of state.trades) {
    if (trade.createdTime >= previousStart && trade.createdTime < monthStart) total += trade.count;
  }
  return total;
}

/** A volume goal: share × previous month's volume × 2, rounded up to the centi-contract. */
function goal(share: number, monthVolume: Centis): Centis {
  return Math.ceil((monthVolume * 2 * share) / 100_000);
}

export const registerAccountRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;

  // GET /account/limits – the caller's tier, Read/Write bucket budgets and grants
  app.get("/account/limits", (c) => {
    readQuery(c, z.strictObject({}));
    const tier = effectiveTier(c.get("auth").user.tier);
    const limits = tierLimits(tier);
    const bucket = (limit: { refillRate: number; capacity: number }) => ({
      refill_rate: limit.refillRate,
      bucket_capacity: limit.capacity,
    });
    return c.json({
      usage_tier: tier,
      read: bucket(limits.read),
      write: bucket(limits.write),
      grants:
        tier === "basic"
          ? []
          : [{ exchange_instance: "event_contract", level: tier, source: "manual" }],
    });
  });

  // GET /account/endpoint_costs – endpoints whose token cost is not the default
  app.get("/account/endpoint_costs", (c) => {
    readQuery(c, z.strictObject({}));
    return c.json({
      default_cost: DEFAULT_COST,
      endpoint_costs: nonDefaultEndpointCosts(API_PREFIX),
    });
  });

  // POST /account/api_usage_level/upgrade – self-serve Advanced grant for API traders
  app.post("/account/api_usage_level/upgrade", (c) => {
    const user = c.get("auth").user;
    // Every simulator order arrives through the API, so any recent order qualifies.
    let recent = 0;
    for (const order of state.orders.values()) {
      if (order.userId === user.userId) recent += 1;
      if (recent >= UPGRADE_LOOKBACK_ORDERS) break;
    }
    if (recent === 0) {
      throw simErrors.forbidden(
        "no API-created order among your latest 100 orders; place one and retry",
      );
    }
    // A higher tier is kept: the usage tier is the best grant held.
    if (effectiveTier(user.tier) === "basic") {
      const previous = user.tier;
      user.tier = "advanced";
      rateLimiter(state).tierChanged(user, previous);
    }
    return c.body(null, 201);
  });

  // GET /account/api_usage_level/volume_progress – trailing volume against the tier goals
  app.get("/account/api_usage_level/volume_progress", (c) => {
    readQuery(c, z.strictObject({}));
    const user = c.get("auth").user;
    // Kalshi computes this once a day; the simulator's "run" is at the start of the UTC day.
    const computedMs = Math.floor(state.now() / DAY_MS) * DAY_MS;
    let volume = 0;
    for (const fill of state.fills) {
      if (fill.userId !== user.userId) continue;
      if (fill.createdTime >= computedMs - 30 * DAY_MS && fill.createdTime < computedMs)
        volume += fill.count;
    }
    const monthVolume = previousMonthVolume(state, computedMs);
    return c.json({
      volume_progress: [
        {
          computed_ts: Math.floor(computedMs / 1000),
          trailing_30d_volume_fp: formatCount(volume),
          goals: VOLUME_GOALS.map((g) => ({
            level: g.level,
            earn_volume_goal_fp: formatCount(goal(g.earn, monthVolume)),
            keep_volume_goal_fp: formatCount(goal(g.keep, monthVolume)),
          })),
        },
      ],
    });
  });
};
