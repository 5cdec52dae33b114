/**
 * The watchlist's query and mutations. Signed out, the query resolves to null
 * (the panel then offers to sign in). Mutations wait for the server's answer
 * and then replace the cached list with it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { fetchApi, isSignedOutError } from "@/lib/queries/fetch-api";
import type { WatchlistResponse } from "@/lib/schemas/watchlist";

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

/** The list (null when signed out) and add/remove mutations. */
export function useWatchlist() {
  const client = useQueryClient();
  const query = useQuery(watchlistOptions());
  const onSuccess = (data: WatchlistResponse) => client.setQueryData(watchlistKeys.all, data);
  const add = useMutation({
    mutationFn: (ticker: string) =>
      fetchApi<WatchlistResponse>("/api/watchlist", { json: { ticker } }),
    onSuccess,
  });
  const remove = useMutation({
    mutationFn: (ticker: string) =>
      fetchApi<WatchlistResponse>(`/api/watchlist/${encodeURIComponent(ticker)}`, {
        method: "DELETE",
      }),
    onSuccess,
  });
  return { query, add, remove };
}
