/**
 * Short-lived signed tickets that let a browser open the gateway from another
 * origin (the Vercel layout, where the gateway runs in its own container and
 * cannot read the app's session cookie). `POST /api/ws-ticket` issues one for
 * the signed-in user; the gateway verifies it at the upgrade.
 *
 * Format: `v1.<base64url(JSON {sub, exp, jti})>.<base64url(HMAC-SHA256)>`.
 * A ticket names a user only — never a key — and is single-use within its
 * lifetime on one gateway instance.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 60 s: long enough to open a socket after the POST, short enough to be useless in a log. */
export const TICKET_TTL_MS = 60_000;

export interface TicketClaims {
  userId: string;
  /** Expiry, ms since the epoch. */
  exp: number;
  /** The ticket's id (single use across instances: see GatewayOptions.claimTicket). */
  jti: string;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`kgw-ticket.${payload}`).digest();
}

/** Issues a ticket for `userId`. */
export function issueTicket(
  secret: string,
  userId: string,
  now: number = Date.now(),
  ttlMs: number = TICKET_TTL_MS,
): { ticket: string; expiresAt: number } {
  const exp = now + ttlMs;
  const payload = Buffer.from(
    JSON.stringify({ sub: userId, exp, jti: randomBytes(9).toString("base64url") }),
  ).toString("base64url");
  return { ticket: `v1.${payload}.${mac(secret, payload).toString("base64url")}`, expiresAt: exp };
}

/**
 * Verifies a ticket: signature, expiry and (with `seen`) single use.
 * Returns the claims or null; never throws on garbage.
 */
export function verifyTicket(
  secret: string,
  ticket: string,
  now: number = Date.now(),
  seen?: TicketReplayGuard,
): TicketClaims | null {
  if (ticket.length > 1024) return null;
  const parts = ticket.split(".");
  if (parts.length !== 3 || parts[0] !== "v1") return null;
  const [, payload = "", signature = ""] = parts;
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof claims !== "object" || claims === null) return null;
  const { sub, exp, jti } = claims as { sub?: unknown; exp?: unknown; jti?: unknown };
  if (
    typeof sub !== "string" ||
    sub.length === 0 ||
    typeof exp !== "number" ||
    typeof jti !== "string"
  )
    return null;
  if (exp <= now) return null;
  if (seen && !seen.claim(jti, exp, now)) return null;
  return { userId: sub, exp, jti };
}

/** Remembers used ticket ids until they expire, so a leaked ticket cannot be replayed. */
export class TicketReplayGuard {
  private readonly used = new Map<string, number>();

  /** True the first time `jti` is seen. */
  claim(jti: string, exp: number, now: number): boolean {
    if (this.used.size > 1000) {
      for (const [id, expiry] of this.used) if (expiry <= now) this.used.delete(id);
    }
    if (this.used.has(jti)) return false;
    this.used.set(jti, exp);
    return true;
  }
}
