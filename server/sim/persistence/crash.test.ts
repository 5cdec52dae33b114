/**
 * kill -9 during a burst of orders: `npm run sim` (server/sim/cli.ts) runs as
 * a child process on a temporary DATA_DIR, two accounts trade against each
 * other and the seed's ladder, and the process is SIGKILLed mid-burst. The
 * restarted exchange must hold every order that was acknowledged, with the
 * fills the acknowledgement reported for immediate-or-cancel orders, and no
 * half-applied trade: each trade has its two fills, YES and NO positions
 * balance in every market, and cash is conserved. Run twice: with the
 * default compaction, and with a snapshot every few records so the kill can
 * land around a snapshot and the restart restores one plus the journal since.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ONE_DOLLAR, notional } from "@/lib/fixed-point";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { readJournal } from "@/server/sim/persistence/journal-file";
import { JOURNAL_FILE, type JournalHeader } from "@/server/sim/persistence/open-exchange";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import type { SimState } from "@/server/sim/state";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { createSignedFetch } from "@/server/sim/testing/signed-fetch";

const ROOT = path.resolve(__dirname, "..", "..", "..");
// tsx as a loader in this very process, not its CLI: the CLI runs the script
// in a child of its own, and a SIGKILL of the CLI would leave that child (the
// simulator, still holding the data directory) running.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const dataDirs: string[] = [];
let child: ChildProcess | undefined;
let restarted: RunningSim | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  await restarted?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts `npm run sim` on DATA_DIR and resolves with its REST base URL once it listens. */
function spawnSim(
  dataDir: string,
  snapshotEvery: string,
): Promise<{ process: ChildProcess; restBaseUrl: string }> {
  const proc = spawn(
    process.execPath,
    ["--import", tsxLoader, path.join(ROOT, "server/sim/cli.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        SIM_PORT: "0",
        SIM_BOTS: "off",
        SIM_SEED: "7",
        SIM_SNAPSHOT_EVERY: snapshotEvery,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child = proc;
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /REST\s+(http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve({ process: proc, restBaseUrl: match[1] });
    });
    proc.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.once("exit", (code) =>
      reject(new Error(`sim exited (${code}) before listening:\n${out}`)),
    );
  });
}

interface Ack {
  account: TestAccount;
  orderId: string;
  ioc: boolean;
  fillCount: string;
}

/** Σ cash + held reservations + fees + $1 per open YES/NO pair: only deposits change it. */
function moneyInSystem(state: SimState): number {
  let total = 0;
  for (const user of state.users.values()) for (const cash of user.balances.values()) total += cash;
  for (const order of state.orders.values())
    if (order.status === "resting") total += order.reserved;
  for (const fill of state.fills) total += fill.fee;
  for (const position of state.positions.values()) {
    if (position.position > 0) total += notional(ONE_DOLLAR, position.position);
  }
  return total;
}

