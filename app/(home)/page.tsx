import Link from "next/link";

import { ExchangeStatusBadge } from "@/components/markets/exchange-status-badge";
import { HomeSearch } from "@/components/markets/home-search";
import { MarketTable } from "@/components/markets/market-table";
import { LazyWatchlistPanel } from "@/components/markets/lazy-watchlist-panel";
import { Badge } from "@/components/ui/badge";
import { applyBrowseFilters, DEFAULT_FILTERS } from "@/lib/queries/browse-filters";
import type { Market, Series } from "@/lib/schemas/market";
import { getServerConfig } from "@/server/config";
import { marketData } from "@/server/market-data/registry";

// Quotes move constantly; never serve a cached render.
export const dynamic = "force-dynamic";

/** Rows to rank from (sorted by 24h volume by the market-data service); the full list is on /markets. */
const MARKET_LIMIT = 200;
/** Rows on the home page: the most active open markets. */
const TOP_ROWS = 20;

const environmentLabels = { sim: "Simulator", demo: "Demo", prod: "Production" } as const;

// GET / – search, categories and series, the most active open markets with live quotes, the watchlist
export default async function HomePage() {
  const md = marketData();
  const [{ markets }, status, { series }] = await Promise.all([
    md.listMarkets({ status: "open", sort: "volume_24h", limit: MARKET_LIMIT }),
    md.getExchangeStatus(),
    md.listSeries(),
  ]);
  const { kalshiEnv } = getServerConfig();
  const top = mostActive(markets);
  const byCategory = groupByCategory(series);

  return (
    <main className="mx-auto max-w-[1800px] px-4 py-6">
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <HomeSearch />
        <div className="ml-auto flex items-center gap-2">
          <Badge tone={kalshiEnv === "prod" ? "neutral" : "info"}>
            {environmentLabels[kalshiEnv]}
          </Badge>
          <ExchangeStatusBadge status={status} />
        </div>
      </div>

      <section aria-labelledby="categories-heading" className="mb-6">
        <h2
          id="categories-heading"
          className="mb-2 text-xs font-medium tracking-wide text-ink-muted uppercase"
        >
          Categories
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {byCategory.map(([category, list]) => (
            <div key={category} className="rounded-lg border border-line bg-panel p-3">
              <Link
                href={`/markets?category=${encodeURIComponent(category)}`}
                className="text-sm font-medium hover:text-accent"
              >
                {category}
              </Link>
              <ul className="mt-1 space-y-0.5 text-sm">
                {list.map((s) => (
                  <li key={s.ticker} className="flex items-baseline gap-2">
                    <Link
                      href={`/markets?series=${encodeURIComponent(s.ticker)}&category=${encodeURIComponent(category)}`}
                      className="truncate text-ink-muted hover:text-ink"
                    >
                      {s.title}
                    </Link>
                    <span className="ml-auto shrink-0 text-[11px] text-ink-faint">
                      {(s.tags ?? []).join(" · ")}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>

      <div className="flex flex-col gap-4 lg:flex-row lg:items-start">
        <section aria-labelledby="open-heading" className="min-w-0 flex-1">
          <div className="mb-2 flex items-baseline gap-3">
            <h1 id="open-heading" className="text-lg font-semibold tracking-tight">
              Open markets
            </h1>
            <span className="text-sm text-ink-muted">most active by 24h volume</span>
            <Link href="/markets" className="ml-auto text-sm text-accent hover:underline">
              Browse all markets →
            </Link>
          </div>
          <MarketTable markets={top} caption="Open markets" />
        </section>
        <LazyWatchlistPanel className="w-full shrink-0 lg:w-64" />
      </div>
    </main>
  );
}

/** The open markets with the most 24h volume (default browse sort). */
function mostActive(markets: Market[]): Market[] {
  return applyBrowseFilters(markets, DEFAULT_FILTERS, { now: Date.now() }).slice(0, TOP_ROWS);
}

function groupByCategory(series: readonly Series[]): Array<[string, Series[]]> {
  const groups = new Map<string, Series[]>();
  for (const s of series) {
    const list = groups.get(s.category) ?? [];
    list.push(s);
    groups.set(s.category, list);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}
