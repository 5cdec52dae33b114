/**
 * Single-core throughput of the simulator's matching engine.
 *
 * Builds an empty exchange with one linear_cent market and N funded users,
 * then runs a realistic mix: 60% passive orders resting a few ticks around
 * the mid, 30% crossing orders (GTC or IOC, often walking a level or two),
 * 10% cancels of resting orders. Warm-up first, then the measured run; every
 * operation is timed with process.hrtime.bigint(). No assertions on timing.
 *
 * Also reports orders/s over the whole run (warm-up included, op generation
 * included: what a replay or a bot storm sees) and the heap after the run,
 * after a forced GC when node runs with --expose-gc (the default command
 * below passes it through NODE_OPTIONS).
 *
 * Usage: NODE_OPTIONS=--expose-gc npx tsx bench/matching-engine.bench.ts [operations] [users]
 */
import type { PlaceOrderInput } from "@/server/sim/engine/matching-engine";
import { SimError } from "@/server/sim/errors";
import type { OrderRecord, UserRecord } from "@/server/sim/model";
import { SeededRandom } from "@/server/sim/random";
import { addMarket, addUser, makeEngineExchange } from "@/server/sim/testing/engine-fixtures";

const OPERATIONS = Number(process.argv[2] ?? 200_000);
const USERS = Number(process.argv[3] ?? 200);
const WARMUP = 20_000;
/** Users get $1M each so the run measures matching, not INSUFFICIENT_BALANCE rejections. */
const BALANCE_CENTS = 100_000_000;
const TICK = 10_000; // $0.01

const fx = makeEngineExchange({ seed: 2026 });
const { state, exchange } = fx;
const engine = exchange.engine;
const market = addMarket(
  state,
  { ticker: "KXBENCH-26JAN01-T50" },
  { feeType: "quadratic_with_maker_fees" },
);
const users: UserRecord[] = [];
for (let i = 0; i < USERS; i += 1) users.push(addUser(state, BALANCE_CENTS, { isBot: true }));
const rng = new SeededRandom(99);

/** Resting orders we may cancel, kept as an array with swap-remove for O(1) picks. */
const live: OrderRecord[] = [];
let mid = 500_000;

function clampPrice(price: number): number {
  return Math.min(Math.max(price, 0.05 * 1_000_000), 0.95 * 1_000_000);
}

type OpKind = "passive" | "crossing" | "cancel";

function nextOp(): { kind: OpKind; run: () => number } {
  const roll = rng.next();
  const user = rng.pick(users);
  if (roll < 0.1 && live.length > 0) {
    return {
      kind: "cancel",
      run: () => {
        const index = rng.int(0, live.length - 1);
        const order = live[index] as OrderRecord;
        live[index] = live[live.length - 1] as OrderRecord;
        live.pop();
        if (order.status !== "resting") return 0;
        engine.cancelOrder(order.userId, order.orderId);
        return 0;
      },
    };
  }
  // The mid drifts slowly so levels come and go.
  if (rng.chance(0.01)) mid = clampPrice(mid + (rng.chance(0.5) ? TICK : -TICK));
  const side = rng.chance(0.5) ? "bid" : "ask";
  const count = rng.chance(0.8) ? rng.int(1, 20) * 100 : rng.int(1, 2_000);
  if (roll < 0.7) {
    // Passive: 1–5 ticks behind the mid on its own side.
    const away = rng.int(1, 5) * TICK;
    const price = clampPrice(side === "bid" ? mid - away : mid + away);
    const input: PlaceOrderInput = {
      userId: user.userId,
      ticker: market.ticker,
      side,
      price,
      count,
      timeInForce: "good_till_canceled",
      selfTradePrevention: "maker",
    };
    return { kind: "passive", run: () => place(input) };
  }
  // Crossing: 1–3 ticks through the mid, IOC half the time.
  const through = rng.int(1, 3) * TICK;
  const input: PlaceOrderInput = {
    userId: user.userId,
    ticker: market.ticker,
    side,
    price: clampPrice(side === "bid" ? mid + through : mid - through),
    count,
    timeInForce: rng.chance(0.5) ? "immediate_or_cancel" : "good_till_canceled",
    selfTradePrevention: "maker",
  };
  return { kind: "crossing", run: () => place(input) };
}

