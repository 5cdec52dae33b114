/**
 * Snapshots: an exchange restored from one is the same exchange (every stored
 * field equal) and goes on to behave exactly like the original; a persistent
 * simulator restarts from its latest snapshot plus the journal written since,
 * with the journal compacted; files a crash mid-snapshot leaves behind are
 * ignored and removed.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { deserialize } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { MarketBots } from "@/server/sim/bots/market-bots";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { createOrderGroup } from "@/server/sim/order-groups/order-group-store";
import { readJournal } from "@/server/sim/persistence/journal-file";
import { JOURNAL_FILE, type JournalHeader } from "@/server/sim/persistence/open-exchange";
import { captureExchange, restoreExchange } from "@/server/sim/persistence/snapshot";
import { RECORD_TAG, type EncodedGraph } from "@/server/sim/persistence/snapshot-codec";
import { RfqMakerBot } from "@/server/sim/rfq/rfq-maker-bot";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount } from "@/server/sim/testing/new-account";
import { createSignedFetch } from "@/server/sim/testing/signed-fetch";

const dirs: string[] = [];
const running: RunningSim[] = [];
afterAll(async () => {
  for (const sim of running) await sim.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sim-snapshot-"));
  dirs.push(dir);
  return dir;
}

/**
 * Everything a snapshot stores, as plain data (records spelled out from their
 * shapes): two exchanges with equal pictures hold the same state.
 */
function picture(exchange: SimExchange): unknown {
  const { shapes, root } = deserialize(captureExchange(exchange)) as EncodedGraph;
  const memo = new Map<object, unknown>();
  const expand = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    const seen = memo.get(value);
    if (seen !== undefined) return seen;
    if (Array.isArray(value) && value[0] === RECORD_TAG) {
      const keys = shapes[value[1] as number] ?? [];
      const record = Object.fromEntries(keys.map((key, i) => [key, value[i + 2]]));
      memo.set(value, record);
      return record;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      memo.set(value, out);
      for (const item of value) out.push(expand(item));
      return out;
    }
    if (value instanceof Map) {
      const out = new Map();
      memo.set(value, out);
      for (const [key, item] of value) out.set(expand(key), expand(item));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set();
      memo.set(value, out);
      for (const item of value) out.add(expand(item));
      return out;
    }
    const out: Record<string, unknown> = {};
    memo.set(value, out);
    for (const [key, item] of Object.entries(value)) out[key] = expand(item);
    return out;
  };
  return expand(root);
}

/**
 * The picture without the housekeeping schedulers (lifecycle schedule,
 * rolling series): a tick that only advances their bookkeeping changes
 * nothing a client can see, so the journal does not record it (recorder.ts)
 * and a restart may hold them at an earlier point; the next tick catches up.
 */
function visibleState(exchange: SimExchange): unknown {
  const { state, parts, rfqDesk } = picture(exchange) as {
    state: unknown;
    parts: Array<[string, unknown]>;
    rfqDesk: unknown;
  };
  const housekeeping = new Set(["lifecycle-schedule", "rolling-series"]);
  return { state, rfqDesk, parts: parts.filter(([name]) => !housekeeping.has(name)) };
}

const T0 = Date.UTC(2026, 5, 1, 12);

/** Bots, RFQs, an order group and housekeeping ticks on a seeded exchange, in lockstep steps. */
function drive(exchange: SimExchange, clock: ManualClock, steps: number): void {
  const bots = new MarketBots(exchange, {});
  const rfqMaker = new RfqMakerBot(exchange, {});
  const { state } = exchange;
  const trader = [...state.users.values()].find((u) => !u.isBot) ?? null;
  for (let i = 0; i < steps; i += 1) {
    bots.step();
    rfqMaker.step();
    if (trader && i % 25 === 0) {
      const market = [...state.markets.values()].find(
        (m) => m.status === "active" && m.closeTime > clock.now() + 86_400_000,
      );
      if (market) {
        try {
          exchange.rfqDesk.createRfq(
            { userId: trader.userId, lockedSubaccount: null },
            {
              marketTicker: market.ticker,
              contracts: 500,
              targetCost: null,
              targetCostExcludesFees: false,
              restRemainder: false,
              replaceExisting: true,
              subaccount: undefined,
            },
          );
        } catch {
          // The desk's rules refused it (an RFQ already open...): the same in both runs.
        }
      }
    }
    clock.advance(250);
    exchange.tick();
  }
}

