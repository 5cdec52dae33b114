/**
 * The watchlist's query and its add/remove mutation. Signed out, the query
 * resolves to null (the panel then offers to sign in). The mutation waits for
 * the server's answer and then replaces the cached list with it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { fetchApi, isSignedOutError } from "@/lib/queries/fetch-api";
import type { WatchlistResponse } from "@/lib/schemas/watchlist";
import { useSignedIn } from "@/lib/queries/viewer";

export const watchlistKeys = { all: ["watchlist"] as const };

export function watchlistOptions() {
  return queryOptions({
    queryKey: watchlistKeys.all,
    queryFn: async ({ signal }): Promise<WatchlistResponse | null> => {
      try {
        return await fetchApi<WatchlistResponse>("/api/watchlist", { signal });
      } catch (error) {
        if (isSignedOutError(error)) return null;
        throw error;
      }
    },
  });
}

/**
 * The signed-in user's watchlist; `data` is null when signed out (the page
 * says so up front; a session that ended since is answered 401 → null too).
 */
export function useWatchlist() {
  const signedIn = useSignedIn();
  const query = useQuery({ ...watchlistOptions(), enabled: signedIn });
  return { ...query, data: signedIn ? query.data : null, isPending: signedIn && query.isPending };
}

/**
 * Adds (`watch: true`) or removes one market. One mutation per button or row;
 * on success the cached list is replaced with the server's answer, on failure
 * `error` says why (the list is left as it was).
 */
export function useWatchToggle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ticker, watch }: { ticker: string; watch: boolean }) =>
      watch
        ? fetchApi<WatchlistResponse>("/api/watchlist", { json: { ticker } })
        : fetchApi<WatchlistResponse>(`/api/watchlist/${encodeURIComponent(ticker)}`, {
            method: "DELETE",
          }),
    onSuccess: (data) => client.setQueryData(watchlistKeys.all, data),
  });
}
