/**
 * Stored Kalshi credentials: add (sealed by the vault), list (fingerprints
 * only), choose the active one, delete (the row is destroyed), and load the
 * active one for signing. Every query is scoped by the caller's user id, so
 * another user's credential is indistinguishable from a missing one.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";

import { and, desc, eq, sql } from "drizzle-orm";

import type { CredentialView, KalshiEnvironmentName } from "@/lib/schemas/credential";
import { notifyCredentialChange } from "@/server/credentials/credential-events";
import type { ActiveCredential, KalshiEnvironment } from "@/server/credentials/types";
import { environmentEndpoints, type EnvironmentEndpoints } from "@/server/credentials/endpoints";
import { publicKeyFingerprint, shortFingerprint } from "@/server/credentials/parse-private-key";
import type { Database } from "@/server/db/client";
import { credentials, userSettings, type CredentialRow } from "@/server/db/schema";
import { getServerConfig } from "@/server/config";
import { AppError, appErrors } from "@/server/http/app-error";
import { getMasterKey } from "@/server/vault/master-key";
import { seal, unseal, type MasterKey } from "@/server/vault/vault";

export interface NewCredential {
  userId: string;
  label: string;
  environment: KalshiEnvironment;
  apiKeyId: string;
  privateKey: KeyObject;
}

// ── parsed-key cache: the PEM is decrypted and parsed once per credential version ──
const KEY_CACHE = Symbol.for("kalshi-dashboard.credential-keys");
type GlobalWithKeys = typeof globalThis & { [KEY_CACHE]?: Map<string, KeyObject> };
function keyCache(): Map<string, KeyObject> {
  const store = globalThis as GlobalWithKeys;
  store[KEY_CACHE] ??= new Map();
  return store[KEY_CACHE];
}
function cacheKey(row: Pick<CredentialRow, "id" | "keyVersion">): string {
  return `${row.id}@${row.keyVersion}`;
}
function evictCredential(id: string): void {
  for (const key of keyCache().keys()) if (key.startsWith(`${id}@`)) keyCache().delete(key);
}

/** Forgets every parsed key (tests, rotation). */
export function clearCredentialKeyCache(): void {
  keyCache().clear();
}

