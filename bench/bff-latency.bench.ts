/**
 * The BFF's added latency: `GET /api/portfolio/balance` through the real
 * route handler (session cookie decode, Origin-free GET, the caller's stored
 * credential from the database and vault, our Kalshi client) against the same
 * signed call made directly with the Kalshi client, both to an in-process
 * simulator. p50/p99 of each and of the difference.
 *
 * The full Next.js server is not started (too heavy next to the simulator on
 * a 2-core box): the handler functions are called in-process, so Next's own
 * routing and serialisation overhead is not included.
 *
 *   npx tsx bench/bff-latency.bench.ts [requests=400]
 *
 * Prints figures only; nothing here asserts a timing.
 */
import { createPrivateKey } from "node:crypto";

import { GET as balanceRoute } from "@/app/api/portfolio/balance/route";
import { sessionCookieFor } from "@/server/auth/testing";
import { createUser } from "@/server/auth/users";
import { addCredential } from "@/server/credentials/store";
import { setDatabaseForTests } from "@/server/db/client";
import { createTestDatabase, useTestSecrets as applyTestSecrets } from "@/server/db/testing";
import { systemClock } from "@/server/kalshi/clock";
import { createKalshiClient } from "@/server/kalshi/client";
import { BASIC_TIER_BUDGET, limiterFor, type RateBudget } from "@/server/kalshi/rate-limits";
import { startSimExchange } from "@/server/sim/start";
import { createTestAccount } from "@/server/sim/testing/new-account";

const requests = Number(process.argv[2] ?? 400);

const sim = await startSimExchange({ port: 0, bots: false });
const secrets = await applyTestSecrets({
  KALSHI_ENV: "sim",
  KALSHI_REST_URL: sim.restBaseUrl,
  KALSHI_WS_URL: sim.wsUrl,
});
const database = await createTestDatabase();
setDatabaseForTests(database);

const account = await createTestAccount(sim.restBaseUrl, { tier: "prime" });
const privateKey = createPrivateKey(account.privateKeyPem);
const user = await createUser(database.db, {
  email: "bench@example.com",
  password: "bench password 1234",
} as never);
await addCredential(database.db, {
  userId: user.id,
  label: "bench",
  environment: "sim",
  apiKeyId: account.apiKeyId,
  privateKey,
});
const cookie = await sessionCookieFor({ id: user.id, email: "bench@example.com" });

// Both paths share the credential's process-wide limiter; give it room so the
// bench measures latency, not our own pacing (the simulator's tier is prime).
const roomy: RateBudget = {
  ...BASIC_TIER_BUDGET,
  read: { refillRate: 1_000_000, capacity: 1_000_000 },
};
limiterFor(`${sim.restBaseUrl}|${account.apiKeyId}`, systemClock).apply(roomy);
const direct = createKalshiClient({
  apiKeyId: account.apiKeyId,
  privateKey,
  restBaseUrl: sim.restBaseUrl,
  budget: roomy,
});

async function viaBff(): Promise<void> {
  const response = await balanceRoute(
    new Request("http://localhost:3000/api/portfolio/balance", { headers: { cookie } }),
    { params: Promise.resolve({}) },
  );
  if (response.status !== 200)
    throw new Error(`BFF answered ${response.status}: ${await response.text()}`);
  await response.json();
}

async function viaClient(): Promise<void> {
  await direct.getBalance();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// Warm-up: JIT, key cache, DB connection, limits fetch.
for (let i = 0; i < 30; i += 1) {
  await viaBff();
  await viaClient();
}

const bff: number[] = [];
const plain: number[] = [];
for (let i = 0; i < requests; i += 1) {
  // Interleaved so drift (GC, the other processes on the box) hits both alike.
  let started = performance.now();
  await viaBff();
  bff.push(performance.now() - started);
  started = performance.now();
  await viaClient();
  plain.push(performance.now() - started);
}
const added = bff.map((ms, i) => ms - (plain[i] ?? 0));
for (const list of [bff, plain, added]) list.sort((a, b) => a - b);

const row = (label: string, list: number[]) =>
  console.log(
    `  ${label.padEnd(30)} p50 ${percentile(list, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(list, 99).toFixed(2).padStart(7)} ms`,
  );
console.log(
  `bff-latency: GET /api/portfolio/balance vs a direct signed GET /portfolio/balance, ${requests} each, in-process`,
);
row("direct Kalshi client", plain);
row("BFF route handler", bff);
row("added by the BFF (paired)", added);

setDatabaseForTests(undefined);
await database.destroy();
await secrets.restore();
await sim.close();
