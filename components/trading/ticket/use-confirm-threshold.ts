"use client";
/**
 * The size and cost above which the ticket asks for a confirmation, set by
 * the trader and kept in localStorage (per browser). Whole contracts and
 * whole dollars; 0 means "always confirm".
 */
import { useCallback, useSyncExternalStore } from "react";

import { ONE_CONTRACT, ONE_DOLLAR, type Centis, type Micros } from "@/lib/fixed-point";

const STORAGE_KEY = "kd.trading.confirm-threshold";

export interface ConfirmThreshold {
  contracts: number;
  dollars: number;
}

export const DEFAULT_THRESHOLD: ConfirmThreshold = { contracts: 100, dollars: 100 };

const listeners = new Set<() => void>();
let cachedRaw: string | null = null;
let cached: ConfirmThreshold = DEFAULT_THRESHOLD;

function read(): ConfirmThreshold {
  const raw = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  cached = parseThreshold(raw);
  return cached;
}

export function parseThreshold(raw: string | null): ConfirmThreshold {
  try {
    const value = raw ? (JSON.parse(raw) as Partial<ConfirmThreshold>) : {};
    const whole = (n: unknown, fallback: number) =>
      typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
    return {
      contracts: whole(value.contracts, DEFAULT_THRESHOLD.contracts),
      dollars: whole(value.dollars, DEFAULT_THRESHOLD.dollars),
    };
  } catch {
    return DEFAULT_THRESHOLD;
  }
}

/** True when an order of this size or cost needs the confirmation step. */
export function needsConfirmation(
  threshold: ConfirmThreshold,
  count: Centis,
  cost: Micros,
): boolean {
  return count > threshold.contracts * ONE_CONTRACT || cost > threshold.dollars * ONE_DOLLAR;
}

export function useConfirmThreshold() {
  const threshold = useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    read,
    () => DEFAULT_THRESHOLD,
  );
  const setThreshold = useCallback((next: ConfirmThreshold) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    listeners.forEach((listener) => listener());
  }, []);
  return [threshold, setThreshold] as const;
}
