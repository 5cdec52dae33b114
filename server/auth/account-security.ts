/**
 * Settings → Security: the trader's live sessions (and revoking them), sign
 * out everywhere, password change (which ends every other session) and the
 * security log. Each change is written to the log.
 */
import type { ChangePasswordInput, SessionView } from "@/lib/schemas/security";
import { logAuthEvent, recordSecurityEvent } from "@/server/auth/audit";
import {
  assertPasswordAttemptAllowed,
  recordPasswordFailure,
  recordPasswordSuccess,
} from "@/server/auth/password-attempts";
import type { RequestMeta } from "@/server/auth/request-meta";
import { sessionPolicy } from "@/server/auth/session";
import { listLiveSessions, revokeAllSessions, revokeSession } from "@/server/auth/session-store";
import { setUserPassword, verifyUserPassword } from "@/server/auth/users";
import type { Database } from "@/server/db/client";
import { AppError, appErrors } from "@/server/http/app-error";

export interface SessionOwner {
  userId: string;
  email: string;
  sessionId: string;
}

/** The user's live sessions, the caller's own marked `current`. */
export async function listSessionViews(
  db: Database,
  owner: SessionOwner,
  now: number,
): Promise<SessionView[]> {
  const since = new Date(now - sessionPolicy().sessionMaxHours * 3_600_000);
  const rows = await listLiveSessions(db, owner.userId, since);
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    userAgent: row.userAgent,
    current: row.id === owner.sessionId,
  }));
}

/** Revokes one of the user's sessions; 404 when it is not theirs or already ended. */
export async function revokeOwnSession(
  db: Database,
  owner: SessionOwner,
  sessionId: string,
  meta: RequestMeta,
  now: number,
): Promise<void> {
  if (!(await revokeSession(db, owner.userId, sessionId, now)))
    throw appErrors.notFound("That session");
  await recordSecurityEvent(db, {
    userId: owner.userId,
    kind: "session_revoked",
    detail: sessionId === owner.sessionId ? "this session" : undefined,
    meta,
  });
}

/** Ends every session of the user, the caller's included. Returns how many ended. */
export async function signOutEverywhere(
  db: Database,
  owner: SessionOwner,
  meta: RequestMeta,
  now: number,
): Promise<number> {
  const count = await revokeAllSessions(db, owner.userId, now);
  await recordSecurityEvent(db, {
    userId: owner.userId,
    kind: "sessions_revoked",
    detail: `${count} session${count === 1 ? "" : "s"}`,
    meta,
  });
  logAuthEvent({ what: "signed out everywhere", account: owner.userId });
  return count;
}

/**
 * Changes the password after checking the current one (throttled like a
 * sign-in), then ends every other session: whoever else held a cookie, or
 * the old password, is out.
 */
export async function changePassword(
  db: Database,
  owner: SessionOwner,
  input: ChangePasswordInput,
  meta: RequestMeta,
  now: number,
): Promise<void> {
  const subject = { account: owner.email, address: meta.address };
  assertPasswordAttemptAllowed(subject, now, "password change");
  if (!(await verifyUserPassword(db, owner.userId, input.currentPassword))) {
    recordPasswordFailure(subject, now);
    logAuthEvent({ what: "password change refused", kind: "wrong_password", account: owner.email });
    await recordSecurityEvent(db, {
      userId: owner.userId,
      kind: "password_change_failed",
      detail: "wrong current password",
      meta,
    });
    throw new AppError({
      code: "invalid_password",
      message: "Your current password is not right.",
      status: 401,
      field: "currentPassword",
    });
  }
  recordPasswordSuccess(subject);
  await setUserPassword(db, owner.userId, input.newPassword);
  const ended = await revokeAllSessions(db, owner.userId, now, owner.sessionId);
  await recordSecurityEvent(db, {
    userId: owner.userId,
    kind: "password_changed",
    detail: ended > 0 ? `${ended} other session${ended === 1 ? "" : "s"} signed out` : undefined,
    meta,
  });
}
