/**
 * How fast the production build serves public pages and data, against the
 * simulator with its bots on, and how often that asks the exchange.
 *
 *   npm run build && npx tsx bench/serve.bench.ts [seconds-per-run=10]
 *
 * - The simulator runs as its own process (`npm run sim`), behind a counting
 *   HTTP proxy in this process: every upstream REST call the app makes is
 *   counted. The app is server/main.ts (NODE_ENV=production), pointed at the
 *   proxy for REST and at the simulator for its WebSocket.
 * - Load: a Node load generator in this process (http keep-alive, one socket
 *   per client, `Accept-Encoding: gzip, br` like a browser), 10 and 50
 *   concurrent clients, each sending its next request when the last answer
 *   has been read. Targets: a static file (/favicon.svg), /api/markets (the
 *   browser's first page of rows) and /markets (the whole server-rendered
 *   page). A warm-up precedes each measured run.
 * - Printed per run: requests/s, p50 and p99 latency, failures (transport
 *   errors and 5xx) and refusals (429), the ratio to the static file's rate,
 *   the app's CPU seconds (from /proc) and requests per CPU-second (what one
 *   core-equivalent serves), and the bytes per answer on the wire.
 * - Upstream: REST calls the app made while the page and data runs lasted,
 *   per 1,000 of their requests (the start-up load is excluded).
 * - The per-client budget (PUBLIC_RATE_PER_SECOND) is set out of the way: the
 *   generator's clients are not people. Its effect is tested in
 *   app/api/market-data-routes.test.ts.
 * - `--instances=2`: both runs on a Redis (a throwaway redis-server): first
 *   one instance, then a second one joins (warm, from the first's snapshot)
 *   and the clients are spread over both; the ratio is printed. Both share
 *   one market-data connection and one set of REST reads (the leader's).
 * - `--cpu-per-instance=0.5`: each app instance is held to that many cores
 *   (a control group of its own, bench/lib/cpu-quota.ts; needs root). With
 *   `--instances=2` this is the fair scaling question on a small machine:
 *   does a second instance of the same size add a whole instance's capacity?
 *   Unlimited, two instances on two cores also share them with the load
 *   generator, the simulator and Redis, and the ratio measures the box.
 *
 * Ports 4100-4199 (the first free ones). Needs `npm run build` first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startRedis, type TestRedis } from "@/server/cluster/testing";

import { limitCpu, type CpuQuota } from "./lib/cpu-quota";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const seconds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10);
const instances = Number(args.find((arg) => arg.startsWith("--instances="))?.split("=")[1] ?? "1");
const cpuPerInstance = Number(
  args.find((arg) => arg.startsWith("--cpu-per-instance="))?.split("=")[1] ?? "0",
);
const quotas: CpuQuota[] = [];
const children: ChildProcess[] = [];
let redis: TestRedis | null = null;

async function freePort(): Promise<number> {
  for (let port = 4100; port < 4200; port += 1) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createNetServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free && !usedPorts.has(port)) {
      usedPorts.add(port);
      return port;
    }
  }
  throw new Error("no free port in 4100-4199");
}
const usedPorts = new Set<number>();

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within 180 s:\n${output.slice(-2000)}`)),
      180_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${output.slice(-2000)}`));
    });
  });
}

/** The simulator as its own process, bots on. */
async function startSim(dataDir: string): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/sim/cli.ts"], {
    cwd: root,
    env: { ...process.env, SIM_PORT: String(port), SIM_BOTS: "on", DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  await waitForLine(child, /REST\s+http:\/\/\S+/, "the simulator");
  return port;
}