function toView(row: CredentialRow, activeId: string | null): CredentialView {
  return {
    id: row.id,
    label: row.label,
    environment: row.environment as KalshiEnvironmentName,
    apiKeyId: row.apiKeyId,
    fingerprint: shortFingerprint(row.fingerprint),
    active: row.id === activeId,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

async function activeCredentialId(db: Database, userId: string): Promise<string | null> {
  const [settings] = await db
    .select({ active: userSettings.activeCredentialId })
    .from(userSettings)
    .where(eq(userSettings.userId, userId))
    .limit(1);
  return settings?.active ?? null;
}

async function setActive(
  db: Pick<Database, "insert">,
  userId: string,
  credentialId: string | null,
): Promise<void> {
  await db
    .insert(userSettings)
    .values({ userId, activeCredentialId: credentialId })
    .onConflictDoUpdate({
      target: userSettings.userId,
      set: { activeCredentialId: credentialId, updatedAt: sql`now()` },
    });
}

/**
 * Refuses (409 `credential_limit`) when the user already stores
 * MAX_CREDENTIALS_PER_USER keys, or, for `simAccount`, already holds
 * MAX_SIM_ACCOUNTS_PER_USER simulator keys. Checked before any work that
 * creates something elsewhere (a simulator account), and again on insert.
 */
export async function assertCredentialRoom(
  db: Pick<Database, "select">,
  userId: string,
  options: { simAccount?: boolean } = {},
): Promise<void> {
  const { limits } = getServerConfig();
  const rows = await db
    .select({ environment: credentials.environment, count: sql<number>`count(*)::int` })
    .from(credentials)
    .where(eq(credentials.userId, userId))
    .groupBy(credentials.environment);
  const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
  if (total >= limits.maxCredentialsPerUser) {
    throw new AppError({
      code: "credential_limit",
      message: `You already store ${total} API keys, the most this server keeps per account. Delete one in Settings → API keys first.`,
      status: 409,
    });
  }
  const sim = Number(rows.find((row) => row.environment === "sim")?.count ?? 0);
  if (options.simAccount && sim >= limits.maxSimAccountsPerUser) {
    throw new AppError({
      code: "sim_account_limit",
      message: `You already have ${sim} simulator keys, the most one account may create. Delete one in Settings → API keys first.`,
      status: 409,
    });
  }
}

/**
 * Seals and stores a validated credential. The first credential a user adds
 * becomes active. 409 `credential_exists` when that key id is already stored
 * for this environment.
 */
export async function addCredential(
  db: Database,
  input: NewCredential,
  master?: MasterKey,
): Promise<CredentialView> {
  const vaultKey = master ?? (await getMasterKey(db));
  const der = input.privateKey.export({ type: "pkcs8", format: "der" });
  const sealed = seal(vaultKey, der, { userId: input.userId, apiKeyId: input.apiKeyId });
  der.fill(0);
  const view = await db.transaction(async (tx) => {
    await assertCredentialRoom(tx, input.userId);
    const [row] = await tx
      .insert(credentials)
      .values({
        userId: input.userId,
        label: input.label,
        environment: input.environment,
        apiKeyId: input.apiKeyId,
        fingerprint: publicKeyFingerprint(input.privateKey),
        ...sealed,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      throw new AppError({
        code: "credential_exists",
        message: "This API key is already stored for that environment.",
        status: 409,
        field: "apiKeyId",
      });
    }
    const [settings] = await tx
      .select({ active: userSettings.activeCredentialId })
      .from(userSettings)
      .where(eq(userSettings.userId, input.userId))
      .limit(1);
    let active = settings?.active ?? null;
    if (active === null) {
      await setActive(tx, input.userId, row.id);
      active = row.id;
    }
    return toView(row, active);
  });
  // The first key became active: a socket waiting for one may subscribe now.
  if (view.active) notifyCredentialChange(input.userId);
  return view;
}

/** The user's credentials, newest first, as safe views. */
export async function listCredentials(db: Database, userId: string): Promise<CredentialView[]> {
  const [rows, active] = await Promise.all([
    db
      .select()
      .from(credentials)
      .where(eq(credentials.userId, userId))
      .orderBy(desc(credentials.createdAt)),
    activeCredentialId(db, userId),
  ]);
  return rows.map((row) => toView(row, active));
}

/** Makes one of the user's credentials the active one; 404 when it is not theirs. */
export async function activateCredential(
  db: Database,
  userId: string,
  credentialId: string,
): Promise<CredentialView> {
  const [row] = await db
    .select()
    .from(credentials)
    .where(and(eq(credentials.id, credentialId), eq(credentials.userId, userId)))
    .limit(1);
  if (!row) throw appErrors.notFound("That API key");
  await setActive(db, userId, row.id);
  notifyCredentialChange(userId);
  return toView(row, row.id);
}

/**
 * Destroys one of the user's credentials (the row and its ciphertext, not a
 * flag); 404 when it is not theirs. If it was active, another one (newest)
 * becomes active, or none.
 */
export async function deleteCredential(
  db: Database,
  userId: string,
  credentialId: string,
): Promise<{ label: string }> {
  const removed = await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(credentials)
      .where(and(eq(credentials.id, credentialId), eq(credentials.userId, userId)))
      .returning({ id: credentials.id, label: credentials.label });
    if (deleted.length === 0 || !deleted[0]) throw appErrors.notFound("That API key");
    const [settings] = await tx
      .select({ active: userSettings.activeCredentialId })
      .from(userSettings)
      .where(eq(userSettings.userId, userId))
      .limit(1);
    if (!settings?.active || settings.active === credentialId) {
      const [next] = await tx
        .select({ id: credentials.id })
        .from(credentials)
        .where(eq(credentials.userId, userId))
        .orderBy(desc(credentials.createdAt))
        .limit(1);
      await setActive(tx, userId, next?.id ?? null);
    }
    return { label: deleted[0].label };
  });
  evictCredential(credentialId);
  notifyCredentialChange(userId);
  return removed;
}

// lastUsedAt is informational; writing it on every request would be a write per read.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The user's active credential with its private key parsed (from cache after
 * the first use), or null when they have none.
 */
export async function loadActiveCredential(
  db: Database,
  userId: string,
  endpoints: EnvironmentEndpoints = environmentEndpoints(),
): Promise<ActiveCredential | null> {
  const [row] = await db
    .select({ credential: credentials })
    .from(userSettings)
    .innerJoin(
      credentials,
      and(
        eq(credentials.id, userSettings.activeCredentialId),
        eq(credentials.userId, userSettings.userId),
      ),
    )
    .where(eq(userSettings.userId, userId))
    .limit(1);
  if (!row) return null;
  const record = row.credential;
  const environment = record.environment as KalshiEnvironment;
  const target = endpoints[environment];
  if (!target) {
    throw new AppError({
      code: "credential_environment_unavailable",
      message: `Your active API key is for the ${environment} environment, which this server is not connected to. Choose another key in Settings → API keys.`,
      status: 409,
    });
  }
  let privateKey = keyCache().get(cacheKey(record));
  if (!privateKey) {
    const master = await getMasterKey(db);
    const der = unseal(master, record, { userId: record.userId, apiKeyId: record.apiKeyId });
    privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    der.fill(0);
    evictCredential(record.id);
    keyCache().set(cacheKey(record), privateKey);
  }
  const now = Date.now();
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(credentials)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(credentials.id, record.id));
  }
  return {
    id: record.id,
    label: record.label,
    environment,
    apiKeyId: record.apiKeyId,
    privateKey,
    restBaseUrl: target.restBaseUrl,
    wsUrl: target.wsUrl,
  };
}
