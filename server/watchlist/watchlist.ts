/**
 * Watchlist persistence: the markets each user follows, one row per
 * (user, ticker) in `watchlist_items`. Every function takes the caller's own
 * user id; there is no way to read or change another user's list.
 */
import { and, count, desc, eq } from "drizzle-orm";

import { WATCHLIST_MAX_ITEMS, type WatchlistResponse } from "@/lib/schemas/watchlist";
import type { Database } from "@/server/db/client";
import { watchlistItems } from "@/server/db/schema";
import { AppError } from "@/server/http/app-error";

/** The user's watchlist, newest first. */
export async function listWatchlist(db: Database, userId: string): Promise<WatchlistResponse> {
  const rows = await db
    .select({ ticker: watchlistItems.ticker, createdAt: watchlistItems.createdAt })
    .from(watchlistItems)
    .where(eq(watchlistItems.userId, userId))
    .orderBy(desc(watchlistItems.createdAt), watchlistItems.ticker);
  return {
    items: rows.map((row) => ({ ticker: row.ticker, added_at: row.createdAt.toISOString() })),
  };
}

/**
 * Adds `ticker` (idempotent: adding a watched market again changes nothing).
 * @throws AppError 422 `watchlist_full` past WATCHLIST_MAX_ITEMS.
 */
export async function addToWatchlist(
  db: Database,
  userId: string,
  ticker: string,
): Promise<WatchlistResponse> {
  const [row] = await db
    .select({ n: count() })
    .from(watchlistItems)
    .where(eq(watchlistItems.userId, userId));
  if ((row?.n ?? 0) >= WATCHLIST_MAX_ITEMS) {
    const existing = await db
      .select({ ticker: watchlistItems.ticker })
      .from(watchlistItems)
      .where(and(eq(watchlistItems.userId, userId), eq(watchlistItems.ticker, ticker)));
    if (existing.length === 0) {
      throw new AppError({
        code: "watchlist_full",
        message: `A watchlist holds at most ${WATCHLIST_MAX_ITEMS} markets; remove one first.`,
        status: 422,
        field: "ticker",
      });
    }
  }
  await db.insert(watchlistItems).values({ userId, ticker }).onConflictDoNothing();
  return listWatchlist(db, userId);
}

/** Removes `ticker` from the user's list (removing a market that is not there is fine). */
export async function removeFromWatchlist(
  db: Database,
  userId: string,
  ticker: string,
): Promise<WatchlistResponse> {
  await db
    .delete(watchlistItems)
    .where(and(eq(watchlistItems.userId, userId), eq(watchlistItems.ticker, ticker)));
  return listWatchlist(db, userId);
}
