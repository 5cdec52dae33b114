"use client";
/**
 * Client providers for every page: the tab's react-query client and its one
 * gateway WebSocket (live prices). Mounted once in app/layout.tsx.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { GatewayProvider } from "@/lib/gateway/hooks";
import { getQueryClient } from "@/lib/queries/query-client";

export function Providers({ children }: { children: ReactNode }) {
  // Not useState: a suspending first render would throw the client away (TanStack's guide).
  const queryClient = getQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      <GatewayProvider>{children}</GatewayProvider>
    </QueryClientProvider>
  );
}