describe("exchange snapshots", { timeout: 120_000 }, () => {
  it("restores an exchange equal to the original that then behaves exactly like it", () => {
    const clockA = new ManualClock(T0);
    const a = new SimExchange({ seed: 11, clock: clockA });
    const trader = a.state.users.size;
    expect(trader).toBeGreaterThan(0);
    // A human trader with an order group, so every part has something in it.
    const human = (() => {
      const before = new Set(a.state.users.keys());
      new MarketBots(a, {}); // adds its taker accounts
      return [...a.state.users.values()].find((u) => !before.has(u.userId));
    })();
    expect(human).toBeDefined();
    if (human) {
      human.isBot = false;
      createOrderGroup(a.state, {
        userId: human.userId,
        subaccount: 0,
        contractsLimit: 50_000,
      });
    }
    drive(a, clockA, 400);
    expect(a.rfqDesk.rfqs.size).toBeGreaterThan(0);

    const payload = captureExchange(a);
    const clockB = new ManualClock(clockA.now());
    const b = new SimExchange({ seed: 11, clock: clockB, seedData: false });
    restoreExchange(b, payload);
    expect(isDeepStrictEqual(picture(b), picture(a))).toBe(true);
    expect(b.state.partNames().sort()).toEqual(
      a.state
        .persistentParts()
        .map(([n]) => n)
        .sort(),
    );

    // The same steps on both from here: the same orders, trades, RFQs, lifecycle, ids.
    drive(a, clockA, 300);
    drive(b, clockB, 300);
    expect(b.state.trades.length).toBe(a.state.trades.length);
    expect([...b.state.orders.keys()]).toEqual([...a.state.orders.keys()]);
    expect(isDeepStrictEqual(picture(b), picture(a))).toBe(true);
  });

  it("restarts from the latest snapshot plus the journal since, and compacts the journal", async () => {
    const dir = tempDir();
    const start = () =>
      startSimExchange({
        port: 0,
        bots: { intervalMs: 20 },
        rfqMaker: false,
        rateLimits: false,
        dataDir: dir,
        tickMs: 3_600_000,
        snapshotEvery: 0,
      }).then((sim) => {
        running.push(sim);
        return sim;
      });
    const stop = async (sim: RunningSim) => {
      await sim.close();
      running.splice(running.indexOf(sim), 1);
    };

    const first = await start();
    const trader = await createTestAccount(first.restBaseUrl, { balanceCents: 100_000 });
    const { state } = first.exchange;
    const tradesAt = (n: number) => () => state.trades.length > n;
    await expect.poll(tradesAt(state.trades.length + 20), { timeout: 20_000 }).toBe(true);
    const taken = first.snapshot?.();
    expect(taken?.records).toBeGreaterThan(20);
    // Right after a snapshot the journal holds only its header, naming the snapshot.
    const compacted = readJournal(path.join(dir, JOURNAL_FILE));
    expect(compacted.lines).toHaveLength(1);
    expect((compacted.lines[0]?.value as JournalHeader).snapshot).toBe(taken?.file);
    await expect.poll(tradesAt(state.trades.length + 20), { timeout: 20_000 }).toBe(true);
    await stop(first);
    const tail = readJournal(path.join(dir, JOURNAL_FILE)).lines.length - 1;
    expect(tail).toBeGreaterThan(0);

    const second = await start();
    expect(second.restored?.snapshot?.file).toBe(taken?.file);
    expect(second.restored?.replayed).toBe(tail);
    expect(second.restored?.records).toBe((taken?.records ?? 0) + tail);
    expect(second.restored?.mismatches).toBe(0);
    // The trader's key, created before the snapshot, still signs.
    const response = await createSignedFetch({
      restBaseUrl: second.restBaseUrl,
      apiKeyId: trader.apiKeyId,
      privateKeyPem: trader.privateKeyPem,
    })("/portfolio/balance");
    expect(response.status).toBe(200);
    await stop(second);
  });

  it("restores exactly the state it had before a restart (snapshot + tail)", async () => {
    const dir = tempDir();
    const clock = new ManualClock(T0);
    const start = () =>
      startSimExchange({
        port: 0,
        bots: false,
        rfqMaker: false,
        rateLimits: false,
        dataDir: dir,
        clock,
        tickMs: 3_600_000,
        snapshotEvery: 0,
      }).then((sim) => {
        running.push(sim);
        return sim;
      });
    const first = await start();
    // Bots driven by hand (journaled as calls, outside any request) and a trader over HTTP.
    const bots = new MarketBots(first.exchange, { fairValueMoveProbability: 0.2 });
    const trader = await createTestAccount(first.restBaseUrl, { balanceCents: 100_000 });
    const step = (n: number) => {
      for (let i = 0; i < n; i += 1) {
        bots.step();
        clock.advance(200);
        first.exchange.tick();
      }
    };
    step(150);
    first.snapshot?.();
    step(150);
    const market = [...first.exchange.state.markets.values()].find(
      (m) => m.status === "active" && first.exchange.state.book(m.ticker).depth("ask").length > 0,
    );
    const signed = createSignedFetch({
      restBaseUrl: first.restBaseUrl,
      apiKeyId: trader.apiKeyId,
      privateKeyPem: trader.privateKeyPem,
      now: () => clock.now(),
    });
    const placed = await signed("/portfolio/events/orders", {
      method: "POST",
      body: JSON.stringify({
        ticker: market?.ticker,
        side: "bid",
        count: "2",
        price: "0.99",
        time_in_force: "immediate_or_cancel",
        self_trade_prevention_type: "taker_at_cross",
      }),
    });
    expect(placed.status).toBeLessThan(300);
    step(50);
    const before = visibleState(first.exchange);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await start();
    expect(second.restored?.snapshot).not.toBeNull();
    expect(second.restored?.replayed).toBeGreaterThan(100);
    expect(second.restored?.mismatches).toBe(0);
    expect(isDeepStrictEqual(visibleState(second.exchange), before)).toBe(true);
    await second.close();
    running.splice(running.indexOf(second), 1);
  });

  it("ignores and removes what a crash in the middle of a snapshot leaves behind", async () => {
    const dir = tempDir();
    const options = {
      port: 0,
      bots: false,
      rateLimits: false,
      dataDir: dir,
      tickMs: 3_600_000,
      snapshotEvery: 0,
    } as const;
    const first = await startSimExchange(options);
    const trader = await createTestAccount(first.restBaseUrl);
    const taken = first.snapshot?.();
    await first.close();
    // A newer snapshot the journal never came to name, a half-written one, a half-written journal.
    writeFileSync(path.join(dir, "snapshot-99.bin"), "not a snapshot");
    writeFileSync(path.join(dir, "snapshot-100.bin.tmp"), "half");
    writeFileSync(path.join(dir, `${JOURNAL_FILE}.tmp`), "half");
    const second = await startSimExchange(options);
    running.push(second);
    expect(second.restored?.snapshot?.file).toBe(taken?.file);
    expect(second.exchange.state.users.has(trader.userId)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.startsWith("snapshot-"))).toEqual([taken?.file]);
    expect(existsSync(path.join(dir, `${JOURNAL_FILE}.tmp`))).toBe(false);
    await second.close();
    running.splice(running.indexOf(second), 1);

    // SIM_RESET forgets snapshots and history too.
    const fresh = await startSimExchange({ ...options, reset: true });
    running.push(fresh);
    expect(fresh.restored?.snapshot).toBeNull();
    expect(fresh.exchange.state.users.has(trader.userId)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith("snapshot-"))).toEqual([]);
  });
});
