/**
 * The `sessions` table: one row per sign-in. A session cookie is honoured only
 * while its row is live (not revoked, not past the absolute lifetime), which
 * is what makes sign-out, "sign out everywhere" and a password change end
 * cookies that would otherwise still verify.
 */
import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";

import type { Database } from "@/server/db/client";
import { sessions, type SessionRow } from "@/server/db/schema";
import { emitSessionsRevoked } from "@/server/auth/session-events";

/** Where a sign-in came from, as stored (the address only as a keyed hash). */
export interface SessionOrigin {
  userAgent: string | null;
  ipHash: string | null;
}

/** last_seen_at is informational; refresh it at most this often (a write per request would be a write per read). */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const USER_AGENT_MAX = 256;

/** Creates a session row for a fresh sign-in; returns its id (the cookie's `sid`). */
export async function createSession(
  db: Database,
  userId: string,
  origin: SessionOrigin,
  now: number,
): Promise<string> {
  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      userAgent: origin.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      ipHash: origin.ipHash,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
    })
    .returning({ id: sessions.id });
  if (!row) throw new Error("session row was not created");
  return row.id;
}

/**
 * True when session `sessionId` of `userId` exists and is not revoked;
 * refreshes its last-seen time now and then.
 */
export async function isSessionLive(
  db: Database,
  sessionId: string,
  userId: string,
  now: number,
): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  const [row] = await db
    .select({ revokedAt: sessions.revokedAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .limit(1);
  if (!row || row.revokedAt !== null) return false;
  if (now - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.id, sessionId));
  }
  return true;
}

/** The user's live sessions, most recently seen first (created after `since`: older ones have expired). */
export async function listLiveSessions(
  db: Database,
  userId: string,
  since: Date,
): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.createdAt, since)),
    )
    .orderBy(desc(sessions.lastSeenAt));
}

/** Revokes one of the user's sessions; false when it is not theirs or already revoked. */
export async function revokeSession(
  db: Database,
  userId: string,
  sessionId: string,
  now: number,
): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  if (revoked.length > 0) emitSessionsRevoked(userId, { all: false, sessionIds: [sessionId] });
  return revoked.length > 0;
}

/**
 * Revokes every live session of the user, except `keep` when given (a
 * password change keeps the session it was made from). Returns how many.
 */
export async function revokeAllSessions(
  db: Database,
  userId: string,
  now: number,
  keep?: string,
): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date(now) })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keep !== undefined && isUuid(keep) ? ne(sessions.id, keep) : sql`true`,
      ),
    )
    .returning({ id: sessions.id });
  if (revoked.length > 0) {
    emitSessionsRevoked(
      userId,
      keep === undefined ? { all: true } : { all: false, sessionIds: revoked.map((row) => row.id) },
    );
  }
  return revoked.length;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
