/**
 * One market's resting orders, on a single YES-price book: bids buy YES, asks
 * sell YES (a NO bid at q is a YES ask at $1 − q). Levels are kept sorted best
 * first; orders within a level are FIFO (price-time priority).
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type { BookSide, OrderRecord } from "@/server/sim/model";

export interface BookLevel {
  price: Micros;
  /** Sum of the remaining counts of the level's orders. */
  total: Centis;
  /** Oldest first. */
  orders: OrderRecord[];
}

export class BookSideLevels {
  /** Prices, best first (descending for bids, ascending for asks). */
  private readonly prices: Micros[] = [];
  private readonly levels = new Map<Micros, BookLevel>();

  constructor(private readonly side: BookSide) {}

  /** True when `a` is a better price than `b` on this side. */
  private better(a: Micros, b: Micros): boolean {
    return this.side === "bid" ? a > b : a < b;
  }

  get(price: Micros): BookLevel | undefined {
    return this.levels.get(price);
  }

  best(): BookLevel | undefined {
    const price = this.prices[0];
    return price === undefined ? undefined : this.levels.get(price);
  }

  /** Levels best first. */
  *iterate(): IterableIterator<BookLevel> {
    for (const price of this.prices) {
      const level = this.levels.get(price);
      if (level) yield level;
    }
  }

  add(order: OrderRecord): void {
    let level = this.levels.get(order.price);
    if (!level) {
      level = { price: order.price, total: 0, orders: [] };
      this.levels.set(order.price, level);
      // Binary search for the first price this one beats.
      let lo = 0;
      let hi = this.prices.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const existing = this.prices[mid] as Micros;
        if (this.better(existing, order.price)) lo = mid + 1;
        else hi = mid;
      }
      this.prices.splice(lo, 0, order.price);
    }
    // Time priority is the arrival sequence: a new order goes last, but one put
    // back after a failed amend returns to its old place.
    const { orders } = level;
    let index = orders.length;
    while (index > 0 && (orders[index - 1] as OrderRecord).sequence > order.sequence) index -= 1;
    orders.splice(index, 0, order);
    level.total += order.remainingCount;
  }

  /** Removes the order entirely; its remaining count leaves the level total. */
  remove(order: OrderRecord): void {
    const level = this.levels.get(order.price);
    if (!level) return;
    if (level.orders[0] === order) {
      // A filled maker is the oldest of its level: shift() is O(1), splice(0, 1) copies the level.
      level.orders.shift();
    } else {
      const index = level.orders.indexOf(order);
      if (index === -1) return;
      level.orders.splice(index, 1);
    }
    level.total -= order.remainingCount;
    if (level.orders.length === 0) this.dropLevel(order.price);
  }

  /** The order's remaining count shrank by `by` (a fill or a decrease) while it stays queued. */
  shrink(order: OrderRecord, by: Centis): void {
    const level = this.levels.get(order.price);
    if (level) level.total -= by;
  }

  private dropLevel(price: Micros): void {
    this.levels.delete(price);
    const index = this.prices.indexOf(price);
    if (index !== -1) this.prices.splice(index, 1);
  }

  get levelCount(): number {
    return this.prices.length;
  }
}

export class OrderBook {
  readonly bids = new BookSideLevels("bid");
  readonly asks = new BookSideLevels("ask");

  constructor(readonly ticker: string) {}

  sideOf(side: BookSide): BookSideLevels {
    return side === "bid" ? this.bids : this.asks;
  }

  /** The side an incoming order of `side` trades against. */
  opposite(side: BookSide): BookSideLevels {
    return side === "bid" ? this.asks : this.bids;
  }

  add(order: OrderRecord): void {
    this.sideOf(order.side).add(order);
  }

  remove(order: OrderRecord): void {
    this.sideOf(order.side).remove(order);
  }

  shrink(order: OrderRecord, by: Centis): void {
    this.sideOf(order.side).shrink(order, by);
  }

  bestBid(): BookLevel | undefined {
    return this.bids.best();
  }

  bestAsk(): BookLevel | undefined {
    return this.asks.best();
  }

  /** Whether an order on `side` at `price` would trade immediately. */
  crosses(side: BookSide, price: Micros): boolean {
    const best = this.opposite(side).best();
    if (!best) return false;
    return side === "bid" ? price >= best.price : price <= best.price;
  }

  /**
   * Aggregated levels of one side, best first, at most `depth` (0 = all):
   * `[price, size]` pairs in YES prices.
   */
  depth(side: BookSide, depth = 0): Array<[Micros, Centis]> {
    const out: Array<[Micros, Centis]> = [];
    for (const level of this.sideOf(side).iterate()) {
      if (level.total <= 0) continue;
      out.push([level.price, level.total]);
      if (depth > 0 && out.length >= depth) break;
    }
    return out;
  }

  /** Contracts queued ahead of `order` at its price level (Kalshi's queue position). */
  queuePosition(order: OrderRecord): Centis {
    const level = this.sideOf(order.side).get(order.price);
    if (!level) return 0;
    let ahead = 0;
    for (const other of level.orders) {
      if (other === order) return ahead;
      ahead += other.remainingCount;
    }
    return 0;
  }
}
