/**
 * The simulated Kalshi exchange as one object: state, matching engine, and the
 * clock-driven housekeeping (order expiry, market lifecycle). HTTP and
 * WebSocket front ends and the bots all act through it.
 */
import { systemClock, type Clock } from "@/server/sim/clock";
import { MatchingEngine } from "@/server/sim/engine/matching-engine";
import { advanceLifecycle } from "@/server/sim/lifecycle/market-lifecycle";
import { checkTimeScale } from "@/server/sim/lifecycle/time-scale";
import { RfqDesk } from "@/server/sim/rfq/rfq-desk";
import { seedExchange } from "@/server/sim/seed/seed-exchange";
import type { HistoryTier, RetentionLimits } from "@/server/sim/retention";
import { SimState } from "@/server/sim/state";

export interface SimExchangeOptions {
  /** Everything random (data, ids, bots) derives from this. Default 42. */
  seed?: number;
  clock?: Clock;
  /** Populate series, events, markets and history. Default true; engine tests turn it off. */
  seedData?: boolean;
  /**
   * Demo time compression (≥ 1): settlement timers, the wait from close to
   * determination, and the lifespan of generated short-lived markets (hourly
   * KXBTC) are divided by it. Default 1 (real time).
   */
  timeScale?: number;
  /** Caps on finished orders, fills and trades kept in memory (retention.ts). */
  retention?: Partial<RetentionLimits>;
  /** Where records past those caps go (a persistent exchange's history files); none: dropped. */
  history?: HistoryTier | null;
}

export class SimExchange {
  readonly state: SimState;
  readonly engine: MatchingEngine;
  readonly timeScale: number;
  /** RFQs and quotes (server/sim/rfq). */
  readonly rfqDesk: RfqDesk;

  constructor(options: SimExchangeOptions = {}) {
    this.timeScale = checkTimeScale(options.timeScale ?? 1);
    this.state = new SimState(options.clock ?? systemClock, options.seed ?? 42, options.retention);
    this.state.retention.history = options.history ?? null;
    this.engine = new MatchingEngine(this.state);
    this.rfqDesk = new RfqDesk(this.state, this.engine);
    if (options.seedData ?? true) seedExchange(this);
  }

  /**
   * Housekeeping driven by the clock: expire GTT orders, then move markets
   * through their lifecycle (open, close, determine, settle) and list new
   * events of recurring series (lifecycle/market-lifecycle.ts).
   */
  tick(): void {
    this.engine.expireOrders();
    advanceLifecycle(this);
    this.rfqDesk.processTimers();
  }
}
