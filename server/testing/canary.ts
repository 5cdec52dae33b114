/**
 * The canary private key (fixtures/canary-key.pem): a real RSA key that is
 * planted as a credential in tests and must never show up anywhere else —
 * responses, logs, the production build. `canaryNeedles()` lists the strings
 * that would give it away in any of its usual encodings.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CANARY_KEY_PATH = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "canary-key.pem",
);

export function canaryPem(): string {
  return readFileSync(CANARY_KEY_PATH, "utf8");
}

export function canaryKey(): KeyObject {
  return createPrivateKey(canaryPem());
}

/** Base64 body lines of a PEM (no BEGIN/END armour). */
function pemLines(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("-----"));
}

/**
 * Strings that reveal the canary: every base64 line of its PKCS#8 and PKCS#1
 * PEMs, the whole base64 DER of both, and the private JWK members (d, p, q,
 * dp, dq, qi). Lines shorter than 40 characters (the last line of a PEM) are
 * left out: they are too short to be distinctive.
 */
export function canaryNeedles(key: KeyObject = canaryKey()): string[] {
  const pkcs8 = key.export({ type: "pkcs8", format: "pem" }).toString();
  const pkcs1 = key.export({ type: "pkcs1", format: "pem" }).toString();
  const jwk = key.export({ format: "jwk" });
  const needles = new Set<string>();
  for (const pem of [pkcs8, pkcs1]) {
    for (const line of pemLines(pem)) if (line.length >= 40) needles.add(line);
    needles.add(pemLines(pem).join(""));
  }
  for (const member of ["d", "p", "q", "dp", "dq", "qi"] as const) {
    const value = jwk[member];
    if (typeof value === "string") needles.add(value);
  }
  return [...needles];
}

/** The needles found in `text` (shortened, so a report never prints the key itself). */
export function findNeedles(text: string, needles: readonly string[]): string[] {
  return needles
    .filter((needle) => text.includes(needle))
    .map((needle) => `${needle.slice(0, 8)}…`);
}
