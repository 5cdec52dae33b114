/**
 * Who is on the other end of a browser socket, and which Kalshi credential
 * acts for them. The gateway asks a `GatewayAuthenticator`; tests inject a
 * fake one for identity only.
 *
 * Two ways in:
 * - the session cookie, on a same-origin upgrade (the Origin header must be
 *   an allowed origin, or a cross-site page could ride the cookie), and
 * - a short-lived signed ticket from `POST /api/ws-ticket` in the `ticket`
 *   query parameter, for a gateway on another origin.
 * Anything else is anonymous: public market topics only.
 */
import type { IncomingMessage } from "node:http";
import type { ActiveCredential } from "@/server/auth/trader-route";
import { requestTarget } from "@/server/http/request-target";
import { verifyTicket, type TicketReplayGuard } from "@/server/gateway/ticket";

export type { ActiveCredential };

export interface GatewayAuthenticator {
  /** The signed-in user (and their live session) for a Cookie header, or null. */
  fromCookies(
    cookieHeader: string | undefined,
  ): Promise<{ userId: string; sessionId?: string } | null>;
  /**
   * The user's active Kalshi credential, or null when they have none. Throws
   * `CredentialUnreadableError` when one is stored but cannot be used here
   * (the vault cannot open it, or its environment is not connected).
   */
  credentialFor(userId: string): Promise<ActiveCredential | null>;
  /** Calls `listener(userId)` when a user's active credential may have changed; returns the unsubscribe. */
  onCredentialChange?(listener: (userId: string) => void): () => void;
}

/** A stored credential exists but cannot be used; `message` tells the trader what to do. */
export class CredentialUnreadableError extends Error {
  override readonly name = "CredentialUnreadableError";
}

export interface UpgradeIdentity {
  userId: string;
  via: "cookie" | "ticket";
  /** The session a cookie socket belongs to (ticket sockets: undefined, ended by any revocation). */
  sessionId?: string;
}

/**
 * Resolves the identity of an upgrade request: ticket first (explicit), then
 * the cookie when the Origin is allowed. Returns null for anonymous.
 */
export async function identifyUpgrade(
  request: IncomingMessage,
  options: {
    authenticator: GatewayAuthenticator;
    ticketSecret: string | undefined;
    replayGuard: TicketReplayGuard;
    /** Single use across instances (Redis); the local guard covers one instance. */
    claimTicket?: (jti: string, expiresAt: number) => Promise<boolean>;
    isAllowedOrigin: (origin: string | undefined, request: IncomingMessage) => boolean;
  },
): Promise<UpgradeIdentity | null> {
  const ticket = requestTarget(request.url)?.searchParams.get("ticket") ?? null;
  if (ticket !== null && options.ticketSecret !== undefined) {
    const claims = verifyTicket(options.ticketSecret, ticket, Date.now(), options.replayGuard);
    if (!claims) return null;
    if (options.claimTicket && !(await options.claimTicket(claims.jti, claims.exp))) return null;
    return { userId: claims.userId, via: "ticket" };
  }
  const cookie = request.headers.cookie;
  if (cookie === undefined || !options.isAllowedOrigin(request.headers.origin, request))
    return null;
  const user = await options.authenticator.fromCookies(cookie);
  return user ? { userId: user.userId, via: "cookie", sessionId: user.sessionId } : null;
}
