/**
 * Fails (exit 1) when the production build holds a secret: any encoding of
 * the canary private key (server/testing/fixtures/canary-key.pem), or the
 * VAULT_KEY / AUTH_SECRET values of this environment (CI builds with
 * throwaway values set, then runs this).
 *
 *   VAULT_KEY=… AUTH_SECRET=… npx tsx server/testing/scan-build-for-secrets.ts [.next]
 *
 * The build cache (.next/cache) is skipped: it is not shipped. Findings name
 * the file and which secret, never the secret itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { canaryNeedles } from "./canary";

export interface Needle {
  label: string;
  value: string;
}

export interface Finding {
  file: string;
  label: string;
}

/** Needles for the canary and for the given environment secrets (short or unset ones are skipped). */
export function secretNeedles(env: Record<string, string | undefined> = process.env): Needle[] {
  const needles: Needle[] = canaryNeedles().map((value, index) => ({
    label: `canary key #${index + 1}`,
    value,
  }));
  for (const name of ["VAULT_KEY", "AUTH_SECRET", "GATEWAY_TICKET_SECRET"]) {
    const value = env[name]?.trim();
    if (value && value.length >= 16) needles.push({ label: name, value });
  }
  return needles;
}

/** Every file under `root` (but not `root/cache`) that contains a needle. */
export function scanDirectory(root: string, needles: readonly Needle[]): Finding[] {
  const findings: Finding[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dir === root && entry.name === "cache") continue;
        walk(full);
      } else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) {
        // latin1 keeps every byte, so ASCII needles match in any file, text or binary.
        const text = readFileSync(full).toString("latin1");
        for (const needle of needles) {
          if (text.includes(needle.value))
            findings.push({ file: path.relative(root, full), label: needle.label });
        }
      }
    }
  };
  walk(root);
  return findings;
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? ".next");
  const needles = secretNeedles();
  const secrets = needles.filter((n) => !n.label.startsWith("canary")).map((n) => n.label);
  let findings: Finding[];
  try {
    findings = scanDirectory(root, needles);
  } catch (error) {
    console.error(`scan-build-for-secrets: cannot read ${root}: ${(error as Error).message}`);
    process.exit(2);
  }
  if (findings.length > 0) {
    console.error(`scan-build-for-secrets: secrets found in the build at ${root}:`);
    for (const finding of findings) console.error(`  ${finding.file}: ${finding.label}`);
    process.exit(1);
  }
  console.log(
    `scan-build-for-secrets: ${root} is clean (canary key${secrets.length ? `, ${secrets.join(", ")}` : ""})`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
