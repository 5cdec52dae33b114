"use client";
/**
 * The watchlist side panel, loaded as its own chunk after hydration. Its data
 * is per user and fetched in the browser, so the first paint shows
 * "Loading…" either way; keeping its code out of the first load lets the
 * chunk download alongside that fetch.
 */
import { WatchlistShell } from "@/components/markets/watchlist-shell";
import { useDeferredComponent } from "@/components/ui/use-deferred-component";

const loadPanel = () =>
  import("@/components/markets/watchlist-panel").then((module) => module.WatchlistPanel);

/** `className` sizes and places the panel in the page's layout. */
export function LazyWatchlistPanel({ className = "" }: { className?: string }) {
  const Panel = useDeferredComponent(loadPanel, "watchlist panel");
  return (
    <div className={className}>
      {Panel ? (
        // eslint-disable-next-line react-hooks/static-components -- one module-level component per chunk, never created during render
        <Panel />
      ) : (
        <WatchlistShell>
          <p className="px-3 py-3 text-sm text-ink-muted">Loading…</p>
        </WatchlistShell>
      )}
    </div>
  );
}