function place(input: PlaceOrderInput): number {
  const result = engine.placeOrder(input);
  if (result.order.status === "resting") live.push(result.order);
  return result.fills.length;
}

interface Stats {
  ops: number;
  rejected: number;
  trades: number;
  byKind: Record<OpKind, number>;
  samples: Float64Array;
  totalNs: bigint;
}

function run(operations: number): Stats {
  const samples = new Float64Array(operations);
  const stats: Stats = {
    ops: operations,
    rejected: 0,
    trades: 0,
    byKind: { passive: 0, crossing: 0, cancel: 0 },
    samples,
    totalNs: 0n,
  };
  const tradesBefore = state.trades.length;
  for (let i = 0; i < operations; i += 1) {
    const op = nextOp();
    const start = process.hrtime.bigint();
    try {
      op.run();
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      stats.rejected += 1;
    }
    const elapsed = process.hrtime.bigint() - start;
    stats.totalNs += elapsed;
    samples[i] = Number(elapsed) / 1_000;
    stats.byKind[op.kind] += 1;
  }
  stats.trades = state.trades.length - tradesBefore;
  return stats;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(index, 0)] ?? 0;
}

const heapBefore = heapMb();
const wholeStart = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
run(WARMUP);
const wallStart = process.hrtime.bigint();
const stats = run(OPERATIONS);
const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
const wholeSeconds = Number(process.hrtime.bigint() - wholeStart) / 1e9;
const wholeOrdersPerSecond = (WARMUP + OPERATIONS) / wholeSeconds;
// CPU time this process got: on a shared machine wall time also counts other processes' turns.
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const ordersPerCpuSecond = (WARMUP + OPERATIONS) / cpuSeconds;
const heapAfter = heapMb();

/** Used heap in MB, after a full GC when one can be forced (--expose-gc). */
function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

const sorted = stats.samples.slice().sort();
const busySeconds = Number(stats.totalNs) / 1e9;
const opsPerSecond = stats.ops / busySeconds;
const meanUs = (busySeconds * 1e6) / stats.ops;
const p50 = percentile(sorted, 50);
const p99 = percentile(sorted, 99);
const p999 = percentile(sorted, 99.9);
const max = sorted[sorted.length - 1] ?? 0;
const book = state.book(market.ticker);

console.log(
  `matching engine benchmark — ${USERS} users, 1 market, ${stats.ops} measured ops after ${WARMUP} warm-up`,
);
console.log(
  `  mix: ${stats.byKind.passive} passive, ${stats.byKind.crossing} crossing, ${stats.byKind.cancel} cancels; ${stats.rejected} rejected`,
);
console.log(
  `  engine time ${busySeconds.toFixed(3)} s (wall ${(wallMs / 1000).toFixed(3)} s incl. op generation)`,
);
console.log(
  `  per op: mean ${meanUs.toFixed(2)} µs, p50 ${p50.toFixed(2)} µs, p99 ${p99.toFixed(2)} µs, p99.9 ${p999.toFixed(2)} µs, max ${max.toFixed(0)} µs`,
);
console.log(
  `  trades produced: ${stats.trades}; resting now: ${book.depth("bid").length} bid / ${book.depth("ask").length} ask levels`,
);
console.log(
  `  whole run: ${WARMUP + OPERATIONS} ops in ${wholeSeconds.toFixed(3)} s = ${Math.round(wholeOrdersPerSecond).toLocaleString("en-US")} orders/s (${Math.round(ordersPerCpuSecond).toLocaleString("en-US")} per CPU-second, ${cpuSeconds.toFixed(1)} CPU-s); heap ${heapBefore.toFixed(0)} MB before, ${heapAfter.toFixed(0)} MB after${(globalThis as { gc?: unknown }).gc ? " (after forced GC)" : " (no --expose-gc: not collected first)"}`,
);
console.log(
  `SUMMARY matching-engine: ${Math.round(opsPerSecond).toLocaleString("en-US")} ops/s, mean ${meanUs.toFixed(2)} µs, p99 ${p99.toFixed(2)} µs, ${stats.trades} trades over ${stats.ops} ops; whole run ${Math.round(wholeOrdersPerSecond).toLocaleString("en-US")} orders/s (${Math.round(ordersPerCpuSecond).toLocaleString("en-US")}/CPU-s), heap ${heapAfter.toFixed(0)} MB`,
);
