/**
 * Test helpers: a migrated database per suite — PGlite in a temporary
 * directory, or, when TEST_DATABASE_URL is set, a fresh database created on
 * that Postgres server and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { openDatabase, type DatabaseHandle } from "@/server/db/client";

export type TestDialect = "pglite" | "postgres";

/** The dialects to run integration suites on, with why Postgres is skipped when it is. */
export const TEST_DIALECTS: Array<{ dialect: TestDialect; skip: string | false }> = [
  { dialect: "pglite", skip: false },
  {
    dialect: "postgres",
    skip: process.env.TEST_DATABASE_URL
      ? false
      : "TEST_DATABASE_URL is not set (the CI script starts a throwaway Postgres and sets it)",
  },
];

export interface TestDatabase extends DatabaseHandle {
  /** Closes the connection and removes the directory / drops the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of `dialect`. */
export async function createTestDatabase(dialect: TestDialect = "pglite"): Promise<TestDatabase> {
  if (dialect === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), "kalshi-dashboard-db-"));
    const handle = await openDatabase({ pgliteDir: dir });
    return {
      ...handle,
      async destroy() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const { default: postgres } = await import("postgres");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    ...handle,
    async destroy() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

export interface TestSecrets {
  vaultKey: string;
  authSecret: string;
  dataDir: string;
  /** Restores process.env and forgets cached configuration and keys. */
  restore(): Promise<void>;
}

/**
 * Sets fresh VAULT_KEY / AUTH_SECRET / DATA_DIR for a suite and clears every
 * process-wide cache that depends on them.
 */
export async function useTestSecrets(
  extraEnv: Record<string, string | undefined> = {},
): Promise<TestSecrets> {
  const { resetServerConfigForTests } = await import("@/server/config");
  const { resetMasterKeyCache } = await import("@/server/vault/master-key");
  const { clearCredentialKeyCache } = await import("@/server/credentials/store");
  const saved = { ...process.env };
  const dataDir = mkdtempSync(path.join(tmpdir(), "kalshi-dashboard-data-"));
  const vaultKey = randomBytes(32).toString("base64");
  const authSecret = randomBytes(32).toString("base64");
  Object.assign(process.env, { VAULT_KEY: vaultKey, AUTH_SECRET: authSecret, DATA_DIR: dataDir });
  for (const [name, value] of Object.entries(extraEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const reset = () => {
    resetServerConfigForTests();
    resetMasterKeyCache();
    clearCredentialKeyCache();
  };
  reset();
  return {
    vaultKey,
    authSecret,
    dataDir,
    async restore() {
      process.env = { ...saved };
      reset();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
