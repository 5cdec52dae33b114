"use client";
/**
 * Client providers for every page: the tab's react-query client and its one
 * gateway WebSocket (live prices), created here and shared by lib/gateway's
 * hooks (through GatewayProvider). Mounted once
 * in app/layout.tsx.
 */
// First: browser zod must not probe for eval under the CSP (see the module).
import "@/lib/zod-csp";
import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

import { GatewayProvider, lazyGatewayClient } from "@/lib/gateway/hooks";
import { getQueryClient } from "@/lib/queries/query-client";

export function Providers({ children }: { children: ReactNode }) {
  // Not useState: a suspending first render would throw the client away (TanStack's guide).
  const queryClient = getQueryClient();
  // Constructing neither connects nor loads the client chunk; GatewayProvider
  // starts it after mount (browser only).
  const [gateway] = useState(() => lazyGatewayClient());
  return (
    <QueryClientProvider client={queryClient}>
      <GatewayProvider client={gateway}>{children}</GatewayProvider>
    </QueryClientProvider>
  );
}
