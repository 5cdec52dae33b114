"use client";
/** A small stack of toasts (bottom right), each gone after a few seconds. */
import { useCallback, useState } from "react";

export interface Toast {
  id: number;
  text: string;
  tone: "info" | "warning";
}

let nextId = 1;

export function useToasts(lifetimeMs = 6_000) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback(
    (text: string, tone: Toast["tone"] = "info") => {
      const id = nextId++;
      setToasts((list) => [...list.slice(-3), { id, text, tone }]);
      setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), lifetimeMs);
    },
    [lifetimeMs],
  );
  return { toasts, push };
}

export function ToastStack({ toasts }: { toasts: Toast[] }) {
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed right-3 bottom-3 z-50 flex max-w-[calc(100vw-1.5rem)] flex-col gap-2"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role="status"
          className={`rounded-md border px-3 py-2 text-sm shadow-lg ${toast.tone === "warning" ? "border-warn/40 bg-panel-raised text-warn" : "border-accent/40 bg-panel-raised text-ink"}`}
        >
          {toast.text}
        </div>
      ))}
    </div>
  );
}
