"use client";
/**
 * The combo slip: legs (a market's yes or no side) picked on the event and
 * market pages, kept in localStorage so the slip survives navigation and
 * reloads, and shared by every tab through the `storage` event. A slip holds
 * legs of one collection at a time (a combo is created in one collection).
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { useSyncExternalStore } from "react";
import { z } from "zod";

export const STORAGE_KEY = "kalshi-dashboard.combo-slip.v1";
/** Most legs a slip holds (what the stored form accepts back). */
export const MAX_SLIP_LEGS = 20;

export const SlipLegSchema = z.strictObject({
  market_ticker: z.string().min(1),
  event_ticker: z.string().min(1),
  side: z.enum(["yes", "no"]),
  /** What the leg is, for display ("Buffalo", "86° to 87°"). */
  label: z.string(),
});
export type SlipLeg = z.infer<typeof SlipLegSchema>;

const SlipSchema = z.strictObject({
  collection_ticker: z.string().nullable(),
  legs: z.array(SlipLegSchema).max(MAX_SLIP_LEGS),
});
export type ComboSlip = z.infer<typeof SlipSchema>;

const EMPTY: ComboSlip = { collection_ticker: null, legs: [] };
const listeners = new Set<() => void>();
let cached: ComboSlip | null = null;

function read(): ComboSlip {
  if (cached) return cached;
  let slip = EMPTY;
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    const parsed = raw === null ? null : SlipSchema.safeParse(JSON.parse(raw));
    if (parsed?.success) slip = parsed.data;
  } catch {
    // Storage blocked or corrupt: start empty rather than break the page.
  }
  cached = slip;
  return slip;
}

function write(slip: ComboSlip): void {
  cached = slip;
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(slip));
  } catch {
    // Quota or privacy mode: the slip still works for this page view.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY) return;
    cached = null;
    listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** The current slip (empty on the server and before hydration). */
export function useComboSlip(): ComboSlip {
  return useSyncExternalStore(subscribe, read, () => EMPTY);
}

export type ToggleResult = "added" | "replaced" | "removed" | "full";

/**
 * Adds a leg, replacing any leg of the same event (one market per event, so
 * the same market is never in twice: its other side replaces it) or toggling
 * it off when the same side is picked again. A leg from another collection
 * starts a new slip. Refused ("full") when it would take the slip past
 * `sizeMax` legs (the collection's `size_max`, at most MAX_SLIP_LEGS).
 */
export function toggleLeg(
  collectionTicker: string,
  leg: SlipLeg,
  options: { sizeMax?: number } = {},
): ToggleResult {
  const slip = read();
  const base = slip.collection_ticker === collectionTicker ? slip.legs : [];
  const same = base.find((l) => l.market_ticker === leg.market_ticker && l.side === leg.side);
  const others = base.filter((l) => l.event_ticker !== leg.event_ticker);
  if (same) {
    write({ collection_ticker: others.length ? collectionTicker : null, legs: others });
    return "removed";
  }
  const cap = Math.min(options.sizeMax ?? MAX_SLIP_LEGS, MAX_SLIP_LEGS);
  if (others.length >= cap) return "full";
  write({ collection_ticker: collectionTicker, legs: [...others, leg] });
  return others.length < base.length ? "replaced" : "added";
}

export function removeLeg(marketTicker: string): void {
  const slip = read();
  const legs = slip.legs.filter((l) => l.market_ticker !== marketTicker);
  write({ collection_ticker: legs.length ? slip.collection_ticker : null, legs });
}

export function clearSlip(): void {
  write(EMPTY);
}
