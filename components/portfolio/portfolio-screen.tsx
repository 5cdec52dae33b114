"use client";
/**
 * The portfolio page's client island: summary, equity curve, positions and
 * history for the active subaccount scope (header switcher), all live.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";

import { useActiveSubaccount } from "@/components/subaccounts/use-active-subaccount";
import { Skeleton } from "@/components/ui/skeleton";
import { positionFigures, type PositionFigures } from "@/lib/portfolio/figures";
import { apiPath } from "@/lib/queries/fetch-api";
import { equityOptions } from "@/lib/queries/portfolio-screen";
import type { EquityRange } from "@/lib/schemas/portfolio-history";

import { EquityChart } from "./equity-chart";
import { FlattenDialog } from "./flatten-dialog";
import { HistoryTabs } from "./history-tabs";
import { MarkFeeds } from "./mark-feeds";
import { MarkStore } from "./mark-store";
import { PortfolioSummary } from "./portfolio-summary";
import { PositionsTable } from "./positions-table";
import { usePortfolio, type PositionRow } from "./use-portfolio";

export function PortfolioScreen({ initialSubaccount }: { initialSubaccount: number | null }) {
  const { subaccount: scope } = useActiveSubaccount(initialSubaccount);
  const router = useRouter();
  const [store] = useState(() => new MarkStore());
  const data = usePortfolio(scope, store);
  const [range, setRange] = useState<EquityRange>("1W");
  const today = useQuery(equityOptions("1D", scope));
  const [flatten, setFlatten] = useState<{ row: PositionRow; figures: PositionFigures } | null>(
    null,
  );

  const liveTickers = useMemo(() => {
    const open = data.rows
      .map((row) => ({ row, figures: positionFigures(row.position, null) }))
      .filter(({ figures }) => figures.side !== "flat")
      .sort((a, b) => b.figures.cost - a.figures.cost);
    return [...new Set(open.map(({ row }) => row.position.ticker))];
  }, [data.rows]);

  const scopeName =
    scope === null ? "All accounts" : scope === 0 ? "Primary" : `Subaccount ${scope}`;

  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-lg font-semibold tracking-tight">Portfolio</h1>
        <span className="text-sm text-ink-muted" data-testid="portfolio-scope">
          {scopeName}
        </span>
        <Link href="/portfolio/subaccounts" className="ml-auto text-sm text-accent hover:underline">
          Subaccounts and transfers
        </Link>
      </div>
      {data.status === "error" ? (
        <p
          role="alert"
          className="rounded-lg border border-no/40 bg-no/10 px-3 py-2 text-sm text-no"
        >
          {data.error?.message ?? "The portfolio could not be loaded."}
        </p>
      ) : null}
      {data.status === "loading" ? (
        <div aria-busy="true" className="space-y-4">
          <p className="sr-only" role="status">
            Loading portfolio
          </p>
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-56 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      ) : data.status === "ready" ? (
        <>
          <MarkFeeds tickers={liveTickers} store={store} />
          <PortfolioSummary data={data} store={store} equity={today.data?.points} />
          <EquityChart subaccount={scope} range={range} onRange={setRange} />
          <PositionsTable
            rows={data.rows}
            store={store}
            showSubaccount={scope === null}
            exportHref={apiPath("/api/portfolio/export/positions", {
              subaccount: scope ?? undefined,
            })}
            onFlatten={(row, figures) => setFlatten({ row, figures })}
            onOpen={(href) => router.push(href)}
          />
          <HistoryTabs scope={scope} subaccounts={data.subaccounts} />
          <FlattenDialog
            key={flatten?.row.key ?? "none"}
            target={flatten}
            onClose={() => setFlatten(null)}
          />
        </>
      ) : null}
    </main>
  );
}
