/**
 * Which master key the vault uses, and which generation (version) it is.
 * VAULT_KEY in production; in development a key generated once into
 * DATA_DIR/vault.key. The database remembers a check value per generation,
 * so a wrong or stale VAULT_KEY is reported plainly at first use.
 */
import path from "node:path";

import { eq } from "drizzle-orm";

import { getServerConfig } from "@/server/config";
import type { Database, DatabaseTx } from "@/server/db/client";
import { vaultKeys } from "@/server/db/schema";
import { readOrCreateSecretFile } from "@/server/vault/secret-file";
import {
  masterKeyCheck,
  matchesCheck,
  parseMasterKey,
  VaultError,
  type MasterKey,
} from "@/server/vault/vault";

/** The file holding the development master key. */
export function devVaultKeyPath(dataDir = getServerConfig().dataDir): string {
  return path.resolve(dataDir, "vault.key");
}

/** The configured master key bytes: VAULT_KEY, else (development only) DATA_DIR/vault.key. */
export function configuredMasterKeyBytes(): Buffer {
  const config = getServerConfig();
  if (config.vaultKey) return parseMasterKey(config.vaultKey);
  if (!config.dev) {
    // parseServerConfig already refuses this; kept so no path ever generates a production key.
    throw new VaultError("invalid_master_key", "VAULT_KEY is required in production.");
  }
  return parseMasterKey(readOrCreateSecretFile(devVaultKeyPath(config.dataDir)));
}

/**
 * Finds the generation `keyBytes` belongs to. An empty vault adopts it as
 * version 1; a key that matches an older generation or none at all is refused.
 */
export async function resolveMasterKey(
  db: Database | DatabaseTx,
  keyBytes: Buffer,
): Promise<MasterKey> {
  let rows = await db.select().from(vaultKeys);
  if (rows.length === 0) {
    await db
      .insert(vaultKeys)
      .values({ version: 1, check: masterKeyCheck(keyBytes), current: true })
      .onConflictDoNothing();
    rows = await db.select().from(vaultKeys);
  }
  const current = rows.find((row) => row.current);
  if (current && matchesCheck(keyBytes, current.check))
    return { key: keyBytes, version: current.version };
  const retired = rows.find((row) => !row.current && matchesCheck(keyBytes, row.check));
  if (retired) {
    throw new VaultError(
      "wrong_master_key",
      `VAULT_KEY is the retired vault key version ${retired.version}; the vault was rotated to version ${current?.version ?? "?"}. Configure the new key.`,
    );
  }
  throw new VaultError(
    "wrong_master_key",
    "VAULT_KEY does not match the key this database's credentials were stored under.",
  );
}

const GLOBAL_KEY = Symbol.for("kalshi-dashboard.vault-master-key");
type GlobalWithKey = typeof globalThis & { [GLOBAL_KEY]?: Promise<MasterKey> };

/** The process's master key, resolved once (restart the app after `npm run vault:rotate`). */
export async function getMasterKey(db: Database): Promise<MasterKey> {
  const store = globalThis as GlobalWithKey;
  if (!store[GLOBAL_KEY]) {
    const resolving = resolveMasterKey(db, configuredMasterKeyBytes());
    resolving.catch(() => {
      if (store[GLOBAL_KEY] === resolving) delete store[GLOBAL_KEY];
    });
    store[GLOBAL_KEY] = resolving;
  }
  return store[GLOBAL_KEY];
}

/** Forgets the resolved master key (tests, and after a rotation in this process). */
export function resetMasterKeyCache(): void {
  delete (globalThis as GlobalWithKey)[GLOBAL_KEY];
}

/** Marks `version` as current and every other generation retired (inside a rotation's transaction). */
export async function promoteVaultKey(
  tx: DatabaseTx,
  version: number,
  keyBytes: Buffer,
): Promise<void> {
  await tx.update(vaultKeys).set({ current: false });
  await tx.insert(vaultKeys).values({ version, check: masterKeyCheck(keyBytes), current: true });
  const rows = await tx.select().from(vaultKeys).where(eq(vaultKeys.current, true));
  if (rows.length !== 1) throw new Error("vault_keys must have exactly one current generation");
}
