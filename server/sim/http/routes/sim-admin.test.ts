/**
 * Sim-only controls: account bootstrap (and its validation, which must create
 * nothing), trading and exchange pauses with cancel_order_on_pause, info.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket } from "@/server/sim/testing/engine-fixtures";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

let sim: RunningSim;
let origin: string;
const TICKER = "KXPAUSE-26JAN01-T50";

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  origin = new URL(sim.restBaseUrl).origin;
  addMarket(sim.exchange.state, {
    ticker: TICKER,
    eventTicker: "KXPAUSE-26JAN01",
    seriesTicker: "KXPAUSE",
  });
});

afterAll(async () => {
  await sim.close();
});

async function admin(method: string, path: string, body?: string) {
  const response = await fetch(`${origin}/sim/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /sim/v1/accounts", () => {
  it("creates a $10,000 account with a working key by default", async () => {
    const { status, body } = await admin("POST", "/accounts");
    expect(status).toBe(201);
    expect(body.balance_cents).toBe(1_000_000);
    expect(String(body.private_key)).toContain("-----BEGIN PRIVATE KEY-----");
    const user = sim.exchange.state.users.get(String(body.user_id));
    expect(user && sim.exchange.state.balance(user, 0)).toBe(10_000 * 1_000_000);
    expect(user?.tier).toBe("basic");
    expect(sim.exchange.state.apiKeys.get(String(body.api_key_id))?.userId).toBe(body.user_id);
  });

  it("honours balance, tier and name", async () => {
    const { status, body } = await admin(
      "POST",
      "/accounts",
      JSON.stringify({ balance_cents: 2_500, tier: "prime", name: "e2e" }),
    );
    expect(status).toBe(201);
    expect(body.balance_cents).toBe(2_500);
    expect(sim.exchange.state.users.get(String(body.user_id))?.tier).toBe("prime");
    expect(sim.exchange.state.apiKeys.get(String(body.api_key_id))?.name).toBe("e2e");
  });

  it.each([
    ["{not json", /JSON/],
    [JSON.stringify({ balance_cents: -1 }), /balance_cents/],
    [JSON.stringify({ balance_cents: 1.5 }), /balance_cents/],
    [JSON.stringify({ balance_cents: 100_000_000_01 }), /balance_cents/],
    [JSON.stringify({ balance_cents: "100" }), /balance_cents/],
    [JSON.stringify({ tier: "gold" }), /tier/],
    [JSON.stringify({ balance: 100 }), /unknown field: balance/],
    [JSON.stringify([1]), /object/],
  ])("refuses %s with a 400 and creates nothing", async (body, message) => {
    const users = sim.exchange.state.users.size;
    const keys = sim.exchange.state.apiKeys.size;
    const result = await admin("POST", "/accounts", body);
    expect(result.status).toBe(400);
    expect(result.body.code).toBe("invalid_parameters");
    expect(result.body.message).toMatch(message);
    expect(sim.exchange.state.users.size).toBe(users);
    expect(sim.exchange.state.apiKeys.size).toBe(keys);
  });
});

describe("pause and resume", () => {
  let trader: TestAccount;

  beforeAll(async () => {
    trader = await createTestAccount(origin, { balanceCents: 100_000 });
  });

  function placeOrder(price: string, cancelOnPause: boolean) {
    return trader.fetch("/portfolio/events/orders", {
      method: "POST",
      body: JSON.stringify({
        ticker: TICKER,
        side: "bid",
        count: "5",
        price,
        time_in_force: "good_till_canceled",
        self_trade_prevention_type: "taker_at_cross",
        cancel_order_on_pause: cancelOnPause,
      }),
    });
  }

  it("validates the pause body", async () => {
    for (const body of [
      "",
      "{}",
      JSON.stringify({ kind: "nap" }),
      JSON.stringify({ kind: "trading", estimated_resume_minutes: -5 }),
      JSON.stringify({ kind: "trading", extra: 1 }),
    ]) {
      const result = await admin("POST", "/exchange/pause", body);
      expect(result.status, body).toBe(400);
    }
    expect(sim.exchange.state.flags).toMatchObject({ exchangeActive: true, tradingActive: true });
  });

  it("a trading pause cancels cancel_order_on_pause orders, refuses new orders, still allows cancels", async () => {
    const keep = await placeOrder("0.40", false);
    const drop = await placeOrder("0.41", true);
    expect(keep.status).toBe(201);
    expect(drop.status).toBe(201);
    const keepId = String(((await keep.json()) as Record<string, unknown>).order_id);
    const dropId = String(((await drop.json()) as Record<string, unknown>).order_id);

    const paused = await admin(
      "POST",
      "/exchange/pause",
      JSON.stringify({ kind: "trading", estimated_resume_minutes: 30 }),
    );
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      exchange_active: true,
      trading_active: false,
      canceled_orders: 1,
    });
    expect(sim.exchange.state.orders.get(dropId)?.status).toBe("canceled");
    expect(sim.exchange.state.orders.get(keepId)?.status).toBe("resting");
    expect(sim.exchange.state.book(TICKER).depth("bid")).toEqual([[400_000, 500]]);

    const status = (await (await fetch(`${sim.restBaseUrl}/exchange/status`)).json()) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({ exchange_active: true, trading_active: false });
    expect(status.exchange_estimated_resume_time).toBeTypeOf("string");

    const refused = await placeOrder("0.39", false);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as Record<string, unknown>).code).toBe("TRADING_PAUSED");

    // Cancels stay open during a trading pause (maintenance_and_pauses.md).
    expect(() => sim.exchange.engine.cancelOrder(trader.userId, keepId)).not.toThrow();
    expect(sim.exchange.state.orders.get(keepId)?.status).toBe("canceled");

    const resumed = await admin("POST", "/exchange/resume");
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      exchange_active: true,
      trading_active: true,
      exchange_estimated_resume_time: null,
    });
    expect((await placeOrder("0.39", true)).status).toBe(201);
  });

  it("an exchange pause refuses cancels too, and resume reopens everything", async () => {
    const placed = await placeOrder("0.30", false);
    const orderId = String(((await placed.json()) as Record<string, unknown>).order_id);
    const paused = await admin("POST", "/exchange/pause", JSON.stringify({ kind: "exchange" }));
    expect(paused.body).toMatchObject({
      exchange_active: false,
      trading_active: false,
      canceled_orders: 1,
    });
    expect(() => sim.exchange.engine.cancelOrder(trader.userId, orderId)).toThrow(/paused/);
    expect((await placeOrder("0.31", false)).status).toBe(503);
    expect((await admin("POST", "/exchange/resume", "{}")).status).toBe(200);
    expect(() => sim.exchange.engine.cancelOrder(trader.userId, orderId)).not.toThrow();
    expect((await admin("POST", "/exchange/resume", JSON.stringify({ now: true }))).status).toBe(
      400,
    );
  });
});

describe("GET /sim/v1/info", () => {
  it("describes the simulator", async () => {
    const { status, body } = await admin("GET", "/info");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      seed: 42,
      market_count: sim.exchange.state.markets.size,
      bots: { running: false },
    });
  });

  it("reports running bots", async () => {
    const withBots = await startSimExchange({ port: 0, bots: { rate: 2 } });
    try {
      const response = await fetch(`${new URL(withBots.restBaseUrl).origin}/sim/v1/info`);
      const body = (await response.json()) as { bots: Record<string, unknown> };
      expect(body.bots).toMatchObject({ running: true, rate: 2, interval_ms: 125 });
    } finally {
      await withBots.close();
    }
  });
});
