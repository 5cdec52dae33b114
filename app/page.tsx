import { ExchangeStatusBadge } from "@/components/markets/exchange-status-badge";
import { MarketTable } from "@/components/markets/market-table";
import { Badge } from "@/components/ui/badge";
import { getServerConfig } from "@/server/config";
import { getExchangeStatus, listMarkets } from "@/server/kalshi/market-data";

// Quotes move constantly; never serve a cached render.
export const dynamic = "force-dynamic";

/** Enough for a first screen; paging arrives with the /markets page. */
const MARKET_LIMIT = 100;

const environmentLabels = { sim: "Simulator", demo: "Demo", prod: "Production" } as const;

// GET / – open markets with live quotes and the exchange's status
export default async function HomePage() {
  const [{ markets }, status] = await Promise.all([
    listMarkets({ status: "open", limit: MARKET_LIMIT }),
    getExchangeStatus(),
  ]);
  const { kalshiEnv } = getServerConfig();

  return (
    <main className="mx-auto max-w-7xl px-4 py-6">
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold tracking-tight">Open markets</h1>
        <span className="text-sm text-ink-muted">{markets.length} shown</span>
        <div className="ml-auto flex items-center gap-2">
          <Badge tone={kalshiEnv === "prod" ? "neutral" : "info"}>
            {environmentLabels[kalshiEnv]}
          </Badge>
          <ExchangeStatusBadge status={status} />
        </div>
      </div>
      <MarketTable markets={markets} caption="Open markets" />
    </main>
  );
}
