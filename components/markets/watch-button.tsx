"use client";
import { useId } from "react";

import { useWatchlist, useWatchToggle } from "@/lib/queries/watchlist";

/** ☆/★ toggle for one market; hidden when signed out. A failed change shows as a red "!". */
export function WatchButton({ ticker }: { ticker: string }) {
  const errorId = useId();
  const list = useWatchlist();
  const toggle = useWatchToggle();
  if (!list.data) return null;
  const watched = list.data.items.some((item) => item.ticker === ticker);
  const failed = toggle.isError ? `Could not update the watchlist: ${toggle.error.message}` : null;
  return (
    <>
      <button
        type="button"
        disabled={toggle.isPending}
        aria-pressed={watched}
        aria-label={watched ? `Unwatch ${ticker}` : `Watch ${ticker}`}
        aria-describedby={failed ? errorId : undefined}
        title={failed ?? undefined}
        onClick={() => toggle.mutate({ ticker, watch: !watched })}
        className={`text-base leading-none ${
          failed ? "text-no" : watched ? "text-warn" : "text-ink-faint hover:text-warn"
        }`}
      >
        {watched ? "★" : "☆"}
        {failed ? <span aria-hidden>!</span> : null}
      </button>
      {failed ? (
        <span id={errorId} role="status" className="sr-only">
          {failed}
        </span>
      ) : null}
    </>
  );
}
