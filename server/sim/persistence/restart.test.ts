/**
 * A persistent simulator restarted mid-session: the trader's key keeps
 * signing, and balance, resting orders, fills and positions read back the
 * same over REST. SIM_RESET (the `reset` option) starts fresh.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "@/server/sim/clock";
import type { MarketRecord } from "@/server/sim/model";
import { JOURNAL_FILE } from "@/server/sim/persistence/open-exchange";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { createSignedFetch } from "@/server/sim/testing/signed-fetch";

const dirs: string[] = [];
const running: RunningSim[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sim-persist-"));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string, extra: { reset?: boolean; bots?: boolean } = {}) {
  const sim = await startSimExchange({
    port: 0,
    bots: extra.bots ?? false,
    rateLimits: false,
    dataDir,
    reset: extra.reset,
  });
  running.push(sim);
  return sim;
}

async function stop(sim: RunningSim): Promise<void> {
  await sim.close();
  running.splice(running.indexOf(sim), 1);
}

afterAll(async () => {
  for (const sim of running) await sim.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An open seeded market with quotes on both sides (the seed's market maker). */
function liquidMarket(sim: RunningSim): MarketRecord {
  const { state } = sim.exchange;
  for (const market of state.markets.values()) {
    if (market.status !== "active" || market.closeTime < state.now() + 86_400_000) continue;
    const book = state.book(market.ticker);
    if (book.depth("bid").length > 2 && book.depth("ask").length > 2) return market;
  }
  throw new Error("no liquid market in the seed data");
}

async function body(response: Response): Promise<Record<string, unknown>> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

/** Everything the trader sees of their account, read over REST. */
async function portfolio(account: TestAccount) {
  const balance = await body(await account.fetch("/portfolio/balance"));
  const resting = await body(await account.fetch("/portfolio/orders?status=resting"));
  const all = await body(await account.fetch("/portfolio/orders"));
  const positions = await body(await account.fetch("/portfolio/positions"));
  const fills = await body(await account.fetch("/portfolio/fills"));
  return { balance: balance.balance, resting, all, positions, fills };
}

