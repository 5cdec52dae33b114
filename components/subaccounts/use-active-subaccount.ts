"use client";
/**
 * The subaccount the trader is working in, chosen in the header's switcher:
 * scopes the portfolio pages and is the order ticket's default. Kept in
 * localStorage (survives reloads, shared by tabs through the storage event)
 * and mirrored in a cookie so server-rendered pages start in the right scope.
 *
 *   const { subaccount, ticketSubaccount, setSubaccount } = useActiveSubaccount();
 */
import { useCallback, useSyncExternalStore } from "react";

import { ACTIVE_SUBACCOUNT_COOKIE, parseActiveSubaccount } from "./active-subaccount-cookie";

export { ACTIVE_SUBACCOUNT_COOKIE, parseActiveSubaccount };

type Listener = () => void;
const listeners = new Set<Listener>();

function read(): number | null {
  try {
    return parseActiveSubaccount(window.localStorage.getItem(ACTIVE_SUBACCOUNT_COOKIE));
  } catch {
    return null;
  }
}

let current: number | null | undefined;
function snapshot(): number | null {
  current ??= read();
  return current;
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== ACTIVE_SUBACCOUNT_COOKIE) return;
    current = read();
    listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** Stores the choice (localStorage + cookie) and tells every hook in the tab. */
export function setActiveSubaccount(subaccount: number | null): void {
  const value = subaccount === null ? "all" : String(subaccount);
  try {
    window.localStorage.setItem(ACTIVE_SUBACCOUNT_COOKIE, value);
  } catch {
    // Private mode without storage: the cookie still carries the choice.
  }
  document.cookie = `${ACTIVE_SUBACCOUNT_COOKIE}=${value}; path=/; max-age=31536000; samesite=lax`;
  current = subaccount;
  for (const listener of listeners) listener();
}

export interface ActiveSubaccount {
  /** The scope of the portfolio pages; null = the whole account. */
  subaccount: number | null;
  /** Where a new order goes by default: the chosen subaccount, or the primary (0) when "all". */
  ticketSubaccount: number;
  setSubaccount: (subaccount: number | null) => void;
}

/**
 * The active subaccount. `serverValue` is what the server rendered with (from
 * the cookie), so hydration matches and there is no flash of another scope.
 */
export function useActiveSubaccount(serverValue: number | null = null): ActiveSubaccount {
  const subaccount = useSyncExternalStore(subscribe, snapshot, () => serverValue);
  const setSubaccount = useCallback((next: number | null) => setActiveSubaccount(next), []);
  return { subaccount, ticketSubaccount: subaccount ?? 0, setSubaccount };
}
