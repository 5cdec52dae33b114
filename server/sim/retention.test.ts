/**
 * Bounded memory: after many operations the finished orders, fills and trades
 * held in memory stay under their caps (counted, not timed), resting orders
 * are never dropped, and the live endpoints' lists keep the newest records.
 */
import { describe, expect, it } from "vitest";
import { SimError } from "@/server/sim/errors";
import { SeededRandom } from "@/server/sim/random";
import { addMarket, addUser, makeEngineExchange } from "@/server/sim/testing/engine-fixtures";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";

describe("retention caps", () => {
  it("keeps finished orders, fills and trades under the caps over 20,000 operations", () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const exchange = new SimExchange({
      seed: 5,
      clock,
      seedData: false,
      retention: { finishedOrders: 500, fills: 800, trades: 600 },
    });
    const { state, engine } = exchange;
    const market = addMarket(state, { ticker: "KXRET-26JAN01-T50" });
    const users = Array.from({ length: 20 }, () => addUser(state, 10_000_000, { isBot: true }));
    const random = new SeededRandom(11);
    let placed = 0;
    let maxFinished = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const side = random.chance(0.5) ? "bid" : "ask";
      const price = (random.int(45, 55) * 10_000) as number;
      try {
        engine.placeOrder({
          userId: random.pick(users).userId,
          ticker: market.ticker,
          side,
          price,
          count: random.int(1, 5) * 100,
          timeInForce: random.chance(0.3) ? "immediate_or_cancel" : "good_till_canceled",
          selfTradePrevention: "maker",
        });
        placed += 1;
      } catch (error) {
        if (!(error instanceof SimError)) throw error;
      }
      if (i % 1000 === 0)
        maxFinished = Math.max(maxFinished, state.retention.finishedOrdersInMemory());
    }
    const bounds = state.retention.bounds;
    expect(placed).toBeGreaterThan(15_000);
    expect(maxFinished).toBeLessThanOrEqual(bounds.finishedOrders);
    expect(state.retention.finishedOrdersInMemory()).toBeLessThanOrEqual(bounds.finishedOrders);
    expect(state.fills.length).toBeLessThanOrEqual(bounds.fills);
    expect(state.trades.length).toBeLessThanOrEqual(bounds.trades);
    // The per-market lists are the same trades: they leave with the global list.
    expect(state.tradesByMarket.get(market.ticker)?.length ?? 0).toBe(state.trades.length);
    expect(state.retention.evicted.orders).toBeGreaterThan(10_000);
    expect(state.retention.evicted.fills).toBeGreaterThan(0);
    // client_order_id bookkeeping leaves with the orders.
    expect(state.clientOrderIds.size).toBe(state.orders.size);
    // Every resting order is still there, and the newest fill is the last one made.
    for (const set of state.restingByMarket.values())
      for (const order of set) expect(state.orders.get(order.orderId)).toBe(order);
    const newest = state.fills[state.fills.length - 1];
    expect(newest && state.trades[state.trades.length - 1]?.tradeId).toBe(newest?.tradeId);
  });

  it("uses the defaults when not configured (generous caps)", () => {
    const { state } = makeEngineExchange();
    expect(state.retention.limits.finishedOrders).toBeGreaterThanOrEqual(100_000);
  });
});
