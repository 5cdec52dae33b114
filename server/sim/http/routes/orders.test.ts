/**
 * Order entry over real HTTP: the V2 and legacy families, portfolio reads,
 * and bad input that must get a 4xx naming the problem and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/sim/accounts";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";

let sim: RunningSim;
let market: MarketRecord;
let tapered: MarketRecord;
let alice: { user: UserRecord; fetch: SignedFetch };
let bob: { user: UserRecord; fetch: SignedFetch };

function account(balanceCents: number) {
  const user = addUser(sim.exchange.state, balanceCents);
  const key = generateApiKey(sim.exchange.state, user, "test");
  return {
    user,
    fetch: createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: key.apiKeyId,
      privateKeyPem: key.privateKeyPem,
    }),
  };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

function post(fetcher: SignedFetch, path: string, body: unknown, method = "POST") {
  return fetcher(path, { method, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Everything a bad request could have changed. */
function snapshot() {
  const { state } = sim.exchange;
  return {
    orders: state.orders.size,
    fills: state.fills.length,
    alice: state.balance(alice.user, 0),
    bob: state.balance(bob.user, 0),
    bids: state.book(market.ticker).depth("bid"),
    asks: state.book(market.ticker).depth("ask"),
  };
}

const TICKER = "KXORD-26JAN01-T50";
const order = (overrides: Record<string, unknown> = {}) => ({
  ticker: TICKER,
  side: "bid",
  count: "10",
  price: "0.40",
  time_in_force: "good_till_canceled",
  self_trade_prevention_type: "taker_at_cross",
  ...overrides,
});

beforeAll(async () => {
  // Rate limits are covered in server/sim/rate-limit; these tests fire many writes from Basic accounts.
  sim = await startSimExchange({ port: 0, bots: false, rateLimits: false });
  market = addMarket(sim.exchange.state, {
    ticker: TICKER,
    eventTicker: "KXORD-26JAN01",
    seriesTicker: "KXORD",
  });
  tapered = addMarket(sim.exchange.state, {
    ticker: "KXORD-26JAN01-T60",
    eventTicker: "KXORD-26JAN01",
    seriesTicker: "KXORD",
    priceLevelStructure: "tapered_deci_cent",
  });
  alice = account(100_000); // $1,000
  bob = account(100_000);
});

afterAll(async () => {
  await sim.close();
});

