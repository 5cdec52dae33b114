import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

import { signOutAction } from "@/app/(auth)/actions";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Providers } from "@/lib/queries/providers";
import { getPageSession } from "@/server/auth/page-session";

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
        <header className="border-b border-line bg-panel">
          <div className="mx-auto flex h-12 max-w-7xl items-center gap-6 px-4">
            <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
              <svg aria-hidden viewBox="0 0 32 32" className="size-5">
                <rect
                  x="7"
                  y="14"
                  width="4"
                  height="11"
                  rx="1"
                  fill="currentColor"
                  className="text-no"
                />
                <rect
                  x="14"
                  y="9"
                  width="4"
                  height="16"
                  rx="1"
                  fill="currentColor"
                  className="text-accent"
                />
                <rect
                  x="21"
                  y="5"
                  width="4"
                  height="20"
                  rx="1"
                  fill="currentColor"
                  className="text-yes"
                />
              </svg>
              Kalshi Dashboard
            </Link>
            <nav aria-label="Main" className="flex gap-4 text-sm text-ink-muted">
              <Link href="/" className="hover:text-ink">
                Home
              </Link>
              <Link href="/markets" className="hover:text-ink">
                Markets
              </Link>
              {session ? (
                <Link href="/settings/keys" className="hover:text-ink">
                  API keys
                </Link>
              ) : null}
            </nav>
            <div className="ml-auto">
              {session ? (
                <SignOutButton email={session.email} action={signOutAction} />
              ) : (
                <Link href="/sign-in" className="text-sm text-ink-muted hover:text-ink">
                  Sign in
                </Link>
              )}
            </div>
          </div>
        </header>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
