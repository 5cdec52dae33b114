"use client";
/**
 * The trading screen's pane sizes (ladder and ticket column widths in px,
 * the chart's share of the left column in %), dragged by splitters and
 * remembered per user in localStorage.
 */
import { useCallback, useState, type PointerEvent as ReactPointerEvent } from "react";

export interface PaneSizes {
  ladder: number;
  ticket: number;
  chartPercent: number;
}

// The ladder's default width fits its six columns at 11 px mono, the "mine"
// columns included ("12 q1520": my size and the contracts queued ahead).
export const DEFAULT_PANES: PaneSizes = { ladder: 340, ticket: 300, chartPercent: 55 };

const LIMITS = {
  ladder: [220, 520],
  ticket: [260, 480],
  chartPercent: [25, 80],
} as const satisfies Record<keyof PaneSizes, readonly [number, number]>;

export function clampPanes(sizes: Partial<PaneSizes>): PaneSizes {
  const clamp = (key: keyof PaneSizes) => {
    const value = sizes[key];
    const [min, max] = LIMITS[key];
    return typeof value === "number" && Number.isFinite(value)
      ? Math.min(max, Math.max(min, Math.round(value)))
      : DEFAULT_PANES[key];
  };
  return { ladder: clamp("ladder"), ticket: clamp("ticket"), chartPercent: clamp("chartPercent") };
}

export function usePaneSizes(userKey: string) {
  const storageKey = `kd.trading.panes.${userKey}`;
  // The trading screen renders in the browser only (a chunk loaded after hydration), so the
  // saved sizes can be read before the first paint without a server/client mismatch.
  const [sizes, setSizes] = useState<PaneSizes>(() => readSizes(storageKey));

  const update = useCallback(
    (patch: Partial<PaneSizes>) =>
      setSizes((current) => {
        const next = clampPanes({ ...current, ...patch });
        localStorage.setItem(storageKey, JSON.stringify(next));
        return next;
      }),
    [storageKey],
  );

  /**
   * Pointer-down handler for a splitter: reports the pointer's travel from
   * where the drag began (px) until it is released.
   */
  const drag = useCallback(
    (onMove: (dx: number, dy: number) => void) => (event: ReactPointerEvent<HTMLElement>) => {
      event.preventDefault();
      const startX = event.clientX;
      const startY = event.clientY;
      const move = (e: PointerEvent) => onMove(e.clientX - startX, e.clientY - startY);
      const up = () => {
        window.removeEventListener("pointermove", move);
        window.removeEventListener("pointerup", up);
      };
      window.addEventListener("pointermove", move);
      window.addEventListener("pointerup", up);
    },
    [],
  );

  return { sizes, update, drag };
}

function readSizes(storageKey: string): PaneSizes {
  try {
    const raw = typeof localStorage === "undefined" ? null : localStorage.getItem(storageKey);
    return raw ? clampPanes(JSON.parse(raw) as Partial<PaneSizes>) : DEFAULT_PANES;
  } catch {
    // A corrupt entry falls back to the defaults.
    return DEFAULT_PANES;
  }
}
