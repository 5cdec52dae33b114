"use client";
/** Listens for the trading hotkeys on the window (hotkeys.ts decides; typing in a field never fires). */
import { useEffect, useRef } from "react";

import { hotkeyFor, type HotkeyAction } from "@/components/trading/hotkeys";

export function useHotkeys(onAction: (action: HotkeyAction) => void, enabled = true) {
  const handler = useRef(onAction);
  useEffect(() => {
    handler.current = onAction;
  }, [onAction]);
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      const action = hotkeyFor(event);
      if (!action) return;
      event.preventDefault();
      handler.current(action);
    };
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, [enabled]);
}
