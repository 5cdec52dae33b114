/**
 * First-load JavaScript per route from the production build, and time to
 * first contentful paint of /markets against the simulator.
 *
 *   npm run build && npx tsx bench/first-load.bench.ts [fcp-runs=7]
 *
 * 1. Bytes: for each page route, the client chunks the browser loads before
 *    anything is interactive — the build's root main files plus every entry
 *    chunk named in the route's client-reference manifest (layouts, page,
 *    loading/error boundaries) — gzip-compressed (level 6, like a typical
 *    server). Chunks loaded later with next/dynamic (the chart) are not part
 *    of it; they are reported separately. Targets from issue 6: ≤ 130 kB on
 *    `/` and `/markets`, ≤ 170 kB on a market page before the chart chunk.
 * 2. FCP: starts the production server (server/main.ts, embedded simulator,
 *    bots on) on a free port and loads /markets in Debian's Chromium, a fresh
 *    browser context per run, reading `first-contentful-paint` from the
 *    Performance API. Median and worst of the runs.
 *
 * Prints figures; exits non-zero only when the build is missing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { chromium } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextDir = path.join(root, ".next");
const runs = Number(process.argv[2] ?? 7);

const ROUTES: Array<{ route: string; budgetKb: number | null }> = [
  { route: "/page", budgetKb: 130 },
  { route: "/markets/page", budgetKb: 130 },
  { route: "/markets/[ticker]/page", budgetKb: 170 },
  { route: "/events/[ticker]/page", budgetKb: null },
];

function readManifest(route: string): Record<string, string[]> {
  const file = path.join(nextDir, "server", "app", `${route}_client-reference-manifest.js`);
  const g = globalThis as {
    __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }>;
  };
  g.__RSC_MANIFEST = {};
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[route].
  new Function(readFileSync(file, "utf8"))();
  return g.__RSC_MANIFEST[route]?.entryJSFiles ?? {};
}

const gzipCache = new Map<string, number>();
function gzipBytes(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(nextDir, file)), { level: 6 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function firstLoad(): void {
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  console.log("first-load JS (gzip, production build)");
  console.log("  route                      kB gz   files   budget");
  for (const { route, budgetKb } of ROUTES) {
    const entries = readManifest(route);
    const files = new Set(build.rootMainFiles);
    for (const list of Object.values(entries)) for (const file of list) files.add(file);
    const total = [...files].reduce((sum, file) => sum + gzipBytes(file), 0);
    const verdict =
      budgetKb === null ? "" : total / 1024 <= budgetKb ? `≤ ${budgetKb} ok` : `> ${budgetKb} OVER`;
    console.log(
      `  ${route.replace(/\/page$/, "") || "/"}`.padEnd(28) +
        kb(total).padStart(7) +
        String(files.size).padStart(8) +
        "   " +
        verdict,
    );
  }
  const shared = build.rootMainFiles.reduce((sum, file) => sum + gzipBytes(file), 0);
  console.log(`  (shared root main files: ${kb(shared)} kB gz)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function startApp(port: number, dataDir: string): Promise<ChildProcess> {
  const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsxCli, "server/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      KALSHI_ENV: "sim",
      KALSHI_REST_URL: "",
      KALSHI_WS_URL: "",
      SIM_BOTS: "on",
      // Production refuses to start without these; throwaway values and data for the run.
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      VAULT_KEY: process.env.VAULT_KEY ?? randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the app did not start within 60 s")), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes('"msg":"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) =>
      reject(new Error(`the app exited with ${code}: ${stderr.slice(-500)}`)),
    );
  });
  return child;
}

async function fcp(): Promise<void> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-first-load-"));
  const app = await startApp(port, dataDir);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const url = `http://127.0.0.1:${port}/markets`;
    // One unmeasured visit: the first request after start-up compiles nothing in production, but warms caches.
    const warm = await browser.newContext();
    await (await warm.newPage()).goto(url);
    await warm.close();
    const samples: Array<{ fcp: number; ttfb: number }> = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load" });
      const sample = await page.evaluate(async () => {
        const paint = await new Promise<number>((resolve) => {
          const existing = performance.getEntriesByName("first-contentful-paint")[0];
          if (existing) return resolve(existing.startTime);
          new PerformanceObserver((list) => {
            const entry = list.getEntriesByName("first-contentful-paint")[0];
            if (entry) resolve(entry.startTime);
          }).observe({ type: "paint", buffered: true });
        });
        const nav = performance.getEntriesByType("navigation")[0] as
          PerformanceNavigationTiming | undefined;
        return { fcp: paint, ttfb: nav ? nav.responseStart : NaN };
      });
      samples.push(sample);
      await context.close();
    }
    const fcps = samples.map((s) => s.fcp).sort((a, b) => a - b);
    const ttfbs = samples.map((s) => s.ttfb).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? NaN;
    console.log(`FCP of /markets (production server + simulator, Chromium, ${runs} cold contexts)`);
    console.log(
      `  FCP   median ${median(fcps).toFixed(0)} ms   worst ${fcps[fcps.length - 1]?.toFixed(0)} ms`,
    );
    console.log(
      `  TTFB  median ${median(ttfbs).toFixed(0)} ms   worst ${ttfbs[ttfbs.length - 1]?.toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    app.kill("SIGTERM");
    await new Promise((resolve) => app.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!existsSync(path.join(nextDir, "build-manifest.json"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
firstLoad();
await fcp();
