"use client";
/**
 * The header's subaccount switcher: every account with its cash balance, and
 * "All accounts". The choice scopes the portfolio pages and is the order
 * ticket's default (useActiveSubaccount). Shows nothing for a trader without
 * a Kalshi key.
 */
import { QueryClientProvider, useQuery } from "@tanstack/react-query";

import { formatCentsUsd } from "@/lib/portfolio/format-money";
import { fetchApi, isSignedOutError } from "@/lib/queries/fetch-api";
import { overviewOptions } from "@/lib/queries/portfolio-screen";
import { getQueryClient } from "@/lib/queries/query-client";
import type { CredentialList } from "@/lib/schemas/credential";

import { useActiveSubaccount } from "./use-active-subaccount";

/**
 * The header sits outside the page's <Providers> (app/layout.tsx), so the
 * switcher brings the tab's one query client itself: the same cache the
 * portfolio pages use, so their refreshes update its balances too.
 */
export function SubaccountSwitcher() {
  return (
    <QueryClientProvider client={getQueryClient()}>
      <Switcher />
    </QueryClientProvider>
  );
}

function Switcher() {
  // Asked first so a trader without an active key (the overview would answer
  // 409 no_credential, an error in the console on every page) asks nothing more.
  const keys = useQuery({
    queryKey: ["credentials", "active"],
    queryFn: ({ signal }) => fetchApi<CredentialList>("/api/credentials", { signal }),
    retry: false,
    staleTime: 10_000,
  });
  const hasKey = keys.data?.credentials.some((credential) => credential.active) ?? false;
  const overview = useQuery({
    ...overviewOptions(),
    retry: false,
    staleTime: 15_000,
    enabled: hasKey,
  });
  const { subaccount, setSubaccount } = useActiveSubaccount();
  if (!hasKey) return null;
  if (overview.isError && isSignedOutError(overview.error)) return null;
  const rows = overview.data?.subaccounts ?? [];
  const total = rows.reduce((sum, r) => sum + r.balance_cents, 0);
  return (
    // Below md the header has no room: the subaccounts page's "Use" buttons switch there.
    <label className="hidden items-center gap-1 text-xs text-ink-muted md:flex">
      <span className="sr-only sm:not-sr-only">Account</span>
      <select
        aria-label="Active subaccount"
        value={subaccount === null ? "all" : String(subaccount)}
        onChange={(e) => setSubaccount(e.target.value === "all" ? null : Number(e.target.value))}
        className="max-w-[14rem] rounded border border-line bg-surface px-1.5 py-1 text-xs text-ink"
      >
        <option value="all">All accounts{rows.length ? ` · ${formatCentsUsd(total)}` : ""}</option>
        {rows.length === 0 && subaccount !== null ? (
          <option value={String(subaccount)}>
            {subaccount === 0 ? "Primary" : `Sub ${subaccount}`}
          </option>
        ) : null}
        {rows.map((r) => (
          <option key={r.subaccount_number} value={String(r.subaccount_number)}>
            {r.subaccount_number === 0 ? "Primary" : `Sub ${r.subaccount_number}`} ·{" "}
            {formatCentsUsd(r.balance_cents)}
          </option>
        ))}
      </select>
    </label>
  );
}
