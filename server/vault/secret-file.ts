/**
 * Development secrets generated once into the data directory (auth-secret,
 * vault.key) with owner-only permissions. Production never comes here: the
 * configuration refuses to start without the real variables.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Returns the secret stored in `filePath`, creating it with 32 random bytes
 * (base64) and mode 0600 when absent. Safe against two module instances racing
 * to create it: the loser reads the winner's file.
 */
export function readOrCreateSecretFile(filePath: string): string {
  mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(filePath, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // A file copied around without its mode is tightened rather than trusted as is.
  if ((statSync(filePath).mode & 0o077) !== 0) chmodSync(filePath, 0o600);
  const value = readFileSync(filePath, "utf8").trim();
  if (value.length === 0)
    throw new Error(`${filePath} is empty; delete it to generate a new secret`);
  return value;
}