describe("a simulator killed with SIGKILL mid-burst", { timeout: 240_000 }, () => {
  it.each([
    { compaction: "default", snapshotEvery: "" },
    { compaction: "a snapshot every 5 records", snapshotEvery: "5" },
  ])(
    "restarts with every acknowledged order and no half-applied trade ($compaction)",
    async ({ snapshotEvery }) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "sim-crash-"));
      dataDirs.push(dataDir);
      const first = await spawnSim(dataDir, snapshotEvery);
      const buyer = await createTestAccount(first.restBaseUrl, {
        tier: "prime",
        balanceCents: 1_000_000,
      });
      const seller = await createTestAccount(first.restBaseUrl, {
        tier: "prime",
        balanceCents: 1_000_000,
      });

      // A seeded market with a ladder on both sides, found over the public REST API.
      const listing = (await (
        await fetch(`${first.restBaseUrl}/markets?status=open&limit=200`)
      ).json()) as {
        markets: Array<{
          ticker: string;
          yes_bid_dollars: string;
          yes_ask_dollars: string;
          close_time: string;
        }>;
      };
      const market = listing.markets.find(
        (m) =>
          Number(m.yes_bid_dollars) >= 0.1 &&
          Number(m.yes_ask_dollars) <= 0.9 &&
          Number(m.yes_ask_dollars) > Number(m.yes_bid_dollars) &&
          Date.parse(m.close_time) > Date.now() + 86_400_000,
      );
      expect(market).toBeDefined();
      const ticker = market?.ticker ?? "";
      const mid = Math.round(
        ((Number(market?.yes_bid_dollars) + Number(market?.yes_ask_dollars)) / 2) * 100,
      );

      const acks: Ack[] = [];
      let stopFiring = false;
      const fire = async (i: number): Promise<void> => {
        if (stopFiring) return;
        // The buyer rests bids at the mid; the seller crosses them; every fifth is an IOC against the seed's asks.
        const ioc = i % 5 === 4;
        const account = ioc || i % 2 === 0 ? buyer : seller;
        const side = account === buyer ? "bid" : "ask";
        const price = ioc ? Number(market?.yes_ask_dollars) : mid / 100;
        try {
          const response = await account.fetch("/portfolio/events/orders", {
            method: "POST",
            body: JSON.stringify({
              ticker,
              side,
              count: String(1 + (i % 3)),
              price: price.toFixed(2),
              time_in_force: ioc ? "immediate_or_cancel" : "good_till_canceled",
              self_trade_prevention_type: "taker_at_cross",
            }),
          });
          if (response.status !== 201 && response.status !== 200) return;
          const body = (await response.json()) as { order_id: string; fill_count: string };
          acks.push({ account, orderId: body.order_id, ioc, fillCount: body.fill_count });
        } catch {
          // In flight when the process died: never acknowledged.
        }
      };

      // Waves of concurrent orders; the kill lands while a wave is in flight.
      const inFlight: Array<Promise<void>> = [];
      for (let i = 0; i < 400 && !stopFiring; i += 8) {
        const wave = Array.from({ length: 8 }, (_, j) => fire(i + j));
        inFlight.push(...wave);
        if (acks.length >= 60) {
          first.process.kill("SIGKILL");
          stopFiring = true;
        }
        await Promise.race([Promise.all(wave), new Promise((r) => setTimeout(r, 50))]);
      }
      if (!stopFiring) first.process.kill("SIGKILL");
      stopFiring = true;
      await Promise.all(inFlight);
      await new Promise<void>((resolve) => {
        if (first.process.exitCode !== null || first.process.signalCode !== null) resolve();
        else first.process.once("exit", () => resolve());
      });
      expect(acks.length).toBeGreaterThanOrEqual(60);

      // Restart on the same directory (in process, to inspect the state directly).
      // `npm run sim` keeps the exchange under DATA_DIR/sim.
      const simDir = path.join(dataDir, "sim");
      restarted = await startSimExchange({
        port: 0,
        bots: false,
        rateLimits: false,
        dataDir: simDir,
      });
      expect(restarted.restored?.records).toBeGreaterThan(acks.length);
      expect(restarted.restored?.mismatches).toBe(0);
      // With frequent snapshots the restart usually begins from one, but a snapshot is only
      // cut between operations and a loaded machine can kill the process before the first is
      // durable; restarting from a snapshot plus its tail is asserted exactly in snapshot.test.ts.
      const { state } = restarted.exchange;

      // Every acknowledged order is there, readable with the same keys; IOC orders filled as acknowledged.
      for (const ack of acks) {
        const signed = createSignedFetch({
          restBaseUrl: restarted.restBaseUrl,
          apiKeyId: ack.account.apiKeyId,
          privateKeyPem: ack.account.privateKeyPem,
        });
        const response = await signed(`/portfolio/orders/${ack.orderId}`);
        expect(response.status, ack.orderId).toBe(200);
        const { order } = (await response.json()) as { order: { fill_count_fp: string } };
        if (ack.ioc) expect(Number(order.fill_count_fp)).toBe(Number(ack.fillCount));
      }

      // No half-applied trade: two fills per trade, balanced positions, conserved cash.
      const fillsPerTrade = new Map<string, number>();
      for (const fill of state.fills)
        fillsPerTrade.set(fill.tradeId, (fillsPerTrade.get(fill.tradeId) ?? 0) + 1);
      expect([...fillsPerTrade.values()].every((n) => n === 2)).toBe(true);
      expect(fillsPerTrade.size).toBeGreaterThan(0);
      const net = new Map<string, number>();
      for (const p of state.positions.values())
        net.set(p.ticker, (net.get(p.ticker) ?? 0) + p.position);
      for (const [t, sum] of net) expect(sum, t).toBe(0);

      // The same seed at the same genesis, before any operation, plus the two deposits.
      const header = readJournal(path.join(simDir, JOURNAL_FILE)).lines[0]?.value as JournalHeader;
      const genesis = new SimExchange({
        seed: header.seed,
        clock: new ManualClock(header.genesis),
        timeScale: header.timeScale,
      });
      expect(moneyInSystem(state)).toBe(moneyInSystem(genesis.state) + 2 * 1_000_000 * 10_000);
      await restarted.close();
      restarted = undefined;
    },
  );
});
