/**
 * "These sessions just ended": a process-wide signal from sign-out, sign out
 * everywhere, revocation and password change to whoever holds live
 * connections for the user (the WebSocket gateway closes their sockets).
 *
 * The registry lives on `globalThis` because server/main.ts (where the gateway
 * runs) and the Next.js bundle (where sign-out runs) each load their own copy
 * of this module. Across several app instances this is per instance; the
 * gateway also re-checks the session on every new connection.
 */

/** Which sessions ended: some ids, or every session of the user. */
export type RevokedSessions = { all: true } | { all: false; sessionIds: readonly string[] };

type Listener = (revoked: RevokedSessions) => void;

const REGISTRY = Symbol.for("kalshi-dashboard.session-revocation-listeners");
type GlobalWithRegistry = typeof globalThis & { [REGISTRY]?: Map<string, Set<Listener>> };

function registry(): Map<string, Set<Listener>> {
  const store = globalThis as GlobalWithRegistry;
  store[REGISTRY] ??= new Map();
  return store[REGISTRY];
}

/**
 * Calls `listener` whenever sessions of `userId` are revoked. Returns the
 * function that stops listening (call it when the socket closes).
 */
export function onSessionsRevoked(userId: string, listener: Listener): () => void {
  const listeners = registry().get(userId) ?? new Set<Listener>();
  listeners.add(listener);
  registry().set(userId, listeners);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && registry().get(userId) === listeners) registry().delete(userId);
  };
}

const RELAY = Symbol.for("kalshi-dashboard.session-revocation-relay");
type GlobalWithRelay = typeof globalThis & {
  [RELAY]?: (userId: string, revoked: RevokedSessions) => void;
};

/**
 * Also tells the other instances (server/cluster, with REDIS_URL): `relay`
 * is called for every revocation made here; they deliver it with
 * `emitSessionsRevokedLocally`.
 */
export function setSessionRevocationRelay(
  relay: ((userId: string, revoked: RevokedSessions) => void) | null,
): void {
  const store = globalThis as GlobalWithRelay;
  if (relay) store[RELAY] = relay;
  else delete store[RELAY];
}

/** Tells every listener of `userId` (on every instance) that sessions ended. */
export function emitSessionsRevoked(userId: string, revoked: RevokedSessions): void {
  emitSessionsRevokedLocally(userId, revoked);
  (globalThis as GlobalWithRelay)[RELAY]?.(userId, revoked);
}

/** Tells this instance's listeners of `userId` that sessions ended. */
export function emitSessionsRevokedLocally(userId: string, revoked: RevokedSessions): void {
  for (const listener of [...(registry().get(userId) ?? [])]) {
    try {
      listener(revoked);
    } catch (error) {
      console.error(
        JSON.stringify({
          at: "server/auth/session-events",
          what: "revocation listener failed",
          error: error instanceof Error ? error.name : typeof error,
        }),
      );
    }
  }
}

/** True when `sessionId` (undefined = a connection not tied to one session) is among `revoked`. */
export function isRevoked(revoked: RevokedSessions, sessionId: string | undefined): boolean {
  return revoked.all || sessionId === undefined || revoked.sessionIds.includes(sessionId);
}
