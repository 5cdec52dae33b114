/**
 * Resting liquidity for a market that opens while the exchange runs: the
 * seed's market maker rests the same ladder the seed gives every open
 * market, so a newly listed market is two-sided at once even with the bots
 * off. Exchanges without seed data (engine tests) have no maker and get no
 * ladder, so their books hold only what the test placed.
 */
import type { ExchangeCore } from "@/server/sim/exchange-core";
import type { MarketRecord } from "@/server/sim/model";
import { placeLadder } from "@/server/sim/seed/liquidity";
import { seedInfo } from "@/server/sim/seed/seed-exchange";

/** Rests the seed maker's ladder on `market` when its book is empty; never throws. */
export function placeOpeningLadder(exchange: ExchangeCore, market: MarketRecord): void {
  const { state } = exchange;
  const makerId = seedInfo(state)?.makerUserId;
  const maker = makerId === undefined ? undefined : state.users.get(makerId);
  // A market that opens and closes in the same tick (the clock jumped) gets nothing.
  if (!maker || market.status !== "active" || state.now() >= market.closeTime) return;
  const book = state.book(market.ticker);
  if (book.bestBid() !== undefined || book.bestAsk() !== undefined) return;
  try {
    placeLadder(exchange, maker, market);
  } catch (error) {
    // A pause or a full wallet only costs this market its opening ladder; the bots quote it later.
    console.error(
      JSON.stringify({
        at: "sim.lifecycle",
        what: "opening ladder failed",
        ticker: market.ticker,
        error: String(error),
      }),
    );
  }
}
