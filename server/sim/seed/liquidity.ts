/**
 * The seed's market maker: one bot account that rests a ladder of post-only
 * bids and asks around each open market's fair value, through the matching
 * engine like any client, so books are two-sided even with the bots off.
 */
import { ONE_CONTRACT, type Centis } from "@/lib/fixed-point";
import { nextPrice } from "@/lib/price-grid";
import { createAccount } from "@/server/sim/accounts";
import type { ExchangeCore } from "@/server/sim/exchange-core";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import { quoteAround } from "@/server/sim/seed/history";

/** $100M: the maker must never run out of collateral for its ladders. */
const MAKER_BALANCE_CENTS = 10_000_000_000;
/** Price levels per side. */
export const LADDER_LEVELS = 5;

export function createMarketMaker(exchange: ExchangeCore): UserRecord {
  return createAccount(exchange.state, {
    balanceCents: MAKER_BALANCE_CENTS,
    isBot: true,
    directMember: true,
  });
}

/** Rests `LADDER_LEVELS` bids and asks around the market's fair value. */
export function placeLadder(exchange: ExchangeCore, maker: UserRecord, market: MarketRecord): void {
  const { random } = exchange.state;
  const ranges = market.priceRanges;
  const top = quoteAround(market.fairValue, ranges);
  const sides = [
    { side: "bid" as const, start: top.bid, direction: "down" as const },
    { side: "ask" as const, start: top.ask, direction: "up" as const },
  ];
  for (const { side, start, direction } of sides) {
    let price: number | null = start;
    for (let level = 0; level < LADDER_LEVELS && price !== null; level += 1) {
      const count: Centis = random.int(10, 120) * (level + 1) * ONE_CONTRACT;
      exchange.engine.placeOrder({
        userId: maker.userId,
        ticker: market.ticker,
        side,
        price,
        count,
        timeInForce: "good_till_canceled",
        postOnly: true,
      });
      // Deeper levels spread out: one or two ticks apart.
      const steps: number = random.chance(0.35) ? 2 : 1;
      for (let s = 0; s < steps && price !== null; s += 1)
        price = nextPrice(price, ranges, direction);
    }
  }
}
