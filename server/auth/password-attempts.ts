/**
 * Every password check goes through here (sign-in by the Auth.js callback or
 * the form's server action, re-auth, password change), and every sign-up:
 * throttled per account and per client address, failures logged by kind
 * with a hashed account, and written to the user's security log.
 */
import type { SignInInput } from "@/lib/schemas/auth";
import { logAuthEvent, recordSecurityEvent } from "@/server/auth/audit";
import type { RequestMeta } from "@/server/auth/request-meta";
import { FailureThrottle } from "@/server/auth/throttle";
import { checkAccountPassword, verifyUserPassword, type AccountUser } from "@/server/auth/users";
import { getServerConfig } from "@/server/config";
import type { Database } from "@/server/db/client";
import { AppError, appErrors } from "@/server/http/app-error";

interface Throttles {
  account: FailureThrottle;
  address: FailureThrottle;
  signUp: FailureThrottle;
}

let throttles: Throttles | undefined;

function getThrottles(): Throttles {
  if (throttles) return throttles;
  const { limits } = getServerConfig();
  const locks = {
    windowMs: limits.failureWindowMs,
    lockMs: limits.lockMs,
    maxLockMs: limits.maxLockMs,
  };
  const hour = 3_600_000;
  throttles = {
    account: new FailureThrottle({ maxFailures: limits.accountFailures, ...locks }),
    address: new FailureThrottle({ maxFailures: limits.addressFailures, ...locks }),
    // Sign-ups count every attempt; at the limit the address waits out the hour.
    signUp: new FailureThrottle({
      maxFailures: limits.signUpsPerAddressPerHour,
      windowMs: hour,
      lockMs: hour,
      maxLockMs: hour,
    }),
  };
  return throttles;
}

/** Forgets all counts and re-reads the limits (tests only). */
export function resetAuthThrottlesForTests(): void {
  throttles = undefined;
}

/** Who is trying: the account (normalised email) and the client address. */
export interface AttemptSubject {
  account: string;
  address: string;
}

const accountKey = (account: string) => account.trim().toLowerCase();

/** Seconds until `subject` may try a password again; 0 when it may now. */
export function passwordRetryAfterSeconds(subject: AttemptSubject, now: number): number {
  const { account, address } = getThrottles();
  const ms = Math.max(
    account.retryAfterMs(accountKey(subject.account), now),
    address.retryAfterMs(subject.address, now),
  );
  return Math.ceil(ms / 1000);
}

/** Throws 429 `too_many_attempts` while `subject` is locked. */
export function assertPasswordAttemptAllowed(
  subject: AttemptSubject,
  now: number,
  path: string,
): void {
  const wait = passwordRetryAfterSeconds(subject, now);
  if (wait > 0) {
    logAuthEvent({
      what: "password attempt refused",
      kind: "locked",
      account: subject.account,
      path,
    });
    throw appErrors.tooManyAttempts(wait);
  }
}

/** Counts a wrong password for both the account and the address. */
export function recordPasswordFailure(subject: AttemptSubject, now: number): void {
  const { account, address } = getThrottles();
  account.recordFailure(accountKey(subject.account), now);
  address.recordFailure(subject.address, now);
}

/** A right password clears the account's count (not the address's: one good account must not launder guesses at others). */
export function recordPasswordSuccess(subject: AttemptSubject): void {
  getThrottles().account.reset(accountKey(subject.account));
}

/**
 * A throttled email + password check. Returns the user, or null for a wrong
 * email or password; throws 429 while locked (and 503 when the hash queue is
 * full).
 */
export async function signInWithPassword(
  db: Database,
  input: SignInInput,
  meta: RequestMeta,
  now: number,
  path: string,
): Promise<AccountUser | null> {
  const subject = { account: input.email, address: meta.address };
  assertPasswordAttemptAllowed(subject, now, path);
  const result = await checkAccountPassword(db, input);
  if (result.ok) {
    recordPasswordSuccess(subject);
    return result.user;
  }
  recordPasswordFailure(subject, now);
  logAuthEvent({ what: "sign-in failed", kind: result.kind, account: input.email, path });
  if (result.userId)
    await recordSecurityEvent(db, {
      userId: result.userId,
      kind: "sign_in_failed",
      detail: result.kind === "wrong_password" ? "wrong password" : "no password on this account",
      meta,
    });
  return null;
}

/**
 * Re-auth: the signed-in user's password again, throttled like a sign-in
 * (the same per-account count, keyed by email). Throws 401
 * `invalid_password` when wrong, 429 while locked.
 */
export async function confirmPassword(
  db: Database,
  input: { userId: string; email: string; password: string },
  meta: RequestMeta,
  now: number,
): Promise<void> {
  const subject = { account: input.email, address: meta.address };
  assertPasswordAttemptAllowed(subject, now, "reauth");
  if (await verifyUserPassword(db, input.userId, input.password)) {
    recordPasswordSuccess(subject);
    return;
  }
  recordPasswordFailure(subject, now);
  logAuthEvent({
    what: "re-auth failed",
    kind: "wrong_password",
    account: input.email,
    path: "reauth",
  });
  await recordSecurityEvent(db, {
    userId: input.userId,
    kind: "sign_in_failed",
    detail: "wrong password (re-auth)",
    meta,
  });
  throw new AppError({
    code: "invalid_password",
    message: "That password is not right.",
    status: 401,
    field: "password",
  });
}

/** Throws 429 while `address` has used up its sign-ups for the hour; otherwise counts this one. */
export function takeSignUpAllowance(address: string, now: number): void {
  const { signUp } = getThrottles();
  const wait = Math.ceil(signUp.retryAfterMs(address, now) / 1000);
  if (wait > 0) {
    logAuthEvent({ what: "sign-up refused", kind: "locked", path: "sign-up" });
    throw appErrors.tooManyAttempts(wait);
  }
  signUp.recordFailure(address, now);
}

/** The message a form shows for a throttling or busy error, or null for other errors. */
export function attemptErrorMessage(error: unknown): string | null {
  if (
    error instanceof AppError &&
    (error.code === "too_many_attempts" || error.code === "server_busy")
  )
    return error.message;
  return null;
}