describe("simulator persistence across a restart", { timeout: 180_000 }, () => {
  it("keeps the key, balance, resting orders, fills and positions", async () => {
    const dir = tempDir();
    const first = await start(dir);
    const market = liquidMarket(first);
    const book = first.exchange.state.book(market.ticker);
    const bestAsk = book.depth("ask")[0]?.[0] ?? 0;
    const bestBid = book.depth("bid")[0]?.[0] ?? 0;
    const trader = await createTestAccount(first.restBaseUrl, { balanceCents: 500_000 });

    // A crossing buy (fills against the seed ladder, opens a position) and two resting orders.
    const dollars = (micros: number) => (micros / 1_000_000).toFixed(2);
    const place = (price: number, count: string) =>
      trader.fetch("/portfolio/events/orders", {
        method: "POST",
        body: JSON.stringify({
          ticker: market.ticker,
          side: "bid",
          count,
          price: dollars(price),
          time_in_force: "good_till_canceled",
          self_trade_prevention_type: "taker_at_cross",
        }),
      });
    await body(await place(bestAsk, "3"));
    await body(await place(bestBid - 20_000, "7"));
    const toCancel = await body(await place(bestBid - 30_000, "4"));
    const cancelId = String(
      toCancel.order_id ?? (toCancel.order as { order_id?: string })?.order_id,
    );
    await body(await trader.fetch(`/portfolio/events/orders/${cancelId}`, { method: "DELETE" }));

    const before = await portfolio(trader);
    expect((before.positions.market_positions as unknown[]).length).toBe(1);
    expect((before.resting.orders as unknown[]).length).toBe(1);
    const journal = readFileSync(path.join(dir, JOURNAL_FILE), "utf8");
    // The private key never reaches the disk.
    expect(journal).not.toContain("PRIVATE KEY");
    await stop(first);

    const second = await start(dir);
    expect(second.restored?.mismatches).toBe(0);
    expect(second.restored?.records).toBeGreaterThanOrEqual(5);
    // The same key, stored by the client before the restart, signs against the new process.
    const again: TestAccount = {
      ...trader,
      restBaseUrl: second.restBaseUrl,
      fetch: createSignedFetch({
        restBaseUrl: second.restBaseUrl,
        apiKeyId: trader.apiKeyId,
        privateKeyPem: trader.privateKeyPem,
      }),
    };
    const after = await portfolio(again);
    expect(after).toEqual(before);
    // The book still holds the resting order: it can be canceled after the restart.
    const resting = (after.resting.orders as Array<{ order_id: string }>)[0];
    await body(
      await again.fetch(`/portfolio/events/orders/${resting?.order_id}`, { method: "DELETE" }),
    );
    await stop(second);

    // The cancel made after the restart is remembered too.
    const third = await start(dir);
    const restingNow = await body(
      await createSignedFetch({
        restBaseUrl: third.restBaseUrl,
        apiKeyId: trader.apiKeyId,
        privateKeyPem: trader.privateKeyPem,
      })("/portfolio/orders?status=resting"),
    );
    expect(restingNow.orders).toEqual([]);
    await stop(third);
  });

  it("SIM_RESET (reset) starts fresh: the old key is unknown", async () => {
    const dir = tempDir();
    const first = await start(dir);
    const trader = await createTestAccount(first.restBaseUrl);
    await stop(first);

    const fresh = await start(dir, { reset: true });
    expect(fresh.restored?.records).toBe(0);
    expect(fresh.exchange.state.users.has(trader.userId)).toBe(false);
    const response = await createSignedFetch({
      restBaseUrl: fresh.restBaseUrl,
      apiKeyId: trader.apiKeyId,
      privateKeyPem: trader.privateKeyPem,
    })("/portfolio/balance");
    expect(response.status).toBe(401);
    await stop(fresh);
  });

  it("continues the clock from now: markets that closed while it was down are processed", async () => {
    const dir = tempDir();
    const t0 = Date.UTC(2026, 5, 1, 12);
    const startAt = async (clock: ManualClock) => {
      const sim = await startSimExchange({
        port: 0,
        bots: false,
        rateLimits: false,
        dataDir: dir,
        clock,
      });
      running.push(sim);
      return sim;
    };
    const first = await startAt(new ManualClock(t0));
    const market = [...first.exchange.state.markets.values()]
      .filter((m) => m.status === "active" && m.closeTime > t0)
      .sort((a, b) => a.closeTime - b.closeTime)[0];
    expect(market).toBeDefined();
    const ticker = market?.ticker ?? "";
    const closeTime = market?.closeTime ?? 0;
    const trader = await createTestAccount(first.restBaseUrl);
    const signed = (sim: RunningSim, clock: ManualClock) =>
      createSignedFetch({
        restBaseUrl: sim.restBaseUrl,
        apiKeyId: trader.apiKeyId,
        privateKeyPem: trader.privateKeyPem,
        now: () => clock.now(),
      });
    const placed = await body(
      await signed(first, new ManualClock(t0))("/portfolio/events/orders", {
        method: "POST",
        body: JSON.stringify({
          ticker,
          side: "bid",
          count: "1",
          price: "0.01",
          time_in_force: "good_till_canceled",
          self_trade_prevention_type: "taker_at_cross",
        }),
      }),
    );
    await stop(first);

    // Down past the close: the restarted exchange's first tick closes the market and its orders.
    const later = new ManualClock(closeTime + 3_600_000);
    const second = await startAt(later);
    expect(second.exchange.state.market(ticker)?.status).toBe("active");
    second.exchange.tick();
    expect(second.exchange.state.market(ticker)?.status).not.toBe("active");
    const order = await body(
      await signed(second, later)(`/portfolio/orders/${String(placed.order_id)}`),
    );
    expect((order.order as { status: string }).status).toBe("canceled");
    await stop(second);
  });

  it("refuses a second simulator on a directory in use, and frees it on close", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await expect(start(dir)).rejects.toThrow(/in use by another simulator/);
    await stop(first);
    const second = await start(dir);
    expect(second.restored?.mismatches).toBe(0);
    await stop(second);
  });

  it("replays the bots' orders and account top-ups exactly", async () => {
    const dir = tempDir();
    const first = await start(dir, { bots: true });
    const { state } = first.exchange;
    const placedBefore = state.orders.size;
    // Let the bots trade for a while (their timers run every 250 ms).
    await expect
      .poll(() => state.trades.length > 0 && state.orders.size > placedBefore + 20, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(true);
    const summary = (sim: RunningSim) => {
      const s = sim.exchange.state;
      return {
        orders: [...s.orders.values()].map((o) => [o.orderId, o.status, o.remainingCount]),
        balances: [...s.users.values()].map((u) => [u.userId, [...u.balances.entries()]]),
        positions: [...s.positions.values()].map((p) => [p.userId, p.ticker, p.position, p.cost]),
        trades: s.trades.length,
      };
    };
    await stop(first);
    const expected = summary(first);

    const second = await start(dir);
    expect(second.restored?.mismatches).toBe(0);
    expect(summary(second)).toEqual(expected);
    await stop(second);
  });
});
