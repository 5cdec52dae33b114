/**
 * One `makeQueryClient()` for the server (a fresh client per request, used to
 * prefetch and dehydrate) and the browser (one client per tab), as in
 * TanStack Query's App Router prefetching guide.
 */
import { isServer, QueryClient, defaultShouldDehydrateQuery } from "@tanstack/react-query";

import { ApiRequestError } from "@/lib/queries/fetch-api";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Above zero so data prefetched on the server is not refetched at once on hydration;
        // live prices come over the gateway, not from refetching.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiRequestError && error.status < 500),
      },
      dehydrate: {
        // Also send queries still pending on the server, so streaming pages hydrate them.
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/** A new client per server request; one per tab in the browser (kept across suspensions). */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
