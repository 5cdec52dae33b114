/**
 * The simulated Kalshi exchange as one object: state, matching engine, and the
 * clock-driven housekeeping (order expiry, market lifecycle). HTTP and
 * WebSocket front ends and the bots all act through it.
 */
import { systemClock, type Clock } from "@/server/sim/clock";
import { MatchingEngine } from "@/server/sim/engine/matching-engine";
import { advanceLifecycle } from "@/server/sim/lifecycle/market-lifecycle";
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
    advanceLifecycle(this);
  }
}
