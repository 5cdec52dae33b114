/**
 * The history tier: with small memory caps, a trader's fill, executed and
 * canceled orders and trades leave memory under churn, and the historical
 * endpoints (and GET /portfolio/orders/{id}) still serve them exactly as
 * before, from the history files; the cutoffs move past them so the live
 * endpoints drop them (one tier per record). After restarts (journal replay,
 * then a snapshot) they are served the same and the files hold no record twice.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HistoryStore } from "@/server/sim/historical/history-store";
import type { FillRecord, MarketRecord } from "@/server/sim/model";
import { HISTORY_DIR } from "@/server/sim/persistence/open-exchange";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { createSignedFetch } from "@/server/sim/testing/signed-fetch";

const dirs: string[] = [];
const running: RunningSim[] = [];
afterAll(async () => {
  for (const sim of running) await sim.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sim-history-"));
  dirs.push(dir);
  return dir;
}

/** Small caps: the seed's 40k trades already overflow the trade cap at genesis. */
const RETENTION = { finishedOrders: 100, fills: 100, trades: 1_000 };

async function start(dataDir: string): Promise<RunningSim> {
  const sim = await startSimExchange({
    port: 0,
    bots: false,
    rateLimits: false,
    dataDir,
    retention: RETENTION,
    tickMs: 3_600_000,
    snapshotEvery: 0,
  });
  running.push(sim);
  return sim;
}

async function stop(sim: RunningSim): Promise<void> {
  await sim.close();
  running.splice(running.indexOf(sim), 1);
}

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

function liquidMarket(sim: RunningSim): MarketRecord {
  const { state } = sim.exchange;
  for (const market of state.markets.values()) {
    if (market.status !== "active" || market.closeTime < state.now() + 86_400_000) continue;
    const book = state.book(market.ticker);
    if (book.depth("bid").length > 2 && book.depth("ask").length > 2) return market;
  }
  throw new Error("no liquid market in the seed data");
}

const dollars = (micros: number) => (micros / 1_000_000).toFixed(2);

function order(ticker: string, side: "bid" | "ask", price: number, tif: string, count = "1") {
  return {
    method: "POST",
    body: JSON.stringify({
      ticker,
      side,
      count,
      price: dollars(price),
      time_in_force: tif,
      self_trade_prevention_type: "taker_at_cross",
    }),
  };
}

/** Every page of a list endpoint, following cursors. */
async function allPages(
  account: TestAccount,
  pathAndQuery: string,
  key: string,
): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor = "";
  for (let page = 0; page < 1000; page += 1) {
    const separator = pathAndQuery.includes("?") ? "&" : "?";
    const url = cursor ? `${pathAndQuery}${separator}cursor=${cursor}` : pathAndQuery;
    const body = await json(await account.fetch(url));
    out.push(...(body[key] as Array<Record<string, unknown>>));
    cursor = String(body.cursor ?? "");
    if (!cursor) return out;
  }
  throw new Error("too many pages");
}

