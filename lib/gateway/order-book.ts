/**
 * An order book on the YES price scale, built from a snapshot plus deltas.
 * Bids are resting YES bids; asks are resting NO bids seen from the YES side
 * (a NO bid at p is a YES ask at $1 − p). Prices are micro-dollars, sizes are
 * centi-contracts (lib/fixed-point), never floats. Browser-safe: the gateway
 * keeps one per subscribed market and the browser client keeps one per
 * `book:` topic.
 */
import {
  formatCount,
  formatDollars,
  parseCount,
  parseDollars,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";

export type BookSide = "bid" | "ask";
/** [price, size] in micro-dollars and centi-contracts. */
export type Level = readonly [Micros, Centis];
/** [price, size] as wire strings ("0.5600", "12.00"). */
export type WireLevel = readonly [string, string];

export class OrderBook {
  private readonly bids = new Map<Micros, Centis>();
  private readonly asks = new Map<Micros, Centis>();

  /** Replaces the whole book. */
  replace(bids: Iterable<Level>, asks: Iterable<Level>): void {
    this.bids.clear();
    this.asks.clear();
    for (const [price, size] of bids) if (size > 0) this.bids.set(price, size);
    for (const [price, size] of asks) if (size > 0) this.asks.set(price, size);
  }

  /** Adds `delta` (signed) at a level; returns the level's new size (0 = gone). */
  applyDelta(side: BookSide, price: Micros, delta: Centis): Centis {
    const levels = side === "bid" ? this.bids : this.asks;
    const size = Math.max(0, (levels.get(price) ?? 0) + delta);
    if (size === 0) levels.delete(price);
    else levels.set(price, size);
    return size;
  }

  /** Sets a level to an absolute size (0 removes it). */
  setLevel(side: BookSide, price: Micros, size: Centis): void {
    const levels = side === "bid" ? this.bids : this.asks;
    if (size <= 0) levels.delete(price);
    else levels.set(price, size);
  }

  size(side: BookSide, price: Micros): Centis {
    return (side === "bid" ? this.bids : this.asks).get(price) ?? 0;
  }

  /** Levels best first: bids by descending price, asks by ascending price. */
  levels(side: BookSide): Level[] {
    const entries = [...(side === "bid" ? this.bids : this.asks).entries()];
    return side === "bid"
      ? entries.sort((a, b) => b[0] - a[0])
      : entries.sort((a, b) => a[0] - b[0]);
  }

  get levelCount(): number {
    return this.bids.size + this.asks.size;
  }
}

export function toWireLevels(levels: readonly Level[]): WireLevel[] {
  return levels.map(([price, size]) => [formatDollars(price), formatCount(size)]);
}

/** Parses wire levels; throws FixedPointError on a malformed value. */
export function fromWireLevels(levels: readonly (readonly [string, string])[]): Level[] {
  return levels.map(([price, size]) => [parseDollars(price), parseCount(size)]);
}

/** An immutable view of a book for rendering (what the hooks publish). */
export interface BookView {
  /** Best first (highest price). */
  bids: Level[];
  /** Best first (lowest price). */
  asks: Level[];
  /** The topic sequence number this view reflects. */
  seq: number;
}

/** Best bid and best ask of a book view (null for an empty side, or no book). */
export function topOf(book: Pick<BookView, "bids" | "asks"> | null): {
  bestBid: Micros | null;
  bestAsk: Micros | null;
} {
  return { bestBid: book?.bids[0]?.[0] ?? null, bestAsk: book?.asks[0]?.[0] ?? null };
}

export function viewOf(book: OrderBook, seq: number): BookView {
  return { bids: book.levels("bid"), asks: book.levels("ask"), seq };
}
