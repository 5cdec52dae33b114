/**
 * Keeps the simulator's memory bounded: finished orders (canceled or
 * executed), fills and trades only grow, so past a cap the oldest leave
 * memory for the historical tier (docs/simulator-persistence.md). Resting
 * orders always stay. Sweeps run when a list has grown by a quarter of its
 * cap, so the work is amortized O(1) per record and the counts never exceed
 * `cap × 1.25` (+ the sweep floor).
 *
 * Evicted records go to the history tier when the exchange has one (a
 * persistent exchange keeps them on disk under DATA_DIR and the /historical
 * endpoints read them back); an ephemeral exchange drops them. Either way the
 * live/historical cutoffs move past them (`ordersBefore`, `tradesBefore`), so
 * each record is served by exactly one tier: an evicted record is historical.
 *
 * Only counts decide what goes, never the clock, so a replay evicts exactly
 * what the original run evicted, in the same order: the n-th evicted record
 * of a kind is the same record in every run, which is what makes writing the
 * history tier idempotent.
 */
import type { ClientOrderIds } from "@/server/sim/client-order-ids";
import type { FillRecord, OrderRecord, TradeRecord } from "@/server/sim/model";
import type { OrderTable } from "@/server/sim/order-table";

/** The lists retention trims (SimState's; named here so this module does not import the state). */
export interface RetainedRecords {
  readonly orders: OrderTable;
  readonly clientOrderIds: Pick<ClientOrderIds, "release">;
  readonly fills: FillRecord[];
  readonly trades: TradeRecord[];
  readonly tradesByMarket: Map<string, TradeRecord[]>;
  /** Resting orders among `orders` (those on a book). */
  readonly restingCount: number;
}

export interface RetentionLimits {
  /** Canceled and executed orders kept (GET /portfolio/orders, /historical/orders). */
  finishedOrders: number;
  /** Fills kept, across all users (GET /portfolio/fills, /historical/fills). */
  fills: number;
  /**
   * Trades kept, across all markets (GET /markets/trades, with or without a
   * ticker, and WebSocket snapshots: the per-market lists leave with them).
   */
  trades: number;
}

export const DEFAULT_RETENTION: RetentionLimits = {
  finishedOrders: 100_000,
  fills: 100_000,
  trades: 100_000,
};

/** A record kind the history tier keeps. */
export type HistoryKind = "orders" | "fills" | "trades";
/** The record type each history kind holds. */
export interface HistoryRecordOf {
  orders: OrderRecord;
  fills: FillRecord;
  trades: TradeRecord;
}

/** What a history block holds, so a reader can skip blocks that cannot match. */
export interface HistoryBlockSummary {
  /** Global index of the block's first record and how many it holds. */
  first: number;
  count: number;
  /** Oldest and newest `createdTime` in the block. */
  minTime: number;
  maxTime: number;
  /** Users (orders, fills) and tickers in the block. */
  hasUser(userId: string): boolean;
  hasTicker(ticker: string): boolean;
}

/**
 * Where evicted records go: the n-th evicted record of a kind has global
 * index n (0-based), and `evict` may be called again with records it already
 * holds (a replay after a restart): those are skipped.
 */
export interface HistoryTier {
  evict(kind: "orders", records: readonly OrderRecord[], firstIndex: number): void;
  evict(kind: "fills", records: readonly FillRecord[], firstIndex: number): void;
  evict(kind: "trades", records: readonly TradeRecord[], firstIndex: number): void;
  /** Records it holds of a kind (the next global index it expects). */
  count(kind: HistoryKind): number;
  /**
   * Records with global index < `before`, newest first, from the blocks
   * `mayMatch` accepts (a filter on what the block summary says).
   */
  newestFirst<K extends HistoryKind>(
    kind: K,
    before: number,
    mayMatch: (block: HistoryBlockSummary) => boolean,
  ): Iterable<[number, HistoryRecordOf[K]]>;
  /** An evicted order by id (orders are evicted in id order, so this is a binary search). */
  findOrder(orderId: string): OrderRecord | undefined;
  /** Makes everything handed over so far durable (before a snapshot). */
  sync(): void;
}

/** The smallest growth between two sweeps, so tiny caps (tests) do not sweep on every record. */
const SWEEP_FLOOR = 64;

function slack(cap: number): number {
  return Math.max(SWEEP_FLOOR, Math.ceil(cap / 4));
}

export class Retention {
  readonly limits: RetentionLimits;
  /** Records that left memory so far (= the global index of the oldest one still in memory). */
  readonly evicted = { orders: 0, fills: 0, trades: 0 };
  /** Every evicted order was last updated before this (ms); -Infinity before the first. */
  ordersBefore = Number.NEGATIVE_INFINITY;
  /** Every evicted fill and trade was created before this (ms); -Infinity before the first. */
  tradesBefore = Number.NEGATIVE_INFINITY;
  /** Where evicted records go; null: they are dropped (an ephemeral exchange). Not exchange state. */
  history: HistoryTier | null = null;
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
    const { finishedOrders, fills, trades } = this.limits;
    return {
      finishedOrders: finishedOrders + slack(finishedOrders),
      fills: fills + slack(fills),
      trades: trades + slack(trades),
    };
  }

  orderAdded(): void {
    if (this.state.orders.size >= this.nextOrderSweep) this.sweepOrders();
  }

  fillRecorded(): void {
    const { fills } = this.state;
    const cap = this.limits.fills;
    if (fills.length < cap + slack(cap)) return;
    const gone = fills.splice(0, fills.length - cap);
    this.history?.evict("fills", gone, this.evicted.fills);
    this.evicted.fills += gone.length;
    for (const fill of gone) this.tradesBefore = Math.max(this.tradesBefore, fill.createdTime + 1);
  }

  tradeRecorded(): void {
    const { trades, tradesByMarket } = this.state;
    const cap = this.limits.trades;
    if (trades.length < cap + slack(cap)) return;
    const gone = trades.splice(0, trades.length - cap);
    this.history?.evict("trades", gone, this.evicted.trades);
    this.evicted.trades += gone.length;
    // The per-market lists are the same trades in the same order: each loses its oldest.
    const perMarket = new Map<string, number>();
    for (const trade of gone) {
      perMarket.set(trade.ticker, (perMarket.get(trade.ticker) ?? 0) + 1);
      this.tradesBefore = Math.max(this.tradesBefore, trade.createdTime + 1);
    }
    for (const [ticker, count] of perMarket) tradesByMarket.get(ticker)?.splice(0, count);
  }

  /** Drops the oldest finished orders beyond the cap (Map order = arrival order = id order). */
  private sweepOrders(): void {
    const { orders, clientOrderIds } = this.state;
    // Everything not on a book counts as finished (the order being placed now
    // included, so this may run one early; the loop below only takes finished ones).
    let excess = orders.size - this.state.restingCount - this.limits.finishedOrders;
    if (excess > 0) {
      const gone: OrderRecord[] = [];
      for (const [n, order] of orders.numbered()) {
        if (excess <= 0) break;
        if (order.status === "resting") continue;
        orders.deleteNumber(n, order);
        // Its client_order_id may be reused once the order is gone from memory.
        clientOrderIds.release(order);
        this.ordersBefore = Math.max(this.ordersBefore, order.lastUpdateTime + 1);
        gone.push(order);
        excess -= 1;
      }
      this.history?.evict("orders", gone, this.evicted.orders);
      this.evicted.orders += gone.length;
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
