"use client";
/**
 * Client providers for every page: the tab's react-query client and its one
 * gateway WebSocket (live prices), created here and shared by lib/gateway's
 * hooks (through GatewayProvider). Mounted once
 * in app/layout.tsx.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";

import { GatewayProvider, lazyGatewayClient } from "@/lib/gateway/hooks";
import { getQueryClient } from "@/lib/queries/query-client";
import { ViewerProvider } from "@/lib/queries/viewer";

export function Providers({
  signedIn,
  gatewayUrl,
  children,
}: {
  signedIn: boolean;
  /** A gateway on another origin (GATEWAY_PUBLIC_URL); null = this origin's /ws. */
  gatewayUrl: string | null;
  children: ReactNode;
}) {
  // Not useState: a suspending first render would throw the client away (TanStack's guide).
  const queryClient = getQueryClient();
  // Constructing neither connects nor loads the client chunk; GatewayProvider
  // starts it after mount (browser only). The socket belongs to one viewer:
  // signing in or out (a soft navigation keeps this layout) replaces it, so a
  // socket opened signed out never lacks the private topics after sign-in.
  // A gateway on another origin is opened with a ticket when signed in (a
  // signed-out page does not ask for one: it would only be refused).
  const gateway = useMemo(
    () =>
      lazyGatewayClient(
        gatewayUrl === null
          ? undefined
          : signedIn
            ? () => import("@/lib/gateway/ticket-url").then((m) => m.ticketedGatewayUrl(gatewayUrl))
            : gatewayUrl,
      ),
    [gatewayUrl, signedIn],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <ViewerProvider signedIn={signedIn}>
        <GatewayProvider key={signedIn ? "signed-in" : "signed-out"} client={gateway}>
          {children}
        </GatewayProvider>
      </ViewerProvider>
    </QueryClientProvider>
  );
}
