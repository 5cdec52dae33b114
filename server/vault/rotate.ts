/**
 * Master-key rotation: re-wraps every credential's data key under a new
 * master key in one transaction (the ciphertexts themselves do not change).
 * Afterwards only the new key opens the vault.
 */
import { eq } from "drizzle-orm";

import type { Database } from "@/server/db/client";
import { credentials } from "@/server/db/schema";
import { promoteVaultKey, resolveMasterKey } from "@/server/vault/master-key";
import { rewrap, VaultError } from "@/server/vault/vault";

export interface RotationResult {
  fromVersion: number;
  toVersion: number;
  rewrapped: number;
}

/** Re-wraps every record from `currentKey` to `newKey`; all or nothing. */
export async function rotateVaultKey(
  db: Database,
  currentKey: Buffer,
  newKey: Buffer,
): Promise<RotationResult> {
  if (currentKey.equals(newKey)) {
    throw new VaultError("invalid_master_key", "The new vault key is the same as the current one.");
  }
  return db.transaction(async (tx) => {
    const current = await resolveMasterKey(tx, currentKey);
    const next = { key: newKey, version: current.version + 1 };
    // FOR UPDATE: an onboarding that commits mid-rotation must wait, not be left under the old key.
    const rows = await tx.select().from(credentials).for("update");
    for (const row of rows) {
      const sealed = rewrap(current, next, row, { userId: row.userId, apiKeyId: row.apiKeyId });
      await tx
        .update(credentials)
        .set({ wrappedDataKey: sealed.wrappedDataKey, keyVersion: sealed.keyVersion })
        .where(eq(credentials.id, row.id));
    }
    await promoteVaultKey(tx, next.version, newKey);
    return { fromVersion: current.version, toVersion: next.version, rewrapped: rows.length };
  });
}
