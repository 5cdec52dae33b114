/**
 * Single-core throughput and memory of the simulator's matching engine.
 *
 * Builds an empty exchange with one linear_cent market and N funded users,
 * then runs a realistic mix: 60% passive orders resting a few ticks around
 * the mid, 30% crossing orders (GTC or IOC, often walking a level or two),
 * 10% cancels of resting orders. The operation sequence depends only on the
 * seeds, so every run (and every version of the engine) sees the same orders.
 *
 * Reports, with no assertions on timing:
 * - orders/s over the whole run (warm-up and op generation included: what a
 *   replay or a bot storm sees), in wall time and per CPU-second (on a shared
 *   machine wall time also counts other processes' turns);
 * - per-op latency percentiles after the first 20,000 operations;
 * - used heap after a forced full GC every 250,000 operations and at the end,
 *   with what the exchange holds in memory at that point (retention caps).
 *
 * Options (after the positional arguments):
 *   --journal   persist to a temporary DATA_DIR: every call is journaled
 *               (the bots' path), evicted records go to the history store
 *   --listen    market-data store on the bus (what a running simulator has):
 *               trade and ticker events feed candles and rolling volume
 *
 * Usage: npx tsx bench/matching-engine.bench.ts [operations=1000000] [users=200] [--journal] [--listen]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { PlaceOrderInput } from "@/server/sim/engine/matching-engine";
import { SimError } from "@/server/sim/errors";
import { marketData } from "@/server/sim/market-data/market-data";
import type { UserRecord } from "@/server/sim/model";
import { openPersistentExchange } from "@/server/sim/persistence/open-exchange";
import { SeededRandom } from "@/server/sim/random";
import { ManualClock } from "@/server/sim/clock";
import {
  addMarket,
  addUser,
  FIXTURE_START_MS,
  makeEngineExchange,
} from "@/server/sim/testing/engine-fixtures";

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const flags = new Set(process.argv.slice(2).filter((arg) => arg.startsWith("--")));
const OPERATIONS = Number(positional[0] ?? 1_000_000);
const USERS = Number(positional[1] ?? 200);
const WARMUP = Math.min(20_000, Math.floor(OPERATIONS / 10));
const CHECKPOINT_EVERY = 250_000;
const JOURNAL = flags.has("--journal");
const LISTEN = flags.has("--listen");
/** Users get $1M each so the run measures matching, not INSUFFICIENT_BALANCE rejections. */
const BALANCE_CENTS = 100_000_000;
const TICK = 10_000; // $0.01

// A full GC on demand even when node was started without --expose-gc.
setFlagsFromString("--expose-gc");
const forceGc = runInNewContext("gc") as () => void;

