/**
 * `npm run vault:rotate` – re-wrap every stored API key under a new vault master key.
 *
 *   VAULT_KEY=<current base64> VAULT_KEY_NEW=<new base64> npm run vault:rotate
 *   VAULT_KEY=<current base64> npm run vault:rotate -- --new-key-file /run/secrets/vault-key-new
 *
 * The current key is VAULT_KEY (in development, DATA_DIR/vault.key when
 * VAULT_KEY is unset); the new key is VAULT_KEY_NEW or the file named by
 * --new-key-file (32 bytes, base64). The database is DATABASE_URL or the
 * PGlite directory, as for the app: stop the app first when using PGlite.
 * One transaction: on any error nothing changes. Afterwards restart the app
 * with VAULT_KEY set to the new key (a development key file is replaced).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

import { ConfigError, getServerConfig } from "@/server/config";
import { closeDb, getDb } from "@/server/db/client";
import { configuredMasterKeyBytes, devVaultKeyPath } from "@/server/vault/master-key";
import { rotateVaultKey } from "@/server/vault/rotate";
import { parseMasterKey, VaultError } from "@/server/vault/vault";

function newKeyBase64(argv: string[]): string {
  const flag = argv.indexOf("--new-key-file");
  if (flag !== -1) {
    const file = argv[flag + 1];
    if (!file) throw new Error("--new-key-file needs a path");
    return readFileSync(file, "utf8").trim();
  }
  const fromEnv = process.env.VAULT_KEY_NEW?.trim();
  if (!fromEnv)
    throw new Error("Set VAULT_KEY_NEW or pass --new-key-file <path> (32 random bytes, base64).");
  return fromEnv;
}

async function main(): Promise<void> {
  const config = getServerConfig();
  const currentKey = configuredMasterKeyBytes();
  const newKey = parseMasterKey(newKeyBase64(process.argv.slice(2)));
  const result = await rotateVaultKey(await getDb(), currentKey, newKey);
  if (!config.vaultKey) {
    // Development: the key lived in a file, so the file must follow the rotation.
    const file = devVaultKeyPath(config.dataDir);
    writeFileSync(`${file}.new`, `${newKey.toString("base64")}\n`, { mode: 0o600 });
    renameSync(`${file}.new`, file);
  }
  await closeDb();
  console.log(
    JSON.stringify({
      at: "vault:rotate",
      what: "rotated",
      fromVersion: result.fromVersion,
      toVersion: result.toVersion,
      rewrapped: result.rewrapped,
      next: config.vaultKey
        ? "restart the app with VAULT_KEY set to the new key"
        : `updated ${devVaultKeyPath(config.dataDir)}`,
    }),
  );
}

main().catch(async (error: unknown) => {
  await closeDb().catch(() => {});
  // Messages only: never a stack that could include key material from arguments.
  const message =
    error instanceof VaultError || error instanceof ConfigError || error instanceof Error
      ? error.message
      : String(error);
  console.error(
    JSON.stringify({ at: "vault:rotate", what: "failed, nothing changed", error: message }),
  );
  process.exit(1);
});