describe("the history tier", { timeout: 180_000 }, () => {
  it("serves evicted fills, orders and trades from disk, across restarts", async () => {
    const dir = tempDir();
    const first = await start(dir);
    const market = liquidMarket(first);
    const { state } = first.exchange;
    const book = state.book(market.ticker);
    const bestAsk = book.depth("ask")[0]?.[0] ?? 0;
    const bestBid = book.depth("bid")[0]?.[0] ?? 0;
    const trader = await createTestAccount(first.restBaseUrl, { balanceCents: 100_000 });
    const churner = await createTestAccount(first.restBaseUrl, { balanceCents: 1_000_000 });

    // The trader's records: an executed IOC buy (a fill and a trade) and a canceled resting bid.
    const bought = await json(
      await trader.fetch(
        "/portfolio/events/orders",
        order(market.ticker, "bid", bestAsk, "immediate_or_cancel"),
      ),
    );
    const executedId = String(bought.order_id);
    const resting = await json(
      await trader.fetch(
        "/portfolio/events/orders",
        order(market.ticker, "bid", bestBid - 30_000, "good_till_canceled"),
      ),
    );
    const canceledId = String(resting.order_id);
    await json(await trader.fetch(`/portfolio/events/orders/${canceledId}`, { method: "DELETE" }));
    const fillsBefore = (await json(await trader.fetch("/portfolio/fills"))).fills as Array<
      Record<string, unknown>
    >;
    expect(fillsBefore).toHaveLength(1);
    const traderFill = fillsBefore[0] as Record<string, unknown>;
    const orderById = async (account: TestAccount, id: string) =>
      (await json(await account.fetch(`/portfolio/orders/${id}`))).order;
    const executedBefore = await orderById(trader, executedId);
    const canceledBefore = await orderById(trader, canceledId);
    const fillRecord = state.fills.find((f) => f.fillId === traderFill.fill_id) as FillRecord;

    // Churn: another account trades back and forth with the seed's ladder.
    for (let i = 0; i < 150; i += 1) {
      const side = i % 2 === 0 ? "bid" : "ask";
      const price = side === "bid" ? 990_000 : 10_000;
      await json(
        await churner.fetch(
          "/portfolio/events/orders",
          order(market.ticker, side, price, "immediate_or_cancel"),
        ),
      );
    }
    // The trader's fill and both orders left memory.
    expect(state.fills.some((f) => f.fillId === traderFill.fill_id)).toBe(false);
    expect(state.orders.has(executedId)).toBe(false);
    expect(state.orders.has(canceledId)).toBe(false);
    const { evicted } = state.retention;
    expect(evicted.fills).toBeGreaterThan(0);
    expect(evicted.orders).toBeGreaterThan(0);
    expect(evicted.trades).toBeGreaterThan(39_000);

    const check = async (account: TestAccount) => {
      // Historical now: the cutoffs moved past them, so the live lists drop them...
      const cutoff = await json(await account.fetch("/historical/cutoff"));
      expect(Date.parse(String(cutoff.trades_created_ts))).toBeGreaterThan(fillRecord.createdTime);
      const liveFills = (await json(await account.fetch("/portfolio/fills"))).fills as unknown[];
      expect(liveFills).toEqual([]);
      const liveOrders = (await json(await account.fetch("/portfolio/orders"))).orders as Array<{
        order_id: string;
      }>;
      expect(liveOrders.map((o) => o.order_id)).not.toContain(executedId);
      // ...and the historical endpoints serve them, field for field as before.
      const historicalFills = await allPages(account, "/historical/fills?limit=1", "fills");
      expect(historicalFills).toEqual([traderFill]);
      const historicalOrders = await allPages(account, "/historical/orders", "orders");
      expect(historicalOrders).toEqual([canceledBefore, executedBefore]);
      // A finished order is still found by id.
      expect(await orderById(account, executedId)).toEqual(executedBefore);
      expect(await orderById(account, canceledId)).toEqual(canceledBefore);
      // The trade behind the fill, paging from memory into the files, newest first, no repeats.
      const trades = await allPages(
        account,
        `/historical/trades?ticker=${market.ticker}&limit=200`,
        "trades",
      );
      const ids = trades.map((t) => String(t.trade_id));
      expect(ids).toContain(traderFill.trade_id);
      expect(new Set(ids).size).toBe(ids.length);
      const times = trades.map((t) => Date.parse(String(t.created_time)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    };
    await check(trader);
    await stop(first);

    // Restart: the journal replays, re-evicting the same records; the files do not grow.
    const sizes = () =>
      ["orders", "fills", "trades"].map(
        (kind) => readFileSync(path.join(dir, HISTORY_DIR, `${kind}.jsonl`)).length,
      );
    const sizesBefore = sizes();
    const again = (sim: RunningSim): TestAccount => ({
      ...trader,
      restBaseUrl: sim.restBaseUrl,
      fetch: createSignedFetch({
        restBaseUrl: sim.restBaseUrl,
        apiKeyId: trader.apiKeyId,
        privateKeyPem: trader.privateKeyPem,
      }),
    });
    const second = await start(dir);
    expect(second.restored?.mismatches).toBe(0);
    expect(sizes()).toEqual(sizesBefore);
    const history = second.exchange.state.retention.history;
    expect(history?.count("fills")).toBe(second.exchange.state.retention.evicted.fills);
    expect(history?.count("orders")).toBe(second.exchange.state.retention.evicted.orders);
    await check(again(second));

    // And from a snapshot.
    second.snapshot?.();
    await stop(second);
    const third = await start(dir);
    expect(third.restored?.snapshot).not.toBeNull();
    expect(sizes()).toEqual(sizesBefore);
    await check(again(third));
    await stop(third);
  });

  it("drops a torn last record and re-indexes blocks whose index line was lost", () => {
    const dir = tempDir();
    const store = new HistoryStore(dir);
    const fills: FillRecord[] = Array.from({ length: 2_500 }, (_, i) => ({
      fillId: `fill-${String(i).padStart(6, "0")}`,
      tradeId: `trade-${i}`,
      orderId: `order-${i}`,
      userId: i % 2 === 0 ? "alice" : "bob",
      subaccount: 0,
      ticker: i < 2_000 ? "KXA" : "KXB",
      side: "bid",
      price: 500_000,
      count: 100,
      isTaker: true,
      fee: 0,
      clientOrderId: `c-${i}`,
      postPosition: 100,
      createdTime: 1_000 + i,
    }));
    store.evict("fills", fills.slice(0, 1_500), 0);
    store.evict("fills", fills.slice(1_000, 2_500), 1_000); // overlaps: only 1_500.. are new
    store.close();
    expect(readFileSync(path.join(dir, "fills.jsonl"), "utf8").split("\n").length).toBe(2_502);
    // A torn line at the end, and the index's last line lost.
    appendFileSync(path.join(dir, "fills.jsonl"), '["fill-torn",');
    const index = readFileSync(path.join(dir, "fills.blocks.jsonl"), "utf8").split("\n");
    rmSync(path.join(dir, "fills.blocks.jsonl"));
    appendFileSync(path.join(dir, "fills.blocks.jsonl"), `${index[0]}\n`);

    const reopened = new HistoryStore(dir);
    expect(reopened.count("fills")).toBe(2_500);
    // Every record back, newest first, with its global index.
    const all = [...reopened.newestFirst("fills", Infinity, () => true)];
    expect(all.map(([index]) => index)).toEqual(fills.map((_, i) => i).reverse());
    expect(all.map(([, fill]) => fill)).toEqual([...fills].reverse());
    // Blocks without the ticker are not read (KXB starts at 2,000: blocks 1024.. and 2048..).
    const kxb = [...reopened.newestFirst("fills", Infinity, (block) => block.hasTicker("KXB"))];
    expect(kxb).toHaveLength(2_500 - 1_024);
    // Below a cursor.
    const older = [...reopened.newestFirst("fills", 2_100, () => true)];
    expect(older[0]?.[0]).toBe(2_099);
    expect(older).toHaveLength(2_100);
    // Appending goes on from where the file ends.
    reopened.evict("fills", [fills[0] as FillRecord], 2_500);
    expect(reopened.count("fills")).toBe(2_501);
    reopened.close();
  });
});
