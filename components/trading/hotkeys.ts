/**
 * The trading screen's hotkeys: one table (also the cheat sheet's content)
 * and the dispatch rule. Keys never fire while the trader types in a field,
 * nor with Ctrl/Cmd/Alt held (browser shortcuts stay the browser's). Pure.
 */
export type HotkeyAction =
  | "buyBest"
  | "sellBest"
  | "cancelAllMarket"
  | "recenter"
  | "sizeUp"
  | "sizeDown"
  | "toggleSide"
  | "help";

export interface Hotkey {
  keys: readonly string[];
  action: HotkeyAction;
  label: string;
}

export const HOTKEYS: readonly Hotkey[] = [
  { keys: ["b"], action: "buyBest", label: "Buy the viewed side at the best ask, default size" },
  { keys: ["s"], action: "sellBest", label: "Sell the viewed side at the best bid, default size" },
  {
    keys: ["X"],
    action: "cancelAllMarket",
    label: "Cancel all my orders in this market (Shift+X)",
  },
  { keys: ["c"], action: "recenter", label: "Re-centre the ladder on the market" },
  { keys: ["+", "="], action: "sizeUp", label: "Default size up" },
  { keys: ["-", "_"], action: "sizeDown", label: "Default size down" },
  { keys: ["y"], action: "toggleSide", label: "Toggle the YES / NO view" },
  { keys: ["?"], action: "help", label: "Show or hide this cheat sheet" },
];

const BY_KEY = new Map<string, HotkeyAction>(
  HOTKEYS.flatMap((hotkey) => hotkey.keys.map((key) => [key, hotkey.action] as const)),
);

/** True for an element the trader types into: inputs, text areas, selects, editable content. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return (
    element.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") !==
    null
  );
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
  repeat?: boolean;
}

/** The action for a key press, or null (typing, modifiers, auto-repeat of a trading key, unknown key). */
export function hotkeyFor(event: KeyLike): HotkeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(event.target)) return null;
  const action = BY_KEY.get(event.key) ?? null;
  // A held key must not fire a stream of orders.
  if (
    event.repeat &&
    (action === "buyBest" || action === "sellBest" || action === "cancelAllMarket")
  )
    return null;
  return action;
}

/** Size steps for size up/down: 1, 2, 5, 10, 20, 50… contracts (in centi-contracts). */
export function stepSize(size: number, direction: "up" | "down"): number {
  const ladder = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
  if (direction === "up") return ladder.find((step) => step > size) ?? size;
  return [...ladder].reverse().find((step) => step < size) ?? size;
}
