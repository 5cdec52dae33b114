import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

import { signOutAction } from "@/app/(auth)/actions";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { AppHeader } from "@/components/layout/app-header";
import { Providers } from "@/lib/queries/providers";
import { getPageSession } from "@/server/auth/page-session";
import { getServerConfig } from "@/server/config";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Kalshi Dashboard", template: "%s · Kalshi Dashboard" },
  description: "Self-hostable trading dashboard for Kalshi event contracts.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = {
  themeColor: "#0b0e14",
  colorScheme: "dark",
};

// Root layout: the app shell shared by every page.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getPageSession();
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <AppHeader
          signedIn={session !== null}
          account={
            session ? <SignOutButton email={session.email} action={signOutAction} /> : undefined
          }
        />
        <Providers
          signedIn={session !== null}
          gatewayUrl={getServerConfig().gateway.publicUrl ?? null}
        >
          {children}
        </Providers>
      </body>
    </html>
  );
}
