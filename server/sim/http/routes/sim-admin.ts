/**
 * Sim-only controls under `/sim/v1` (no authentication; the simulator binds to
 * loopback): bootstrap a funded account with a signing key, pause and resume
 * the exchange, and describe the running simulator. Real Kalshi has none of
 * these; they exist so a newcomer or a test needs nothing from Kalshi.
 */
import type { Hono } from "hono";
import { z } from "zod";
import { createAccount, generateApiKey } from "@/server/sim/accounts";
import { botStatus } from "@/server/sim/bots/start-bots";
import { simErrors } from "@/server/sim/errors";
import type { SimExchange } from "@/server/sim/exchange";
import { parseBlankableJsonBody } from "@/server/sim/http/validation";
import { registerMarketControlRoutes } from "@/server/sim/lifecycle/admin-routes";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";
import { USAGE_TIERS } from "@/server/sim/rate-limit/tiers";
import { statePart, type SimState } from "@/server/sim/state";

/** $10,000: enough to trade every page of the app without thinking about cash. */
export const DEFAULT_BALANCE_CENTS = 1_000_000;
/** $100M: keeps every balance far inside the exact range of micro-dollar arithmetic. */
export const MAX_BALANCE_CENTS = 100_000_000_00;

export type PauseKind = "trading" | "exchange";

export interface PauseRecord {
  kind: PauseKind;
  since: number;
}

const PAUSE = statePart<{ current: PauseRecord | undefined }>("pause", () => ({
  current: undefined,
}));

/** The pause in effect, if one was started through `pauseExchange`. */
export function currentPause(state: SimState): PauseRecord | undefined {
  const pause = state.part(PAUSE).current;
  if (pause && state.flags.exchangeActive && state.flags.tradingActive) return undefined;
  return pause;
}

/**
 * Starts a trading pause (no new orders or amendments; cancels allowed) or an
 * exchange pause (no order changes at all), per maintenance_and_pauses.md.
 * Resting orders stay unless they were placed with cancel_order_on_pause.
 * Returns how many orders were canceled.
 */
export function pauseExchange(
  exchange: SimExchange,
  kind: PauseKind,
  estimatedResumeMinutes?: number,
): number {
  const { state } = exchange;
  const now = state.now();
  state.flags.tradingActive = false;
  state.flags.exchangeActive = kind === "trading";
  state.flags.estimatedResumeTime =
    estimatedResumeMinutes === undefined ? null : now + estimatedResumeMinutes * 60_000;
  state.part(PAUSE).current = { kind, since: now };
  let canceled = 0;
  for (const ticker of state.markets.keys())
    canceled += exchange.engine.cancelMarketOrders(ticker, "pause", true);
  // Orders may rest on books of tickers the market map does not list (tests, removed markets).
  for (const ticker of state.restingByMarket.keys()) {
    if (!state.markets.has(ticker))
      canceled += exchange.engine.cancelMarketOrders(ticker, "pause", true);
  }
  return canceled;
}

/** Ends any pause: exchange and trading active again. */
export function resumeExchange(exchange: SimExchange): void {
  const { flags } = exchange.state;
  flags.exchangeActive = true;
  flags.tradingActive = true;
  flags.estimatedResumeTime = null;
  exchange.state.part(PAUSE).current = undefined;
}

const CreateAccountBody = z
  .object({
    balance_cents: z.number().int().min(0).max(MAX_BALANCE_CENTS).optional(),
    tier: z.enum(USAGE_TIERS).optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

const PauseBody = z
  .object({
    kind: z.enum(["trading", "exchange"]),
    estimated_resume_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();

const EmptyBody = z.object({}).strict();

const TierBody = z.object({ tier: z.enum(USAGE_TIERS) }).strict();

function statusBody(state: SimState) {
  const { exchangeActive, tradingActive, estimatedResumeTime } = state.flags;
  return {
    exchange_active: exchangeActive,
    trading_active: exchangeActive && tradingActive,
    exchange_estimated_resume_time:
      estimatedResumeTime === null ? null : new Date(estimatedResumeTime).toISOString(),
  };
}

export function registerSimAdminRoutes(app: Hono, exchange: SimExchange): void {
  const { state } = exchange;
  // POST /sim/v1/markets/{ticker}/close|determine|settle|deactivate|activate|close_time – lifecycle controls
  registerMarketControlRoutes(app, exchange);

  // POST /sim/v1/accounts – a funded account and a fresh API key (private key returned once)
  app.post("/accounts", async (c) => {
    const body = await parseBlankableJsonBody(c, CreateAccountBody, true);
    const balanceCents = body.balance_cents ?? DEFAULT_BALANCE_CENTS;
    const user = createAccount(state, { balanceCents, tier: body.tier ?? "basic" });
    const key = generateApiKey(state, user, body.name ?? "sim-bootstrap");
    return c.json(
      {
        user_id: user.userId,
        api_key_id: key.apiKeyId,
        private_key: key.privateKeyPem,
        balance_cents: balanceCents,
      },
      201,
    );
  });

  // PUT /sim/v1/accounts/{user_id}/tier – set an account's API usage tier (rate limits, GET /account/limits)
  app.put("/accounts/:user_id/tier", async (c) => {
    const body = await parseBlankableJsonBody(c, TierBody, false);
    const userId = c.req.param("user_id");
    const user = state.users.get(userId);
    if (!user) throw simErrors.notFound(`account ${userId}`);
    const previous = user.tier;
    user.tier = body.tier;
    rateLimiter(state).tierChanged(user, previous);
    return c.json({ user_id: user.userId, tier: user.tier });
  });

  // POST /sim/v1/exchange/pause – start a trading or exchange pause
  app.post("/exchange/pause", async (c) => {
    // Hono's c.req.text() caches the body, so the emptiness check and the parse share one read.
    const body = await parseBlankableJsonBody(c, PauseBody, false);
    const canceled = pauseExchange(exchange, body.kind, body.estimated_resume_minutes);
    return c.json({ ...statusBody(state), canceled_orders: canceled });
  });

  // POST /sim/v1/exchange/resume – end any pause
  app.post("/exchange/resume", async (c) => {
    await parseBlankableJsonBody(c, EmptyBody, true);
    resumeExchange(exchange);
    return c.json(statusBody(state));
  });

  // GET /sim/v1/info – seed, data size and bot activity of this simulator
  app.get("/info", (c) => {
    let activeMarkets = 0;
    for (const market of state.markets.values()) if (market.status === "active") activeMarkets += 1;
    return c.json({
      seed: state.seed,
      now: new Date(state.now()).toISOString(),
      series_count: state.series.size,
      event_count: state.events.size,
      market_count: state.markets.size,
      active_market_count: activeMarkets,
      user_count: [...state.users.values()].filter((u) => !u.isBot).length,
      trade_count: state.trades.length,
      ...statusBody(state),
      bots: botStatus(exchange),
    });
  });
}
