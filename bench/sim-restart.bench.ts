/**
 * What a persistent simulator costs at start-up, and what snapshots save.
 *
 * On a temporary data directory with the default seed data, the market bots
 * run (stepped by hand on a manual clock, so every run journals the same
 * operations) until the journal holds N records. Then the exchange is opened
 * again, timed, three ways:
 *
 * 1. replay of the whole journal from genesis (no snapshot: the journal as it
 *    was before compaction existed);
 * 2. from a snapshot taken at that point (nothing to replay);
 * 3. from that snapshot plus a journal tail of N/10 more records.
 *
 * Also prints the live cost of journaling (CPU per record while the bots ran)
 * and the snapshot's size and write time. No assertions on timing.
 *
 * Usage: npx tsx bench/sim-restart.bench.ts [records=50000]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MarketBots } from "@/server/sim/bots/market-bots";
import { ManualClock } from "@/server/sim/clock";
import { createSimApp } from "@/server/sim/http/app";
import {
  HISTORY_DIR,
  JOURNAL_FILE,
  openPersistentExchange,
  type PersistentExchange,
  type RestoreOutcome,
} from "@/server/sim/persistence/open-exchange";

const RECORDS = Number(process.argv[2] ?? 50_000);
const dataDir = mkdtempSync(path.join(tmpdir(), "bench-restart-"));
const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function open(): Promise<{ sim: PersistentExchange; restored: RestoreOutcome; cpu: number }> {
  const cpu = process.cpuUsage();
  const sim = openPersistentExchange({ dataDir, clock, snapshotEvery: 0 });
  const app = createSimApp(sim.exchange);
  const restored = await sim.replay(async (request) => app.fetch(request));
  return { sim, restored, cpu: cpuSeconds(cpu) };
}

/** Steps the bots until `records` more journal records were written; returns CPU-s spent. */
function runBots(sim: PersistentExchange, records: number): number {
  const cpu = process.cpuUsage();
  const bots = new MarketBots(sim.exchange, { fairValueMoveProbability: 0.05 });
  const target = sim.journal.appended + records;
  while (sim.journal.appended < target) {
    bots.step();
    clock.advance(250);
    sim.exchange.tick();
  }
  sim.journal.flush();
  return cpuSeconds(cpu);
}

function journalMb(): string {
  return (statSync(path.join(dataDir, JOURNAL_FILE)).size / 1_048_576).toFixed(1);
}

/** Size of the history tier's files (records that left memory). */
function historyMb(): string {
  const dir = path.join(dataDir, HISTORY_DIR);
  let bytes = 0;
  for (const name of readdirSync(dir)) bytes += statSync(path.join(dir, name)).size;
  return (bytes / 1_048_576).toFixed(1);
}

function describe(label: string, outcome: { restored: RestoreOutcome; cpu: number }): string {
  const { restored, cpu } = outcome;
  const from = restored.snapshot
    ? `snapshot of ${restored.snapshot.records.toLocaleString("en-US")} operations + ${restored.replayed.toLocaleString("en-US")} replayed`
    : `${restored.replayed.toLocaleString("en-US")} records replayed from genesis`;
  return `  ${label.padEnd(34)} ${Math.round(restored.ms).toLocaleString("en-US").padStart(7)} ms wall, ${cpu.toFixed(2)} CPU-s (${from}; ${restored.mismatches} mismatches)`;
}

try {
  const first = await open();
  const botCpu = runBots(first.sim, RECORDS);
  const live = first.sim.journal.appended;
  first.sim.close();
  const { evicted } = first.sim.exchange.state.retention;
  console.log(
    `simulator restart benchmark — seed data + ${live.toLocaleString("en-US")} journal records of bot activity (journal ${journalMb()} MB)`,
  );
  console.log(
    `  history tier: ${historyMb()} MB (${evicted.orders.toLocaleString("en-US")} orders, ${evicted.fills.toLocaleString("en-US")} fills, ${evicted.trades.toLocaleString("en-US")} trades left memory)`,
  );
  console.log(
    `  live: ${botCpu.toFixed(2)} CPU-s for ${live.toLocaleString("en-US")} journaled operations (${Math.round(live / botCpu).toLocaleString("en-US")} per CPU-second, bot logic included)`,
  );

  const fromGenesis = await open();
  console.log(describe("replay from genesis:", fromGenesis));
  const taken = fromGenesis.sim.snapshot();
  console.log(
    `  snapshot: ${(taken.bytes / 1_048_576).toFixed(1)} MB written in ${Math.round(taken.ms)} ms; journal now ${journalMb()} MB`,
  );
  fromGenesis.sim.close();

  const fromSnapshot = await open();
  console.log(describe("snapshot, empty tail:", fromSnapshot));
  runBots(fromSnapshot.sim, Math.round(RECORDS / 10));
  fromSnapshot.sim.close();

  const withTail = await open();
  console.log(describe("snapshot + tail:", withTail));
  withTail.sim.close();
  console.log(
    `SUMMARY sim-restart: ${live.toLocaleString("en-US")} records: replay ${Math.round(fromGenesis.restored.ms).toLocaleString("en-US")} ms, snapshot ${Math.round(fromSnapshot.restored.ms).toLocaleString("en-US")} ms, snapshot + ${withTail.restored.replayed.toLocaleString("en-US")}-record tail ${Math.round(withTail.restored.ms).toLocaleString("en-US")} ms`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
