import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { readOrCreateSecretFile } from "@/server/vault/secret-file";

describe("readOrCreateSecretFile", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kalshi-dashboard-secret-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("generates 32 random bytes once, owner-only, and returns the same value afterwards", () => {
    const file = path.join(dir, "nested", "vault.key");
    const first = readOrCreateSecretFile(file);
    expect(Buffer.from(first, "base64")).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o077).toBe(0);
    expect(readOrCreateSecretFile(file)).toBe(first);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
  });

  it("tightens a secret file that was left readable by others", () => {
    const file = path.join(dir, "auth-secret");
    writeFileSync(file, "existing-secret-value\n", { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(readOrCreateSecretFile(file)).toBe("existing-secret-value");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses an empty secret file instead of using an empty secret", () => {
    const file = path.join(dir, "empty");
    writeFileSync(file, "\n", { mode: 0o600 });
    expect(() => readOrCreateSecretFile(file)).toThrow(/empty/);
  });
});
