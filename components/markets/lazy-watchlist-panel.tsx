"use client";
/**
 * The watchlist side panel, loaded as its own chunk after hydration. Its data
 * is per user and fetched in the browser, so the first paint shows
 * "Loading…" either way; keeping its code out of the first load lets the
 * chunk download alongside that fetch.
 */
import { WatchlistShell } from "@/components/markets/watchlist-shell";
import { Deferred } from "@/components/ui/deferred";

const loadPanel = () =>
  import("@/components/markets/watchlist-panel").then((module) => module.WatchlistPanel);

/** `className` sizes and places the panel in the page's layout. */
export function LazyWatchlistPanel({ className = "" }: { className?: string }) {
  return (
    <div className={className}>
      <Deferred
        load={loadPanel}
        what="watchlist panel"
        props={{}}
        fallback={
          <WatchlistShell>
            <p className="px-3 py-3 text-sm text-ink-muted">Loading…</p>
          </WatchlistShell>
        }
      />
    </div>
  );
}
