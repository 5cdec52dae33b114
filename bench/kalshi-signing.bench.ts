/**
 * Kalshi request signing throughput: RSA-PSS signatures per second with the
 * cached, already parsed KeyObject (what server/kalshi does) next to parsing
 * the PEM on every call (what it must never do).
 *
 *   npx tsx bench/kalshi-signing.bench.ts [seconds-per-variant=2]
 *
 * Prints figures only; nothing here asserts a timing.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";

import { signKalshiRequest } from "@/server/kalshi/signing";

const seconds = Number(process.argv[2] ?? 2);
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const cached = createPrivateKey(pem);
const path = "/trade-api/v2/portfolio/events/orders";

function run(label: string, signOnce: () => void): number {
  // Warm up the JIT and OpenSSL before timing.
  for (let i = 0; i < 50; i += 1) signOnce();
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    signOnce();
    count += 1;
  }
  const perSecond = count / ((performance.now() - started) / 1000);
  console.log(
    `  ${label.padEnd(34)} ${perSecond.toFixed(0).padStart(8)} signatures/s  (${((1000 / perSecond) * 1000).toFixed(0)} µs each)`,
  );
  return perSecond;
}

console.log(`kalshi-signing: RSA-2048 PSS-SHA256, ${seconds}s per variant`);
const withCache = run("cached KeyObject", () =>
  signKalshiRequest(cached, Date.now(), "POST", path),
);
const perCall = run("createPrivateKey(pem) per call", () =>
  signKalshiRequest(createPrivateKey(pem), Date.now(), "POST", path),
);
console.log(`  cached is ${(withCache / perCall).toFixed(2)}× the per-call-parse rate`);
