/**
 * "A user's active credential may have changed": the credential store says
 * so after adding, activating or deleting a key, and the gateway (which holds
 * upstream connections signed with that key) listens, so a deleted or
 * switched key stops streaming at once rather than at the next reconnect.
 *
 * In-process only. The emitter lives on globalThis: the route handlers run
 * in the Next.js bundle's copy of this module, the gateway in server/main's,
 * and both must reach the same listeners. Across instances the gateway's
 * periodic re-check is the backstop.
 */

type Listener = (userId: string) => void;

const LISTENERS = Symbol.for("kalshi-dashboard.credential-change-listeners");
type GlobalWithListeners = typeof globalThis & { [LISTENERS]?: Set<Listener> };

function listeners(): Set<Listener> {
  const store = globalThis as GlobalWithListeners;
  store[LISTENERS] ??= new Set();
  return store[LISTENERS];
}

/** Calls `listener(userId)` after each change to a user's credentials; returns the unsubscribe. */
export function onCredentialChange(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

const RELAY = Symbol.for("kalshi-dashboard.credential-change-relay");
type GlobalWithRelay = typeof globalThis & { [RELAY]?: (userId: string) => void };

/** Also tells the other instances (server/cluster, with REDIS_URL); they call notifyCredentialChangeLocally. */
export function setCredentialChangeRelay(relay: ((userId: string) => void) | null): void {
  const store = globalThis as GlobalWithRelay;
  if (relay) store[RELAY] = relay;
  else delete store[RELAY];
}

/** Tells every listener (on every instance) that `userId`'s credentials changed. A failing listener never fails the caller. */
export function notifyCredentialChange(userId: string): void {
  notifyCredentialChangeLocally(userId);
  (globalThis as GlobalWithRelay)[RELAY]?.(userId);
}

/** Tells this instance's listeners that `userId`'s credentials changed. */
export function notifyCredentialChangeLocally(userId: string): void {
  for (const listener of listeners()) {
    try {
      listener(userId);
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          at: "server/credentials/credential-events",
          msg: "credential change listener failed",
          userId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }
}
