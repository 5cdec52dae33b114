/**
 * The page bench/portfolio.bench.ts loads into Chromium: the real positions
 * table and summary with 500 synthetic positions over one MarkStore, and a
 * feed that moves every position's mark 50 times a second.
 */
import { createRoot } from "react-dom/client";

import { MarkStore } from "@/components/portfolio/mark-store";
import { PortfolioSummary } from "@/components/portfolio/portfolio-summary";
import { PositionsTable } from "@/components/portfolio/positions-table";
import type { PortfolioData, PositionRow } from "@/components/portfolio/use-portfolio";
import { formatDollars } from "@/lib/fixed-point";

declare global {
  interface Window {
    benchStart: (ticksPerSecond: number) => void;
    benchStop: () => number;
  }
}

const POSITIONS = 500;
const store = new MarkStore();
const rows: PositionRow[] = [];
const marks: number[] = [];
for (let i = 0; i < POSITIONS; i += 1) {
  const ticker = `KXBENCH-26JAN${String(1 + (i % 28)).padStart(2, "0")}-T${i}`;
  const eventTicker = ticker.slice(0, ticker.lastIndexOf("-"));
  const contracts = 100 + (i % 50) * 10;
  const price = 20 + (i % 60);
  marks.push(price * 10_000);
  rows.push({
    key: `0:${ticker}`,
    subaccount: 0,
    eventTicker,
    restingOrders: i % 3,
    market: undefined,
    position: {
      ticker,
      total_traded_dollars: formatDollars(contracts * price * 10_000),
      position_fp: `${i % 4 === 0 ? "-" : ""}${contracts}.00`,
      market_exposure_dollars: formatDollars(contracts * price * 10_000),
      realized_pnl_dollars: "0.0000",
      fees_paid_dollars: "0.0100",
    },
  });
  store.setMark(ticker, marks[i] ?? 0, "live");
}

const data: PortfolioData = {
  status: "ready",
  error: null,
  subaccounts: [],
  scoped: [
    {
      subaccount_number: 0,
      balance_cents: 1_000_000,
      portfolio_value_cents: 0,
      positions_count: POSITIONS,
      resting_orders_count: 0,
      netting_enabled: true,
    },
  ],
  rows,
  updatedAt: Date.now(),
  stale: false,
};

createRoot(document.getElementById("root") as HTMLElement).render(
  <main style={{ padding: 16 }}>
    <PortfolioSummary data={data} store={store} equity={[]} />
    <PositionsTable rows={rows} store={store} showSubaccount={false} onOpen={() => undefined} />
  </main>,
);

let timer: ReturnType<typeof setInterval> | undefined;
let updates = 0;
let seed = 1;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

window.benchStart = (ticksPerSecond) => {
  timer = setInterval(() => {
    // Every position's mark moves by up to a cent each tick (on the centicent grid).
    for (let i = 0; i < POSITIONS; i += 1) {
      const row = rows[i] as PositionRow;
      const next = Math.min(
        990_000,
        Math.max(10_000, (marks[i] ?? 0) + Math.round((random() - 0.5) * 200) * 100),
      );
      marks[i] = next;
      store.setMark(row.position.ticker, next, "live");
      updates += 1;
    }
  }, 1000 / ticksPerSecond);
};
window.benchStop = () => {
  clearInterval(timer);
  return updates;
};
