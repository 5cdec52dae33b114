"use client";
import { useWatchlist } from "@/lib/queries/watchlist";

/** ☆/★ toggle for one market; hidden when signed out. */
export function WatchButton({ ticker }: { ticker: string }) {
  const { query, add, remove } = useWatchlist();
  if (!query.data) return null;
  const watched = query.data.items.some((item) => item.ticker === ticker);
  const pending = add.isPending || remove.isPending;
  return (
    <button
      type="button"
      disabled={pending}
      aria-pressed={watched}
      aria-label={watched ? `Unwatch ${ticker}` : `Watch ${ticker}`}
      onClick={() => (watched ? remove.mutate(ticker) : add.mutate(ticker))}
      className={`text-base leading-none ${watched ? "text-warn" : "text-ink-faint hover:text-warn"}`}
    >
      {watched ? "★" : "☆"}
    </button>
  );
}