/** A proxy that counts the app's upstream REST calls. */
async function startCountingProxy(simPort: number): Promise<{ port: number; calls: string[] }> {
  const port = await freePort();
  const calls: string[] = [];
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    calls.push(`${req.method} ${req.url}`);
    const upstream = request(
      {
        host: "127.0.0.1",
        port: simPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${simPort}` },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, calls };
}

async function startApp(
  simPort: number,
  proxyPort: number,
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      KALSHI_ENV: "sim",
      KALSHI_REST_URL: `http://127.0.0.1:${proxyPort}/trade-api/v2`,
      KALSHI_WS_URL: `ws://127.0.0.1:${simPort}/trade-api/ws/v2`,
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      VAULT_KEY: process.env.VAULT_KEY ?? randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      PUBLIC_RATE_PER_SECOND: "1000000",
      PUBLIC_RATE_BURST: "1000000",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  await waitForLine(child, /"msg":"ready"/, "the app");
  if (cpuPerInstance > 0) {
    const quota = limitCpu(child.pid ?? 0, cpuPerInstance, `serve-bench-${port}`);
    if (!quota)
      throw new Error(
        "--cpu-per-instance needs writable control groups (root, cgroup v1 or v2 with the cpu controller)",
      );
    quotas.push(quota);
  }
  // Drain its output so a chatty log never blocks it.
  child.stdout?.resume();
  child.stderr?.resume();
  return { port, pid: child.pid ?? 0 };
}

/** utime + stime of a process, seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface RunResult {
  requests: number;
  failures: number;
  refused: number;
  latencies: number[];
  bytes: number;
  ms: number;
}

/** `clients` keep-alive clients, each sending its next request when the last answer has been read. */
async function load(
  ports: number[],
  pathname: string,
  clients: number,
  ms: number,
): Promise<RunResult> {
  const agents = ports.map((port) => ({
    port,
    agent: new Agent({ keepAlive: true, maxSockets: clients }),
  }));
  const result: RunResult = { requests: 0, failures: 0, refused: 0, latencies: [], bytes: 0, ms };
  const started = performance.now();
  const deadline = started + ms;
  const one = (target: { port: number; agent: Agent }) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(
        {
          host: "127.0.0.1",
          port: target.port,
          path: pathname,
          agent: target.agent,
          headers: { "accept-encoding": "gzip, br", accept: "text/html,application/json,*/*" },
        },
        (res) => {
          res.on("data", (chunk: Buffer) => {
            result.bytes += chunk.length;
          });
          res.on("end", () => {
            result.requests += 1;
            result.latencies.push(performance.now() - t0);
            if (res.statusCode === 429) result.refused += 1;
            else if ((res.statusCode ?? 500) >= 400) result.failures += 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        result.failures += 1;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const target = agents[i % agents.length] as { port: number; agent: Agent };
      while (performance.now() < deadline) await one(target);
    }),
  );
  result.ms = performance.now() - started;
  for (const { agent } of agents) agent.destroy();
  return result;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function bytesOf(port: number, pathname: string, encoding: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: pathname,
        headers: encoding ? { "accept-encoding": encoding } : {},
      },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve(bytes));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const TARGETS = [
  { name: "static /favicon.svg", path: "/favicon.svg", page: false },
  { name: "/api/markets", path: "/api/markets?status=open&sort=volume_24h&limit=40", page: true },
  { name: "/markets", path: "/markets", page: true },
] as const;

interface Row {
  target: string;
  clients: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  refused: number;
  cpu: number;
  perCpu: number;
  bytes: number;
}

async function measure(
  label: string,
  apps: Array<{ port: number; pid: number }>,
  calls: string[],
): Promise<{ rows: Row[]; pageViews: number; upstreamCalls: number }> {
  const ports = apps.map((app) => app.port);
  const rows: Row[] = [];
  let pageViews = 0;
  let upstreamCalls = 0;
  for (const clients of [10, 50]) {
    for (const target of TARGETS) {
      await load(ports, target.path, clients, 3_000); // warm-up
      const cpuBefore = apps.reduce((sum, app) => sum + cpuSeconds(app.pid), 0);
      const callsBefore = calls.length;
      const generatorBefore = process.cpuUsage();
      const run = await load(ports, target.path, clients, seconds * 1000);
      const cpu = apps.reduce((sum, app) => sum + cpuSeconds(app.pid), 0) - cpuBefore;
      const generatorUsage = process.cpuUsage(generatorBefore);
      // The load generator's own share of a core: near 1 means it, not the app, set the pace.
      const generator = (generatorUsage.user + generatorUsage.system) / 1e6 / (run.ms / 1000);
      if (target.page) {
        pageViews += run.requests;
        upstreamCalls += calls.length - callsBefore;
      }
      const sorted = [...run.latencies].sort((a, b) => a - b);
      const row: Row = {
        target: target.name,
        clients,
        rps: run.requests / (run.ms / 1000),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        failures: run.failures,
        refused: run.refused,
        cpu,
        perCpu: run.requests / cpu,
        bytes: run.bytes / Math.max(1, run.requests),
      };
      rows.push(row);
      console.log(
        `  ${label} ${target.name.padEnd(20)} ${String(clients).padStart(3)} clients: ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${row.p50.toFixed(1).padStart(6)} ms  p99 ${row.p99.toFixed(1).padStart(7)} ms  failed ${row.failures}  refused ${row.refused}  app CPU ${row.cpu.toFixed(1)} s (${row.perCpu.toFixed(0)} req per CPU-s)  ${row.bytes.toFixed(0)} B/answer  generator ${(generator * 100).toFixed(0)}% of a core`,
      );
    }
  }
  return { rows, pageViews, upstreamCalls };
}

function printTable(rows: Row[]): void {
  console.log(
    "\n| target | clients | req/s | p50 ms | p99 ms | failed | refused | ratio to static | req per app CPU-s | bytes/answer |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) {
    const staticRow = rows.find((r) => r.clients === row.clients && r.target.startsWith("static"));
    const ratio = staticRow ? row.rps / staticRow.rps : Number.NaN;
    console.log(
      `| ${row.target} | ${row.clients} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.failures} | ${row.refused} | ${(ratio * 100).toFixed(1)}% | ${row.perCpu.toFixed(0)} | ${row.bytes.toFixed(0)} |`,
    );
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("No production build: run `npm run build` first.");
    process.exit(1);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "serve-bench-"));
  try {
    const simPort = await startSim(path.join(dataDir, "sim-process"));
    const proxy = await startCountingProxy(simPort);
    if (instances >= 2) {
      redis = await startRedis({ port: await freePort() });
      if (!redis)
        throw new Error("--instances=2 needs redis-server (apt-get install redis-server)");
    }
    const clusterEnv: Record<string, string> = redis ? { REDIS_URL: redis.url } : {};
    const app = await startApp(simPort, proxy.port, path.join(dataDir, "app-1"), clusterEnv);
    console.log(
      `serve.bench: production build via server/main.ts${cpuPerInstance > 0 ? `, each instance held to ${cpuPerInstance} CPU` : ""}, simulator (bots on) on :${simPort}, ${seconds} s per run after a 3 s warm-up; load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(" ")} (the machine's other work competes for the same cores)`,
    );
    const startupCalls = proxy.calls.length;
    console.log(
      `  start-up: ${startupCalls} upstream REST calls (the universe's load, the gateway's key)`,
    );

    for (const target of TARGETS.slice(1)) {
      const raw = await bytesOf(app.port, target.path, null);
      const gzip = await bytesOf(app.port, target.path, "gzip");
      const br = await bytesOf(app.port, target.path, "br");
      console.log(`  ${target.name}: ${raw} B uncompressed, ${gzip} B gzip, ${br} B brotli`);
    }

    const one = await measure(redis ? "1 instance (Redis)" : "1 instance ", [app], proxy.calls);
    printTable(one.rows);
    console.log(
      `\nupstream REST calls during the page and data runs: ${one.upstreamCalls} for ${one.pageViews} requests = ${((one.upstreamCalls / one.pageViews) * 1000).toFixed(2)} per 1,000 page views`,
    );
    console.log(`(the calls: ${proxy.calls.slice(startupCalls).slice(-10).join(", ") || "none"})`);

    console.log(
      `load average now: ${loadavg()
        .map((value) => value.toFixed(2))
        .join(" ")}`,
    );
    if (instances >= 2) {
      const second = await startApp(simPort, proxy.port, path.join(dataDir, "app-2"), clusterEnv);
      const two = await measure("2 instances", [app, second], proxy.calls);
      printTable(two.rows);
      console.log(
        `\nupstream REST calls during the two-instance runs: ${two.upstreamCalls} for ${two.pageViews} requests = ${((two.upstreamCalls / two.pageViews) * 1000).toFixed(2)} per 1,000 page views`,
      );
      console.log("\ntwo instances vs one (req/s):");
      for (const row of two.rows) {
        const single = one.rows.find((r) => r.target === row.target && r.clients === row.clients);
        if (single)
          console.log(`  ${row.target} @ ${row.clients}: ${(row.rps / single.rps).toFixed(2)}x`);
      }
    }
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    for (const quota of quotas) quota.remove();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    for (const child of children) child.kill("SIGKILL");
    process.exit(1);
  },
);