describe("V2 order entry", () => {
  it("rests a bid, crosses it with an ask, and reports fills, positions and balances", async () => {
    const placed = await post(
      alice.fetch,
      "/portfolio/events/orders",
      order({ client_order_id: "alice-1" }),
    );
    expect(placed.status).toBe(201);
    const placedBody = await json(placed);
    expect(placedBody).toMatchObject({
      client_order_id: "alice-1",
      fill_count: "0.00",
      remaining_count: "10.00",
    });
    expect(typeof placedBody.ts_ms).toBe("number");
    expect(placedBody).not.toHaveProperty("average_fill_price");

    expect(sim.exchange.state.book(market.ticker).depth("bid")).toEqual([[400_000, 1000]]);

    const crossed = await post(
      bob.fetch,
      "/portfolio/events/orders",
      order({ side: "ask", price: "0.35", count: "4", time_in_force: "immediate_or_cancel" }),
    );
    expect(crossed.status).toBe(201);
    const crossedBody = await json(crossed);
    // Trades at the resting bid's price: $0.40.
    expect(crossedBody).toMatchObject({
      fill_count: "4.00",
      remaining_count: "0.00",
      average_fill_price: "0.4000",
    });
    // Taker fee 0.07 × 4 × 0.40 × 0.60 = $0.0672 → rounding to the cent makes the net $0.0700 on one fill → $0.0175/contract.
    expect(crossedBody.average_fee_paid).toBe("0.0175");

    const fills = await json(await alice.fetch("/portfolio/fills"));
    expect(fills.fills).toHaveLength(1);
    expect((fills.fills as Array<Record<string, unknown>>)[0]).toMatchObject({
      count_fp: "4.00",
      yes_price_dollars: "0.4000",
      no_price_dollars: "0.6000",
      is_taker: false,
      book_side: "bid",
      outcome_side: "yes",
      side: "yes",
      action: "buy",
    });

    const positions = await json(await alice.fetch("/portfolio/positions"));
    expect(positions.market_positions).toEqual([
      expect.objectContaining({
        ticker: market.ticker,
        position_fp: "4.00",
        market_exposure_dollars: "1.6000",
      }),
    ]);
    const bobPositions = await json(await bob.fetch("/portfolio/positions"));
    expect(bobPositions.market_positions).toEqual([
      expect.objectContaining({
        ticker: market.ticker,
        position_fp: "-4.00",
        market_exposure_dollars: "2.4000",
      }),
    ]);

    // Bob paid $0.60 × 4 = $2.40 for NO plus $0.07 in fees: $997.53 left.
    const bobBalance = await json(await bob.fetch("/portfolio/balance"));
    expect(bobBalance).toMatchObject({ balance: 99_753, balance_dollars: "997.5300" });
  });

  it("lists, reads, decreases, amends and cancels an order", async () => {
    const list = await json(
      await alice.fetch(`/portfolio/orders?status=resting&ticker=${market.ticker}`),
    );
    const orders = list.orders as Array<Record<string, unknown>>;
    expect(orders).toHaveLength(1);
    const first = orders[0] as Record<string, unknown>;
    expect(first).toMatchObject({
      remaining_count_fp: "6.00",
      fill_count_fp: "4.00",
      status: "resting",
      client_order_id: "alice-1",
    });
    const id = String(first.order_id);

    const one = await json(await alice.fetch(`/portfolio/orders/${id}`));
    expect((one.order as Record<string, unknown>).order_id).toBe(id);

    const decreased = await post(alice.fetch, `/portfolio/events/orders/${id}/decrease`, {
      reduce_by: "1",
    });
    expect(decreased.status).toBe(200);
    expect(await json(decreased)).toMatchObject({ order_id: id, remaining_count: "5.00" });

    const amended = await post(alice.fetch, `/portfolio/events/orders/${id}/amend`, {
      ticker: market.ticker,
      side: "bid",
      price: "0.41",
      count: "12",
    });
    expect(amended.status).toBe(200);
    expect(await json(amended)).toMatchObject({ order_id: id, remaining_count: "8.00" });
    expect(sim.exchange.state.book(market.ticker).depth("bid")).toEqual([[410_000, 800]]);

    const queue = await json(await alice.fetch(`/portfolio/orders/${id}/queue_position`));
    expect(queue).toEqual({ queue_position_fp: "0.00" });

    const canceled = await alice.fetch(`/portfolio/events/orders/${id}`, { method: "DELETE" });
    expect(canceled.status).toBe(200);
    expect(await json(canceled)).toMatchObject({ order_id: id, reduced_by: "8.00" });
    expect(sim.exchange.state.book(market.ticker).depth("bid")).toEqual([]);
  });

  it("never lets one user see or cancel another's order", async () => {
    const placed = await json(
      await post(alice.fetch, "/portfolio/events/orders", order({ price: "0.30" })),
    );
    const id = String(placed.order_id);
    expect((await bob.fetch(`/portfolio/orders/${id}`)).status).toBe(404);
    const cancel = await bob.fetch(`/portfolio/events/orders/${id}`, { method: "DELETE" });
    expect(cancel.status).toBe(404);
    expect(sim.exchange.state.orders.get(id)?.status).toBe("resting");
    const bobOrders = await json(await bob.fetch("/portfolio/orders"));
    expect(
      (bobOrders.orders as unknown[]).some((o) => (o as { order_id: string }).order_id === id),
    ).toBe(false);
    await alice.fetch(`/portfolio/events/orders/${id}`, { method: "DELETE" });
  });

  it("accepts sub-cent prices on a tapered market and rejects them on a cent grid", async () => {
    const ok = await post(
      alice.fetch,
      "/portfolio/events/orders",
      order({ ticker: tapered.ticker, price: "0.055" }),
    );
    expect(ok.status).toBe(201);
    const bad = await post(alice.fetch, "/portfolio/events/orders", order({ price: "0.555" }));
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ code: "INVALID_PRICE" });
  });

  it("places and cancels in batches, reporting each item's own error", async () => {
    const response = await post(alice.fetch, "/portfolio/events/orders/batched", {
      orders: [order({ price: "0.20" }), order({ price: "0.205" }), order({ ticker: "NOPE-1" })],
    });
    expect(response.status).toBe(201);
    const body = await json(response);
    const items = body.orders as Array<Record<string, unknown>>;
    expect(items[0]).toMatchObject({ remaining_count: "10.00" });
    expect((items[1]?.error as { code: string }).code).toBe("INVALID_PRICE");
    expect((items[2]?.error as { code: string }).code).toBe("MARKET_NOT_FOUND");

    const cancel = await post(
      alice.fetch,
      "/portfolio/events/orders/batched",
      { orders: [{ order_id: String(items[0]?.order_id) }, { order_id: "missing" }] },
      "DELETE",
    );
    expect(cancel.status).toBe(200);
    const canceled = (await json(cancel)).orders as Array<Record<string, unknown>>;
    expect(canceled[0]).toMatchObject({ reduced_by: "10.00" });
    expect((canceled[1]?.error as { code: string }).code).toBe("not_found");
  });

  it("maps the legacy yes/no + buy/sell shape onto the same book", async () => {
    const response = await post(alice.fetch, "/portfolio/orders", {
      ticker: market.ticker,
      side: "no",
      action: "buy",
      count: 3,
      no_price: 70,
      client_order_id: "legacy-1",
    });
    expect(response.status).toBe(201);
    const body = (await json(response)).order as Record<string, unknown>;
    // Buying NO at 70¢ is an ask (sell YES) at 30¢.
    expect(body).toMatchObject({
      book_side: "ask",
      yes_price_dollars: "0.3000",
      no_price_dollars: "0.7000",
      status: "resting",
    });
    const cancel = await alice.fetch(`/portfolio/orders/${String(body.order_id)}`, {
      method: "DELETE",
    });
    expect(await json(cancel)).toMatchObject({ reduced_by_fp: "3.00" });
  });
});

