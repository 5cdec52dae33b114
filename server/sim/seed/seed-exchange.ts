/**
 * Fills a fresh simulated exchange with realistic, current-looking data:
 * the catalog (series, events, markets in every lifecycle stage), a few days
 * of trade and quote history, and a market maker's resting ladders. Every
 * choice draws from the exchange's seeded random generator and every time is
 * relative to its clock, so one seed and one clock give one exchange.
 */
import { seedCollections } from "@/server/sim/combos/seed-collections";
import type { ExchangeCore } from "@/server/sim/exchange-core";
import { marketData } from "@/server/sim/market-data/market-data";
import { buildCatalog } from "@/server/sim/seed/catalog";
import { backfillHistory } from "@/server/sim/seed/history";
import { createMarketMaker, placeLadder } from "@/server/sim/seed/liquidity";
import { statePart, type SimState } from "@/server/sim/state";

/** What the seed created that other modules (the bots) build on. */
export interface SeedInfo {
  /** The bot account resting the initial ladders; bots may keep quoting with it. */
  makerUserId: string;
  /** Clock time the seed ran at (history ends here). */
  seededAt: number;
  /** Markets that were open for trading at seed time and got a ladder. */
  quotedTickers: string[];
}

const SEED_INFO = statePart<{ current: SeedInfo | undefined }>("seed-info", () => ({
  current: undefined,
}));

/** The seed's bookkeeping for this state, or undefined when it was not seeded. */
export function seedInfo(state: SimState): SeedInfo | undefined {
  return state.part(SEED_INFO).current;
}

export function seedExchange(exchange: ExchangeCore): void {
  const { state } = exchange;
  // Follow the bus before anything trades, so candles see every live event.
  marketData(state);
  const plans = buildCatalog(state);
  backfillHistory(state, plans);

  const maker = createMarketMaker(exchange);
  const now = state.now();
  const quotedTickers: string[] = [];
  for (const market of state.markets.values()) {
    if (market.status !== "active" || now >= market.closeTime || now < market.openTime) continue;
    placeLadder(exchange, maker, market);
    quotedTickers.push(market.ticker);
  }
  seedCollections(state);
  state.part(SEED_INFO).current = { makerUserId: maker.userId, seededAt: now, quotedTickers };
}
