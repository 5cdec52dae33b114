/**
 * Sessions: Auth.js JWT cookies (no session table) carrying our own claims.
 *
 * - `uid`: our users.id; `email`.
 * - `sid`: the row in the `sessions` table; the cookie is honoured only while
 *   that row is live (server/auth/session-store.ts), so sign-out really ends it.
 * - `signedInAt`: when the user signed in; the session ends SESSION_MAX_HOURS
 *   later whatever Auth.js's rolling cookie says (an absolute limit).
 * - `authTime`: the last password entry (sign-in or `POST /api/auth/reauth`);
 *   orders and key changes need it within REAUTH_WINDOW_MINUTES.
 *
 * This module only reads the cookie (never the Authorization header) and is
 * usable both from route handlers (a Request) and pages (next/headers).
 */
import path from "node:path";

import { decode, encode, type JWT } from "next-auth/jwt";

import { isSessionLive } from "@/server/auth/session-store";
import { getServerConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { readOrCreateSecretFile } from "@/server/vault/secret-file";

export interface SessionClaims {
  userId: string;
  /** The `sessions` row this cookie belongs to. */
  sessionId: string;
  email: string;
  /** ms since the epoch */
  signedInAt: number;
  /** ms since the epoch */
  authTime: number;
}

export interface SessionPolicy {
  sessionMaxHours: number;
  reauthWindowMinutes: number;
}

/** The session policy from the configuration. */
export function sessionPolicy(): SessionPolicy {
  const { auth } = getServerConfig();
  return { sessionMaxHours: auth.sessionMaxHours, reauthWindowMinutes: auth.reauthWindowMinutes };
}

/** AUTH_SECRET, or in development a secret generated once into DATA_DIR/auth-secret (0600). */
export function getAuthSecret(): string {
  const config = getServerConfig();
  if (config.auth.secret) return config.auth.secret;
  if (!config.dev) throw new Error("AUTH_SECRET is required in production.");
  return readOrCreateSecretFile(path.resolve(config.dataDir, "auth-secret"));
}

/** Secure cookies (and their `__Secure-` name) everywhere but development. */
export function secureCookiesEnabled(): boolean {
  return !getServerConfig().dev;
}

/** The session cookie's name; Auth.js also uses it as the JWT key-derivation salt. */
export function sessionCookieName(secure = secureCookiesEnabled()): string {
  return `${secure ? "__Secure-" : ""}authjs.session-token`;
}

// ── the clock (tests move it) ──────────────────────────────────────────────
let clock: () => number = () => Date.now();

/** Current time in ms for session decisions. */
export function sessionNow(): number {
  return clock();
}

/** Replaces the session clock (tests only); call with no argument to restore. */
export function setSessionClockForTests(now?: () => number): void {
  clock = now ?? (() => Date.now());
}

// ── pure policy ────────────────────────────────────────────────────────────

/** True while the absolute session lifetime has not run out. */
export function isSessionAlive(claims: SessionClaims, now: number, policy: SessionPolicy): boolean {
  return (
    now >= claims.signedInAt - 60_000 &&
    now - claims.signedInAt < policy.sessionMaxHours * 3_600_000
  );
}

/** True when the password was entered within the re-auth window. */
export function isRecentAuth(claims: SessionClaims, now: number, policy: SessionPolicy): boolean {
  const age = now - claims.authTime;
  // A little tolerance for clocks, but never an auth time from the future.
  return age >= -60_000 && age < policy.reauthWindowMinutes * 60_000;
}

/** Our claims out of a decoded Auth.js token, or null when they are missing or malformed. */
export function claimsFromToken(token: JWT | null): SessionClaims | null {
  if (!token) return null;
  const { uid, sid, email, signedInAt, authTime } = token;
  if (typeof uid !== "string" || typeof sid !== "string" || typeof email !== "string") return null;
  if (typeof signedInAt !== "number" || typeof authTime !== "number") return null;
  return { userId: uid, sessionId: sid, email, signedInAt, authTime };
}

// ── cookies ────────────────────────────────────────────────────────────────

function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return cookies;
}

/** The session JWT from a Cookie header, joining Auth.js's chunked cookies (`name.0`, `name.1`…). */
export function sessionTokenFromCookies(
  cookieHeader: string | null,
  name = sessionCookieName(),
): string | null {
  const cookies = parseCookieHeader(cookieHeader);
  const whole = cookies.get(name);
  if (whole) return whole;
  const chunks: string[] = [];
  for (let index = 0; cookies.has(`${name}.${index}`); index += 1)
    chunks.push(cookies.get(`${name}.${index}`) ?? "");
  return chunks.length > 0 ? chunks.join("") : null;
}

/**
 * Decodes the session cookie of a Cookie header (signature and lifetime only,
 * no database); null when absent, invalid, or expired.
 */
export async function decodeSessionCookie(
  cookieHeader: string | null,
  now = sessionNow(),
  policy = sessionPolicy(),
): Promise<SessionClaims | null> {
  const name = sessionCookieName();
  const token = sessionTokenFromCookies(cookieHeader, name);
  if (!token) return null;
  let decoded: JWT | null;
  try {
    decoded = await decode({ token, secret: getAuthSecret(), salt: name });
  } catch {
    return null;
  }
  const claims = claimsFromToken(decoded);
  return claims && isSessionAlive(claims, now, policy) ? claims : null;
}

/**
 * The live session of a Cookie header: a valid cookie whose `sessions` row
 * has not been revoked (signed out, signed out everywhere, password changed).
 * Every way in uses this: route wrappers, pages, server actions, the gateway.
 */
export async function readSessionFromCookieHeader(
  cookieHeader: string | null,
  now = sessionNow(),
  policy = sessionPolicy(),
): Promise<SessionClaims | null> {
  const claims = await decodeSessionCookie(cookieHeader, now, policy);
  if (!claims) return null;
  return (await isSessionLive(await getDb(), claims.sessionId, claims.userId, now)) ? claims : null;
}

/** The session of a route-handler request. */
export function readRequestSession(request: Request): Promise<SessionClaims | null> {
  return readSessionFromCookieHeader(request.headers.get("cookie"));
}

/**
 * A `Set-Cookie` value re-issuing the session with a fresh `authTime`
 * (re-auth). Lives until the absolute end of the session, not longer.
 */
export async function reissueSessionCookie(
  claims: SessionClaims,
  now = sessionNow(),
): Promise<string> {
  const name = sessionCookieName();
  const policy = sessionPolicy();
  const remainingSeconds = Math.max(
    1,
    Math.floor((claims.signedInAt + policy.sessionMaxHours * 3_600_000 - now) / 1000),
  );
  const token = await encode({
    salt: name,
    secret: getAuthSecret(),
    maxAge: remainingSeconds,
    token: {
      sub: claims.userId,
      email: claims.email,
      uid: claims.userId,
      sid: claims.sessionId,
      signedInAt: claims.signedInAt,
      authTime: now,
    },
  });
  const attributes = [
    `${name}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${remainingSeconds}`,
  ];
  if (secureCookiesEnabled()) attributes.push("Secure");
  return attributes.join("; ");
}

/** A `Set-Cookie` value that removes the session cookie (after signing out everywhere). */
export function clearSessionCookie(): string {
  const attributes = [`${sessionCookieName()}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secureCookiesEnabled()) attributes.push("Secure");
  return attributes.join("; ");
}