describe("bad input changes nothing", () => {
  const cases: Array<[string, unknown, number, RegExp]> = [
    ["malformed JSON", "{not json", 400, /not valid JSON/],
    ["an unknown field", order({ colour: "red" }), 400, /unknown field.*colour/],
    ["an off-grid price", order({ price: "0.405" }), 400, /not a valid price/],
    ["a price with too many decimals", order({ price: "0.40001" }), 400, /^price: .*decimal/],
    ["a negative count", order({ count: "-1" }), 400, /^count: /],
    ["a count finer than 0.01", order({ count: "1.005" }), 400, /^count: .*0\.01/],
    ["a zero count", order({ count: "0" }), 400, /^count: .*at least 0\.01/],
    ["a float count", order({ count: 10 }), 400, /^count: /],
    ["an unknown ticker", order({ ticker: "NO-SUCH-MARKET" }), 404, /NO-SUCH-MARKET/],
    ["a bad side", order({ side: "buy" }), 400, /^side: /],
    ["a missing time_in_force", { ...order(), time_in_force: undefined }, 400, /time_in_force/],
    [
      "an expiration with IOC",
      order({ time_in_force: "immediate_or_cancel", expiration_time: 4_000_000_000 }),
      400,
      /expiration_time/,
    ],
    ["a subaccount that does not exist", order({ subaccount: 5 }), 400, /subaccount 5/],
    ["a price of $1", order({ price: "1.00" }), 400, /not a valid price/],
  ];

  for (const [name, body, status, message] of cases) {
    it(`refuses ${name}`, async () => {
      const before = snapshot();
      const response = await post(alice.fetch, "/portfolio/events/orders", body);
      expect(response.status).toBe(status);
      const error = await json(response);
      expect(typeof error.code).toBe("string");
      expect(String(error.message)).toMatch(message);
      expect(snapshot()).toEqual(before);
    });
  }

  it("refuses an order larger than the balance with INSUFFICIENT_BALANCE", async () => {
    const before = snapshot();
    const response = await post(
      alice.fetch,
      "/portfolio/events/orders",
      order({ count: "100000" }),
    );
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "INSUFFICIENT_BALANCE" });
    expect(snapshot()).toEqual(before);
  });

  it("refuses a reused client_order_id with 409", async () => {
    const first = await post(
      alice.fetch,
      "/portfolio/events/orders",
      order({ client_order_id: "dup-1", price: "0.10" }),
    );
    expect(first.status).toBe(201);
    const before = snapshot();
    const second = await post(
      alice.fetch,
      "/portfolio/events/orders",
      order({ client_order_id: "dup-1", price: "0.11" }),
    );
    expect(second.status).toBe(409);
    expect(await json(second)).toMatchObject({ code: "ORDER_ALREADY_EXISTS" });
    expect(snapshot()).toEqual(before);
  });

  it("refuses bad query parameters naming them", async () => {
    const response = await alice.fetch("/portfolio/orders?limit=0");
    expect(response.status).toBe(400);
    expect(String((await json(response)).message)).toMatch(/^limit: /);
    const unknown = await alice.fetch("/portfolio/fills?colour=red");
    expect(unknown.status).toBe(400);
    expect(String((await json(unknown)).message)).toMatch(/colour/);
  });

  it("refuses unsigned, badly signed and stale requests with 401", async () => {
    const before = snapshot();
    const unsigned = await fetch(`${sim.restBaseUrl}/portfolio/events/orders`, {
      method: "POST",
      body: JSON.stringify(order()),
    });
    expect(unsigned.status).toBe(401);
    expect(String((await json(unsigned)).message)).toMatch(/KALSHI-ACCESS-KEY/);
    const key = generateApiKey(sim.exchange.state, alice.user, "stale");
    const stale = createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: key.apiKeyId,
      privateKeyPem: key.privateKeyPem,
      now: () => Date.now() - 120_000,
    });
    const staleResponse = await post(stale, "/portfolio/events/orders", order());
    expect(staleResponse.status).toBe(401);
    expect(String((await json(staleResponse)).message)).toMatch(/old/);
    const other = generateApiKey(sim.exchange.state, bob.user, "other");
    const forged = createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: key.apiKeyId,
      privateKeyPem: other.privateKeyPem,
    });
    const forgedResponse = await post(forged, "/portfolio/events/orders", order());
    expect(forgedResponse.status).toBe(401);
    expect(String((await json(forgedResponse)).message)).toMatch(/does not verify/);
    expect(snapshot()).toEqual(before);
  });
});

describe("API key scopes", () => {
  it("refuses a mutation signed with a read-only key and changes nothing", async () => {
    const key = generateApiKey(sim.exchange.state, alice.user, "read-only", ["read"]);
    const readOnly = createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: key.apiKeyId,
      privateKeyPem: key.privateKeyPem,
    });
    const before = snapshot();
    const response = await post(readOnly, "/portfolio/events/orders", order());
    expect(response.status).toBe(403);
    expect(String((await json(response)).message)).toMatch(/write scope/);
    expect(snapshot()).toEqual(before);
    expect((await readOnly("/portfolio/balance")).status).toBe(200);
  });
});
