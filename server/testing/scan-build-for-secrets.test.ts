/** The build scanner finds the canary and configured secrets, and only in shipped files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { canaryNeedles } from "./canary";
import { scanDirectory, secretNeedles } from "./scan-build-for-secrets";

const dirs: string[] = [];
function buildDir(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "scan-build-"));
  dirs.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("scanDirectory", () => {
  const env = {
    VAULT_KEY: "vault-key-value-for-ci-0123456789",
    AUTH_SECRET: "auth-secret-value-for-ci-0123456789",
  };

  it("reports a canary line, VAULT_KEY and AUTH_SECRET wherever they are shipped", () => {
    const line = canaryNeedles()[0] ?? "";
    const root = buildDir({
      "static/chunks/app.js": `var x="${line}";`,
      "server/app/page.js": `const v = "${env.VAULT_KEY}"`,
      "standalone/server.js": `process.env.AUTH_SECRET="${env.AUTH_SECRET}"`,
      "static/clean.js": "console.log('hello')",
    });
    const findings = scanDirectory(root, secretNeedles(env));
    expect(
      findings.map((f) => [f.file, f.label.startsWith("canary") ? "canary" : f.label]).sort(),
    ).toEqual(
      [
        ["server/app/page.js", "VAULT_KEY"],
        ["standalone/server.js", "AUTH_SECRET"],
        ["static/chunks/app.js", "canary"],
      ].sort(),
    );
  });

  it("skips the build cache and unset or short secrets", () => {
    const line = canaryNeedles()[0] ?? "";
    const root = buildDir({ "cache/webpack/pack": line, "static/a.js": "short" });
    expect(scanDirectory(root, secretNeedles({ VAULT_KEY: "short" }))).toEqual([]);
  });
});
