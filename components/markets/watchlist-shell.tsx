import type { ReactNode } from "react";

/** The watchlist side panel's frame: shared by the panel and its loading state. */
export function WatchlistShell({ children }: { children: ReactNode }) {
  return (
    <aside aria-labelledby="watchlist-heading" className="rounded-lg border border-line bg-panel">
      <h2
        id="watchlist-heading"
        className="border-b border-line px-3 py-2 text-xs font-medium tracking-wide text-ink-muted uppercase"
      >
        Watchlist
      </h2>
      {children}
    </aside>
  );
}
