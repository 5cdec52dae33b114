"use client";
/**
 * The app shell's header: logo, main navigation (the current section marked
 * with aria-current) and the account area. A client component so that the
 * section can follow client-side navigation; `account` is rendered by the
 * server (the sign-out form and its server action).
 */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

import { Deferred } from "@/components/ui/deferred";
import { inSection, MAIN_SECTIONS } from "@/lib/navigation";

// The switcher's chunk loads after hydration, and only for a signed-in header:
// signed-out first loads carry none of the portfolio code.
const loadSwitcher = () =>
  import("@/components/subaccounts/subaccount-switcher").then((m) => m.SubaccountSwitcher);

export function AppHeader({ signedIn, account }: { signedIn: boolean; account?: ReactNode }) {
  const pathname = usePathname();
  return (
    <header className="border-b border-line bg-panel">
      {/* Below md the navigation takes a second row of its own that scrolls
          sideways inside itself, so the page never does (390 px phones). */}
      <div className="mx-auto flex max-w-[1800px] flex-wrap items-center gap-x-3 px-4 py-2 sm:gap-x-6 md:h-12 md:flex-nowrap md:py-0">
        <Link
          href="/"
          className="flex shrink-0 items-center gap-2 font-semibold tracking-tight whitespace-nowrap"
        >
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
        <nav
          aria-label="Main"
          className="order-last -mx-4 flex w-[calc(100%+2rem)] gap-4 overflow-x-auto px-4 pt-2 text-sm whitespace-nowrap text-ink-muted md:order-none md:mx-0 md:w-auto md:overflow-visible md:p-0"
        >
          {MAIN_SECTIONS.filter((section) => signedIn || !section.signedInOnly).map((section) => {
            const current = inSection(pathname, section.href);
            return (
              <Link
                key={section.href}
                href={section.href}
                aria-current={current ? "page" : undefined}
                className={current ? "text-ink" : "hover:text-ink"}
              >
                {section.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-3">
          {signedIn ? (
            <Deferred load={loadSwitcher} what="subaccount switcher" props={{}} fallback={null} />
          ) : null}
          {account ?? (
            <Link href="/sign-in" className="text-sm text-ink-muted hover:text-ink">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
