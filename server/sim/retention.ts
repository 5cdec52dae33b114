/**
 * Keeps the simulator's memory bounded: finished orders (canceled or
 * executed), fills and trades only grow, so past a cap the oldest leave
 * memory. Resting orders always stay. Sweeps run when a list has grown by a
 * quarter of its cap, so the work is amortized O(1) per record and the counts
 * never exceed `cap × 1.25` (+ the sweep floor). The journal on disk keeps
 * everything (docs/simulator-persistence.md).
 *
 * Only counts decide what goes, never the clock, so a replay evicts exactly
 * what the original run evicted.
 */
import type { FillRecord, OrderRecord, TradeRecord } from "@/server/sim/model";

/** The lists retention trims (SimState's; named here so this module does not import the state). */
export interface RetainedRecords {
  readonly orders: Map<string, OrderRecord>;
  readonly clientOrderIds: Map<string, string>;
  readonly fills: FillRecord[];
  readonly trades: TradeRecord[];
}

export interface RetentionLimits {
  /** Canceled and executed orders kept (GET /portfolio/orders, /historical/orders). */
  finishedOrders: number;
  /** Fills kept, across all users (GET /portfolio/fills, /historical/fills). */
  fills: number;
  /** Trades kept, across all markets (GET /markets/trades without a ticker). */
  trades: number;
  /** Trades kept per market (GET /markets/trades?ticker=, WebSocket snapshots). */
  tradesPerMarket: number;
}

export const DEFAULT_RETENTION: RetentionLimits = {
  finishedOrders: 200_000,
  fills: 400_000,
  trades: 1_000_000,
  tradesPerMarket: 100_000,
};

/** The smallest growth between two sweeps, so tiny caps (tests) do not sweep on every record. */
const SWEEP_FLOOR = 64;

function slack(cap: number): number {
  return Math.max(SWEEP_FLOOR, Math.ceil(cap / 4));
}

export class Retention {
  readonly limits: RetentionLimits;
  /** Records that left memory so far, for GET /sim/v1/info and tests. */
  readonly evicted = { orders: 0, fills: 0, trades: 0 };
  private nextOrderSweep: number;

  constructor(
    private readonly state: RetainedRecords,
    limits: Partial<RetentionLimits>,
  ) {
    this.limits = { ...DEFAULT_RETENTION, ...limits };
    this.nextOrderSweep = this.limits.finishedOrders + slack(this.limits.finishedOrders);
  }

  /** The most finished orders / fills / trades that can be in memory at once. */
  get bounds(): RetentionLimits {
    const { finishedOrders, fills, trades, tradesPerMarket } = this.limits;
    return {
      finishedOrders: finishedOrders + slack(finishedOrders),
      fills: fills + slack(fills),
      trades: trades + slack(trades),
      tradesPerMarket: tradesPerMarket + slack(tradesPerMarket),
    };
  }

  orderAdded(): void {
    if (this.state.orders.size >= this.nextOrderSweep) this.sweepOrders();
  }

  fillRecorded(): void {
    const { fills } = this.state;
    const cap = this.limits.fills;
    if (fills.length >= cap + slack(cap)) {
      const drop = fills.length - cap;
      fills.splice(0, drop);
      this.evicted.fills += drop;
    }
  }

  tradeRecorded(marketTrades: TradeRecord[]): void {
    const perMarket = this.limits.tradesPerMarket;
    if (marketTrades.length >= perMarket + slack(perMarket)) {
      marketTrades.splice(0, marketTrades.length - perMarket);
    }
    const { trades } = this.state;
    const cap = this.limits.trades;
    if (trades.length >= cap + slack(cap)) {
      const drop = trades.length - cap;
      trades.splice(0, drop);
      this.evicted.trades += drop;
    }
  }

  /** Drops the oldest finished orders beyond the cap (Map order = arrival order). */
  private sweepOrders(): void {
    const { orders, clientOrderIds } = this.state;
    let finished = 0;
    for (const order of orders.values()) if (order.status !== "resting") finished += 1;
    let excess = finished - this.limits.finishedOrders;
    if (excess > 0) {
      for (const [orderId, order] of orders) {
        if (excess <= 0) break;
        if (order.status === "resting") continue;
        orders.delete(orderId);
        // Its client_order_id may be reused once the order is gone from memory.
        clientOrderIds.delete(`${order.userId}|${order.clientOrderId}`);
        excess -= 1;
        this.evicted.orders += 1;
      }
    }
    // Resting orders count toward the size, so the next sweep waits for a quarter-cap of new orders.
    this.nextOrderSweep = orders.size + slack(this.limits.finishedOrders);
  }

  /** Finished orders in memory now (tests; O(orders)). */
  finishedOrdersInMemory(): number {
    let finished = 0;
    for (const order of this.state.orders.values()) if (order.status !== "resting") finished += 1;
    return finished;
  }
}
