/**
 * The per-user security log (Settings → Security) and the server log lines
 * for authentication. Neither ever holds a password, a key or a raw email:
 * server logs name the failure kind and a keyed hash of the account.
 */
import { desc, eq } from "drizzle-orm";

import type { SecurityEventKind, SecurityEventView } from "@/lib/schemas/security";
import { hashAccount } from "@/server/auth/fingerprint";
import { requestMetaFrom, storedMeta, type RequestMeta } from "@/server/auth/request-meta";
import { getDb, type Database } from "@/server/db/client";
import { securityEvents } from "@/server/db/schema";

const DETAIL_MAX = 200;

/** Appends an event to the user's security log. Never fails the action it records. */
export async function recordSecurityEvent(
  db: Database,
  event: { userId: string; kind: SecurityEventKind; detail?: string; meta?: RequestMeta },
): Promise<void> {
  try {
    await db.insert(securityEvents).values({
      userId: event.userId,
      kind: event.kind,
      detail: event.detail?.slice(0, DETAIL_MAX) ?? null,
      ...(event.meta ? storedMeta(event.meta) : {}),
    });
  } catch (error) {
    console.error(
      JSON.stringify({
        at: "server/auth/audit",
        what: "security event not recorded",
        kind: event.kind,
        error: error instanceof Error ? error.name : typeof error,
      }),
    );
  }
}

/** Records an event for a route-handler request (address and browser from its headers). */
export async function auditRequest(
  request: Request,
  userId: string,
  kind: SecurityEventKind,
  detail?: string,
): Promise<void> {
  await recordSecurityEvent(await getDb(), {
    userId,
    kind,
    detail,
    meta: requestMetaFrom(request.headers),
  });
}

/** The user's most recent security events, newest first. */
export async function listSecurityEvents(
  db: Database,
  userId: string,
  limit = 50,
): Promise<SecurityEventView[]> {
  const rows = await db
    .select()
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.createdAt))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as SecurityEventKind,
    detail: row.detail,
    createdAt: row.createdAt.toISOString(),
    userAgent: row.userAgent,
  }));
}

/** Why an authentication attempt failed, as logged. */
export type AuthFailureKind =
  "unknown_account" | "wrong_password" | "no_password" | "locked" | "server_busy";

/** One structured server log line about authentication; the account only as a keyed hash. */
export function logAuthEvent(fields: {
  what: string;
  kind?: AuthFailureKind | string;
  account?: string;
  path?: string;
}): void {
  const { account, ...rest } = fields;
  console.warn(
    JSON.stringify({
      level: "warn",
      at: "auth",
      time: new Date().toISOString(),
      ...rest,
      ...(account === undefined ? {} : { account: hashAccount(account) }),
    }),
  );
}
