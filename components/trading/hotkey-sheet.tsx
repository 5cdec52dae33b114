"use client";
/** The in-app hotkey cheat sheet (opened with `?`). */
import { useEffect, useRef } from "react";

import { HOTKEYS } from "@/components/trading/hotkeys";

const KEY_NAMES: Record<string, string> = { ArrowUp: "↑", ArrowDown: "↓", X: "Shift+X" };

export function HotkeySheet({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="hotkeys-title"
      className="m-auto w-full max-w-md rounded-lg border border-line bg-panel p-4 text-ink backdrop:bg-black/60"
    >
      <h2 id="hotkeys-title" className="mb-2 text-sm font-semibold">
        Hotkeys
      </h2>
      <p className="mb-3 text-xs text-ink-muted">They do nothing while you type in a field.</p>
      <table className="w-full text-xs">
        <tbody>
          {HOTKEYS.map((hotkey) => (
            <tr key={hotkey.action} className="border-t border-line/60">
              <td className="py-1 pr-3 whitespace-nowrap">
                {hotkey.keys.map((key) => (
                  <kbd
                    key={key}
                    className="mr-1 rounded border border-line bg-surface px-1 font-mono"
                  >
                    {KEY_NAMES[key] ?? key}
                  </kbd>
                ))}
              </td>
              <td className="py-1">{hotkey.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={onClose}
        className="mt-3 rounded border border-line px-2 py-1 text-xs"
      >
        Close
      </button>
    </dialog>
  );
}
