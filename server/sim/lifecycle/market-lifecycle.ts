/**
 * Market lifecycle driven by the exchange clock. For now: markets open at
 * open_time and close at close_time, and resting orders are canceled at close.
 * (Determination, settlement and payouts come with simulator part 2.)
 */
import type { SimExchange } from "@/server/sim/exchange";

export function advanceLifecycle(exchange: SimExchange): void {
  const { state, engine } = exchange;
  const now = state.now();
  for (const market of state.markets.values()) {
    if (market.status === "initialized" && now >= market.openTime) market.status = "active";
    if ((market.status === "active" || market.status === "inactive") && now >= market.closeTime) {
      market.status = "closed";
      market.updatedTime = now;
      engine.cancelMarketOrders(market.ticker, "market_closed");
    }
  }
}