function heapMb(): number {
  forceGc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

const heapAtStart = heapMb();
const dataDir = JOURNAL ? mkdtempSync(path.join(tmpdir(), "bench-engine-")) : null;
const persistent = dataDir
  ? openPersistentExchange({
      dataDir,
      seed: 2026,
      seedData: false,
      clock: new ManualClock(FIXTURE_START_MS),
    })
  : null;
const exchange = persistent?.exchange ?? makeEngineExchange({ seed: 2026 }).exchange;
const { state } = exchange;
const engine = exchange.engine;
if (LISTEN) marketData(state);
const market = addMarket(
  state,
  { ticker: "KXBENCH-26JAN01-T50" },
  { feeType: "quadratic_with_maker_fees" },
);
const users: UserRecord[] = [];
for (let i = 0; i < USERS; i += 1) users.push(addUser(state, BALANCE_CENTS, { isBot: true }));
const rng = new SeededRandom(99);

/**
 * Orders that rested when placed, which a cancel may pick (swap-remove, O(1)
 * picks). Held as the numeric part of their ids, not as records: an order
 * that filled or was canceled since must not stay in memory because of the
 * benchmark (the exchange evicts it; a record here would keep it alive).
 */
const live: number[] = [];
/** Order ids are `<prefix><12 hex digits>` (server/sim/ids.ts). */
let idPrefix = "";
const orderNumber = (orderId: string) => Number.parseInt(orderId.slice(-12), 16);
const orderIdOf = (n: number) => idPrefix + n.toString(16).padStart(12, "0");
let mid = 500_000;

function clampPrice(price: number): number {
  return Math.min(Math.max(price, 0.05 * 1_000_000), 0.95 * 1_000_000);
}

const byKind = { passive: 0, crossing: 0, cancel: 0 };
let rejected = 0;

/**
 * One operation: draws it (the same draws, in the same order, as every
 * earlier version of this benchmark) and runs it. Returns the engine time in
 * ns, op generation excluded.
 */
function step(): number {
  const roll = rng.next();
  const user = rng.pick(users);
  if (roll < 0.1 && live.length > 0) {
    byKind.cancel += 1;
    const index = rng.int(0, live.length - 1);
    const order = state.orders.get(orderIdOf(live[index] as number));
    live[index] = live[live.length - 1] as number;
    live.pop();
    // Gone from memory = finished long ago: skipped, like a finished one still in memory.
    if (!order || order.status !== "resting") return 0;
    const start = performance.now();
    try {
      engine.cancelOrder(order.userId, order.orderId);
    } catch (error) {
      refused(error);
    }
    return (performance.now() - start) * 1e6;
  }
  // The mid drifts slowly so levels come and go.
  if (rng.chance(0.01)) mid = clampPrice(mid + (rng.chance(0.5) ? TICK : -TICK));
  const side = rng.chance(0.5) ? "bid" : "ask";
  const count = rng.chance(0.8) ? rng.int(1, 20) * 100 : rng.int(1, 2_000);
  let input: PlaceOrderInput;
  if (roll < 0.7) {
    // Passive: 1–5 ticks behind the mid on its own side.
    byKind.passive += 1;
    const away = rng.int(1, 5) * TICK;
    input = {
      userId: user.userId,
      ticker: market.ticker,
      side,
      price: clampPrice(side === "bid" ? mid - away : mid + away),
      count,
      timeInForce: "good_till_canceled",
      selfTradePrevention: "maker",
    };
  } else {
    // Crossing: 1–3 ticks through the mid, IOC half the time.
    byKind.crossing += 1;
    const through = rng.int(1, 3) * TICK;
    input = {
      userId: user.userId,
      ticker: market.ticker,
      side,
      price: clampPrice(side === "bid" ? mid + through : mid - through),
      count,
      timeInForce: rng.chance(0.5) ? "immediate_or_cancel" : "good_till_canceled",
      selfTradePrevention: "maker",
    };
  }
  const start = performance.now();
  try {
    const result = engine.placeOrder(input);
    if (result.order.status === "resting") {
      idPrefix ||= result.order.orderId.slice(0, -12);
      live.push(orderNumber(result.order.orderId));
    }
  } catch (error) {
    refused(error);
  }
  return (performance.now() - start) * 1e6;
}

/** A refusal (SimError) is counted; anything else is a bug and ends the run. */
function refused(error: unknown): void {
  if (!(error instanceof SimError)) throw error;
  rejected += 1;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(index, 0)] ?? 0;
}

/** What the exchange holds in memory now. */
function holdings(): string {
  let resting = 0;
  for (const set of state.restingByMarket.values()) resting += set.size;
  const evicted = state.retention.evicted;
  return (
    `${state.orders.size.toLocaleString("en-US")} orders (${resting.toLocaleString("en-US")} resting), ` +
    `${state.fills.length.toLocaleString("en-US")} fills, ${state.trades.length.toLocaleString("en-US")} trades in memory; ` +
    `evicted ${evicted.orders.toLocaleString("en-US")} orders, ${evicted.fills.toLocaleString("en-US")} fills, ${evicted.trades.toLocaleString("en-US")} trades`
  );
}

