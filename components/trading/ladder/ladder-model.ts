/**
 * The ladder's row model, pure and view-independent of the DOM: which size,
 * which of my orders and what volume sit on each row, and what a click on a
 * column means. Everything is kept on the YES scale (the book's own scale,
 * where a NO bid at q is a YES ask at $1 − q) and mirrored only here, so the
 * YES and NO views are one book read from either side.
 */
import { complement, type Centis, type Micros } from "@/lib/fixed-point";
import type { BookSide } from "@/lib/gateway/order-book";
import type { BookView } from "@/lib/gateway/order-book";

import type { LadderAxis } from "./ladder-grid";

/** One of my resting orders as the page knows it (see PriceLadderProps). */
export interface LadderOrderLike {
  orderId: string;
  side: "yes" | "no";
  action: "buy" | "sell";
  yesPrice: Micros;
  remaining: Centis;
}

/** A column of the ladder: the bid half (left) or the ask half (right). */
export type LadderColumn = "bid" | "ask";

/** Where an order rests on the YES-scale book: buying YES or selling NO bids; the rest offers. */
export function bookSideOfOrder(order: Pick<LadderOrderLike, "side" | "action">): BookSide {
  return (order.side === "yes") === (order.action === "buy") ? "bid" : "ask";
}

/** The YES-scale book side shown in a column: the NO view's bids are the YES asks. */
export function bookSideOfColumn(view: "yes" | "no", column: LadderColumn): BookSide {
  return view === "yes" ? column : column === "bid" ? "ask" : "bid";
}

/** The column a YES-scale book side appears in, in a view (the inverse of bookSideOfColumn). */
export function columnOfBookSide(view: "yes" | "no", side: BookSide): LadderColumn {
  return bookSideOfColumn(view, side);
}

/**
 * The order a click places: joining the YES bids buys YES at the row's YES
 * price; joining the YES asks buys NO at $1 − that price (Kalshi's way to
 * sell YES without holding it). `price` is the leg's own price.
 */
export function placeIntentFor(
  view: "yes" | "no",
  column: LadderColumn,
  yesPrice: Micros,
  count: Centis,
): { side: "yes" | "no"; action: "buy"; price: Micros; count: Centis } {
  return bookSideOfColumn(view, column) === "bid"
    ? { side: "yes", action: "buy", price: yesPrice, count }
    : { side: "no", action: "buy", price: complement(yesPrice), count };
}

/** One of my orders on a row, with its queue position (contracts ahead; undefined until known). */
export interface RowOrder {
  orderId: string;
  remaining: Centis;
  queue: Centis | undefined;
}

export interface LadderRow {
  index: number;
  yesPrice: Micros;
  /** The price printed (NO price in the NO view). */
  price: Micros;
  bidSize: Centis;
  askSize: Centis;
  myBids: RowOrder[];
  myAsks: RowOrder[];
  volume: Centis;
  bestBid: boolean;
  bestAsk: boolean;
  /** Strictly between the best bid and best ask (an empty level inside the spread). */
  inSpread: boolean;
  lastTrade: boolean;
}

/** Everything the rows are computed from; the painter keeps one and rebuilds visible rows from it. */
export interface LadderInputs {
  axis: LadderAxis;
  book: BookView | null;
  orders: readonly LadderOrderLike[];
  queue: ReadonlyMap<string, Centis>;
  /** Traded contracts per YES price. */
  volumes: ReadonlyMap<Micros, Centis>;
  lastTrade: Micros | null;
}

/** Best prices of each column in a view, as YES prices (null when that side is empty). */
export function insideOf(
  book: BookView | null,
  view: "yes" | "no",
): { bid: Micros | null; ask: Micros | null } {
  const yesBid = book?.bids[0]?.[0] ?? null;
  const yesAsk = book?.asks[0]?.[0] ?? null;
  // In the NO view the bid column holds YES asks (best = lowest YES ask = highest NO bid).
  return view === "yes" ? { bid: yesBid, ask: yesAsk } : { bid: yesAsk, ask: yesBid };
}

/** Rows `from` (inclusive) to `to` (exclusive) of the axis, clipped to it. */
export function buildRows(inputs: LadderInputs, from: number, to: number): LadderRow[] {
  const { axis, book, orders, queue, volumes, lastTrade } = inputs;
  const view = axis.view;
  const bids = new Map<Micros, Centis>(book?.bids ?? []);
  const asks = new Map<Micros, Centis>(book?.asks ?? []);
  const bidBook = view === "yes" ? bids : asks;
  const askBook = view === "yes" ? asks : bids;
  const inside = insideOf(book, view);
  const insideBidRow = inside.bid === null ? undefined : axis.rowOf(inside.bid);
  const insideAskRow = inside.ask === null ? undefined : axis.rowOf(inside.ask);

  const mine = new Map<Micros, { bids: RowOrder[]; asks: RowOrder[] }>();
  for (const order of orders) {
    const column = columnOfBookSide(view, bookSideOfOrder(order));
    let slot = mine.get(order.yesPrice);
    if (!slot) mine.set(order.yesPrice, (slot = { bids: [], asks: [] }));
    (column === "bid" ? slot.bids : slot.asks).push({
      orderId: order.orderId,
      remaining: order.remaining,
      queue: queue.get(order.orderId),
    });
  }

  const rows: LadderRow[] = [];
  const end = Math.min(to, axis.yes.length);
  for (let index = Math.max(0, from); index < end; index++) {
    const yesPrice = axis.yes[index]!;
    const slot = mine.get(yesPrice);
    rows.push({
      index,
      yesPrice,
      price: axis.display[index]!,
      bidSize: bidBook.get(yesPrice) ?? 0,
      askSize: askBook.get(yesPrice) ?? 0,
      myBids: slot?.bids ?? [],
      myAsks: slot?.asks ?? [],
      volume: volumes.get(yesPrice) ?? 0,
      bestBid: index === insideBidRow,
      bestAsk: index === insideAskRow,
      // Rows run from high to low displayed price: the ask sits above the bid.
      inSpread:
        insideBidRow !== undefined &&
        insideAskRow !== undefined &&
        index > insideAskRow &&
        index < insideBidRow,
      lastTrade: lastTrade === yesPrice,
    });
  }
  return rows;
}

/**
 * The row to centre on: the mid of the inside market when both sides exist,
 * else the last trade, else whichever side exists, else the middle of the grid.
 */
export function centreRow(
  axis: LadderAxis,
  book: BookView | null,
  lastTrade: Micros | null,
): number {
  const inside = insideOf(book, axis.view);
  const bidRow = inside.bid === null ? undefined : axis.rowOf(inside.bid);
  const askRow = inside.ask === null ? undefined : axis.rowOf(inside.ask);
  if (bidRow !== undefined && askRow !== undefined) return Math.round((bidRow + askRow) / 2);
  const lastRow = lastTrade === null ? undefined : axis.rowOf(lastTrade);
  return lastRow ?? bidRow ?? askRow ?? Math.floor(axis.yes.length / 2);
}

/** Contracts traded per YES price, from trade messages or REST trades (deduplicated by trade id). */
export function addTrade(
  volumes: Map<Micros, Centis>,
  seen: Set<string>,
  tradeId: string,
  yesPrice: Micros,
  count: Centis,
): boolean {
  if (seen.has(tradeId)) return false;
  seen.add(tradeId);
  volumes.set(yesPrice, (volumes.get(yesPrice) ?? 0) + count);
  return true;
}
