/**
 * The WebSocket gateway under load, in one run against two references:
 * 1,000 browser sockets over 20 markets (book topics), the simulator churning
 * those books at a fixed rate, and three fan-out servers measured in turn in
 * their own process (bench/gateway/worker.ts):
 *
 *   baseline  bare `ws` broadcast of the upstream buffer (the floor)
 *   gateway   server/gateway
 *   naive     one upstream connection per socket, JSON re-serialised per client
 *
 * Figures: CPU µs per delivery (in the server process), in-process latency
 * p50/p99 (upstream read → socket write of the last subscriber), memory per
 * socket (RSS and heap growth from 0 to 1,000 subscribed sockets), upstream
 * connections. Loopback only, bounded in time.
 *
 *   npx tsx bench/gateway.bench.ts [sockets=1000] [markets=20] [opsPerSecond=400] [seconds=8]
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { startSimExchange } from "@/server/sim/start";
import { createAccount } from "@/server/sim/accounts";
import { addTestMarket } from "@/server/sim/ws/test-support";

const SOCKETS = Number(process.argv[2] ?? 1000);
const MARKETS = Number(process.argv[3] ?? 20);
const OPS_PER_SECOND = Number(process.argv[4] ?? 400);
const SECONDS = Number(process.argv[5] ?? 8);
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "gateway", "worker.ts");

// The whole run is bounded: a hung phase must not hold the machine.
setTimeout(() => {
  console.error("gateway bench: timed out after 240 s");
  process.exit(1);
}, 240_000).unref();

const sim = await startSimExchange({ port: 0, bots: false });
const { state, engine } = sim.exchange;
const markets = Array.from({ length: MARKETS }, () => addTestMarket(state, "BENCHGW-26DEC31"));
const maker = createAccount(state, { balanceCents: 10_000_000_000, isBot: true });
for (const market of markets) {
  for (let level = 0; level < 10; level += 1) {
    engine.placeOrder({
      userId: maker.userId,
      ticker: market.ticker,
      side: "bid",
      price: 300_000 + level * 10_000,
      count: 1_000,
      timeInForce: "good_till_canceled",
    });
    engine.placeOrder({
      userId: maker.userId,
      ticker: market.ticker,
      side: "ask",
      price: 600_000 + level * 10_000,
      count: 1_000,
      timeInForce: "good_till_canceled",
    });
  }
}

// Deterministic churn: rest, cancel and re-rest orders away from the touch (no trades needed).
let rng = 987_654_321;
const random = () => {
  rng = (Math.imul(rng, 1_103_515_245) + 12_345) >>> 0;
  return rng / 4_294_967_296;
};
const resting: Array<{ id: string }> = [];
function churn(ops: number): void {
  for (let i = 0; i < ops; i += 1) {
    try {
      if (resting.length > 200 || (resting.length > 0 && random() < 0.45)) {
        const [order] = resting.splice(Math.floor(random() * resting.length), 1);
        if (order && state.orders.get(order.id)?.status === "resting")
          engine.cancelOrder(maker.userId, order.id);
      } else {
        const market = markets[Math.floor(random() * markets.length)]!;
        const bid = random() < 0.5;
        const price = bid
          ? 300_000 + Math.floor(random() * 15) * 10_000
          : 560_000 + Math.floor(random() * 15) * 10_000;
        const result = engine.placeOrder({
          userId: maker.userId,
          ticker: market.ticker,
          side: bid ? "bid" : "ask",
          price,
          count: 100 * (1 + Math.floor(random() * 5)),
          timeInForce: "good_till_canceled",
        });
        resting.push({ id: result.order.orderId });
      }
    } catch {
      // A rejected operation is part of the mix.
    }
  }
}

function startLoad(): () => void {
  const perTick = OPS_PER_SECOND / 100;
  let owed = 0;
  const timer = setInterval(() => {
    owed += perTick;
    const ops = Math.floor(owed);
    owed -= ops;
    churn(ops);
  }, 10);
  return () => clearInterval(timer);
}

interface Phase {
  mode: string;
  cpuPerDelivery: number;
  deliveries: number;
  received: number;
  p50: number;
  p99: number;
  rssPerSocket: number;
  heapPerSocket: number;
  upstreamConnections: number;
}

function request<T>(child: ChildProcess, cmd: string, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { cmd: string }) => {
      if (message.cmd !== reply) return;
      child.off("message", onMessage);
      resolve(message as T);
    };
    child.on("message", onMessage);
    if (cmd) child.send({ cmd });
  });
}

async function runPhase(mode: "baseline" | "gateway" | "naive"): Promise<Phase> {
  const child = fork(WORKER, [mode], {
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: {
      ...process.env,
      BENCH_SIM_REST: sim.restBaseUrl,
      BENCH_SIM_WS: sim.wsUrl,
      BENCH_MARKETS: markets.map((m) => m.ticker).join(","),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await request<{ port: number }>(child, "", "ready");
  // Let the process settle (lazy module init, JIT), then take the empty baseline.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = await request<{ rss: number; heapUsed: number }>(child, "memory", "memory");

  let received = 0;
  const sockets: WebSocket[] = [];
  const url = `ws://127.0.0.1:${ready.port}/ws`;
  for (let batch = 0; batch < SOCKETS; batch += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, SOCKETS - batch) }, (_, i) => {
        const index = batch + i;
        const ws = new WebSocket(url, ["kgw.v1"], { perMessageDeflate: false });
        sockets.push(ws);
        return new Promise<void>((resolve, reject) => {
          ws.once("error", reject);
          ws.once("open", () => {
            ws.send(
              JSON.stringify({
                op: "subscribe",
                topics: [`book:${markets[index % markets.length]!.ticker}`],
              }),
            );
          });
          let first = true;
          ws.on("message", () => {
            received += 1;
            if (first && mode !== "gateway") {
              first = false;
              resolve();
            }
          });
          // The gateway greets with `welcome`; wait for the topic's first frame after it.
          if (mode === "gateway") {
            let seen = 0;
            ws.on("message", () => {
              seen += 1;
              if (seen === 2) resolve();
            });
          }
        });
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await request<{ rss: number; heapUsed: number; upstreamConnections: number }>(
    child,
    "memory",
    "memory",
  );

  const stopLoad = startLoad();
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // warm-up
  await request(child, "start", "started");
  const receivedAtStart = received;
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
  stopLoad();
  await new Promise((resolve) => setTimeout(resolve, 500)); // drain
  const result = await request<{
    cpuMicros: number;
    deliveries: number;
    p50: number;
    p99: number;
    upstreamConnections: number;
  }>(child, "stop", "stopped");
  const phase: Phase = {
    mode,
    cpuPerDelivery: result.cpuMicros / Math.max(1, result.deliveries),
    deliveries: result.deliveries,
    received: received - receivedAtStart,
    p50: result.p50,
    p99: result.p99,
    rssPerSocket: (after.rss - before.rss) / SOCKETS,
    heapPerSocket: (after.heapUsed - before.heapUsed) / SOCKETS,
    upstreamConnections: Math.max(after.upstreamConnections, result.upstreamConnections),
  };
  for (const ws of sockets) ws.terminate();
  child.send({ cmd: "exit" });
  await new Promise((resolve) => child.once("exit", resolve));
  return phase;
}

console.log(
  `gateway bench: ${SOCKETS} sockets over ${MARKETS} markets, ${OPS_PER_SECOND} engine ops/s for ${SECONDS} s per phase`,
);
const phases: Phase[] = [];
for (const mode of ["baseline", "gateway", "naive"] as const) {
  const phase = await runPhase(mode);
  phases.push(phase);
  console.log(
    `  ${mode.padEnd(9)} ${phase.cpuPerDelivery.toFixed(2).padStart(7)} µs CPU/delivery  ` +
      `p50 ${phase.p50.toFixed(2)} ms  p99 ${phase.p99.toFixed(2)} ms  ` +
      `${(phase.rssPerSocket / 1024).toFixed(1)} KB RSS/socket (${(phase.heapPerSocket / 1024).toFixed(1)} KB heap)  ` +
      `${phase.upstreamConnections} upstream  ${phase.deliveries} deliveries (${phase.received} received)`,
  );
}
const [baseline, gateway, naive] = phases as [Phase, Phase, Phase];
const ratio = gateway.cpuPerDelivery / baseline.cpuPerDelivery;
console.log(
  `  targets: CPU ≤ 1.3× baseline → ${ratio.toFixed(2)}× ${ratio <= 1.3 ? "ok" : "MISSED"}; ` +
    `p99 ≤ 20 ms → ${gateway.p99.toFixed(2)} ms ${gateway.p99 <= 20 ? "ok" : "MISSED"}; ` +
    `≤ 50 KB/socket → ${(gateway.rssPerSocket / 1024).toFixed(1)} KB ${gateway.rssPerSocket <= 50 * 1024 ? "ok" : "MISSED"}; ` +
    `naive uses ${(naive.cpuPerDelivery / gateway.cpuPerDelivery).toFixed(1)}× the gateway's CPU per delivery`,
);
console.log(
  `SUMMARY gateway: ${gateway.cpuPerDelivery.toFixed(2)} µs/delivery (${ratio.toFixed(2)}× bare ws, naive ${naive.cpuPerDelivery.toFixed(2)}), ` +
    `p50 ${gateway.p50.toFixed(2)} ms p99 ${gateway.p99.toFixed(2)} ms, ${(gateway.rssPerSocket / 1024).toFixed(1)} KB/socket, ` +
    `${gateway.upstreamConnections} upstream vs ${naive.upstreamConnections} naive`,
);
await sim.close();
process.exit(0);