const measured = OPERATIONS - WARMUP;
const samples = new Float64Array(measured);
const tradesBefore = state.retention.evicted.trades + state.trades.length;
let engineNs = 0;
let checkpointCpu = 0;
const checkpoints: string[] = [];
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();
for (let i = 0; i < OPERATIONS; i += 1) {
  const ns = step();
  if (i >= WARMUP) {
    samples[i - WARMUP] = ns / 1_000;
    engineNs += ns;
  }
  if ((i + 1) % CHECKPOINT_EVERY === 0 && i + 1 < OPERATIONS) {
    // Forced GCs are not the engine's work: their CPU time is taken out below.
    const before = process.cpuUsage();
    checkpoints.push(
      `  after ${(i + 1).toLocaleString("en-US")} ops: heap ${heapMb().toFixed(0)} MB; ${holdings()}`,
    );
    const spent = process.cpuUsage(before);
    checkpointCpu += (spent.user + spent.system) / 1e6;
  }
}
persistent?.journal.flush?.();
const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6 - checkpointCpu;
const ordersPerSecond = OPERATIONS / wallSeconds;
const ordersPerCpuSecond = OPERATIONS / cpuSeconds;
const trades = state.retention.evicted.trades + state.trades.length - tradesBefore;
const heapAfter = heapMb();

const sorted = samples.slice().sort();
const engineSeconds = engineNs / 1e9;
const meanUs = (engineSeconds * 1e6) / measured;
const p50 = percentile(sorted, 50);
const p99 = percentile(sorted, 99);
const p999 = percentile(sorted, 99.9);
const max = sorted[sorted.length - 1] ?? 0;
const book = state.book(market.ticker);
const mode = [
  JOURNAL ? "journaled" : "in memory",
  LISTEN ? "market data on the bus" : "no bus listeners",
];

console.log(
  `matching engine benchmark — ${USERS} users, 1 market, ${OPERATIONS.toLocaleString("en-US")} ops (${mode.join(", ")})`,
);
console.log(
  `  mix: ${byKind.passive} passive, ${byKind.crossing} crossing, ${byKind.cancel} cancels; ${rejected} rejected; ${trades} trades`,
);
console.log(
  `  whole run: ${Math.round(ordersPerSecond).toLocaleString("en-US")} orders/s wall (${wallSeconds.toFixed(2)} s), ` +
    `${Math.round(ordersPerCpuSecond).toLocaleString("en-US")} orders per CPU-second (${cpuSeconds.toFixed(2)} CPU-s)`,
);
console.log(
  `  per op after ${WARMUP.toLocaleString("en-US")} warm-up: mean ${meanUs.toFixed(2)} µs, p50 ${p50.toFixed(2)} µs, ` +
    `p99 ${p99.toFixed(2)} µs, p99.9 ${p999.toFixed(2)} µs, max ${max.toFixed(0)} µs (engine only: ${engineSeconds.toFixed(2)} s)`,
);
for (const line of checkpoints) console.log(line);
console.log(
  `  after ${OPERATIONS.toLocaleString("en-US")} ops: heap ${heapAfter.toFixed(0)} MB (${heapAtStart.toFixed(0)} MB at start); ${holdings()}`,
);
console.log(`  book now: ${book.depth("bid").length} bid / ${book.depth("ask").length} ask levels`);
if (persistent && dataDir) {
  const dir = path.join(dataDir);
  const journalBytes = statSync(path.join(dir, "journal.jsonl")).size;
  console.log(`  journal: ${(journalBytes / 1_048_576).toFixed(1)} MB`);
  persistent.journal.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(
  `SUMMARY matching-engine: ${Math.round(ordersPerSecond).toLocaleString("en-US")} orders/s over ${OPERATIONS.toLocaleString("en-US")} ops ` +
    `(${Math.round(ordersPerCpuSecond).toLocaleString("en-US")}/CPU-s), p50 ${p50.toFixed(2)} µs, p99 ${p99.toFixed(2)} µs, heap ${heapAfter.toFixed(0)} MB after the run`,
);
