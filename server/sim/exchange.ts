/**
 * The simulated Kalshi exchange as one object: state, matching engine, and the
 * clock-driven housekeeping (order expiry, market lifecycle). HTTP and
 * WebSocket front ends and the bots all act through it.
 */
import { systemClock, type Clock } from "@/server/sim/clock";
import { MatchingEngine } from "@/server/sim/engine/matching-engine";
import { seedExchange } from "@/server/sim/seed/seed-exchange";
import { SimState } from "@/server/sim/state";

export interface SimExchangeOptions {
  /** Everything random (data, ids, bots) derives from this. Default 42. */
  seed?: number;
  clock?: Clock;
  /** Populate series, events, markets and history. Default true; engine tests turn it off. */
  seedData?: boolean;
}

export class SimExchange {
  readonly state: SimState;
  readonly engine: MatchingEngine;

  constructor(options: SimExchangeOptions = {}) {
    this.state = new SimState(options.clock ?? systemClock, options.seed ?? 42);
    this.engine = new MatchingEngine(this.state);
    if (options.seedData ?? true) seedExchange(this);
  }

  /**
   * Housekeeping driven by the clock: expire GTT orders, and close markets
   * whose close_time has passed (resting orders are canceled at close).
   */
  tick(): void {
    this.engine.expireOrders();
    const now = this.state.now();
    for (const market of this.state.markets.values()) {
      if (market.status === "initialized" && now >= market.openTime) market.status = "active";
      if ((market.status === "active" || market.status === "inactive") && now >= market.closeTime) {
        market.status = "closed";
        market.updatedTime = now;
        this.engine.cancelMarketOrders(market.ticker, "market_closed");
      }
    }
  }
}
