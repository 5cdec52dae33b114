/**
 * The ladder's row elements and the one imperative patch that updates them.
 * React never renders rows: the controller keeps a pool of exactly as many
 * row elements as fit the viewport and rewrites only the text, classes and
 * bar widths that changed since the last frame (each cell remembers what it
 * last wrote, so an unchanged row costs a few string comparisons).
 */
import { formatDollars, type Centis } from "@/lib/fixed-point";

import type { LadderColumn, LadderRow, RowOrder } from "./ladder-model";

/** Height of one row in CSS pixels (the viewport holds ⌊height / ROW_HEIGHT⌋ rows). */
export const ROW_HEIGHT = 20;

/** Cell roles, in column order. `data-col` carries them for event delegation. */
export const CELLS = ["my-bid", "bid", "price", "ask", "my-ask", "volume"] as const;
export type CellRole = (typeof CELLS)[number];

/** The column a cell belongs to for clicks: bid side, ask side, or neither. */
export function columnOfCell(role: CellRole): LadderColumn | null {
  if (role === "my-bid" || role === "bid") return "bid";
  if (role === "my-ask" || role === "ask") return "ask";
  return null;
}

interface CellRefs {
  el: HTMLElement;
  /** The cell's one text node, edited in place. */
  text: Text;
  /** Whether the cell draws a depth bar (its background image, sized per level). */
  bar: boolean;
  last: { text: string; cls: string; bar: string; title: string };
}

export interface RowRefs {
  el: HTMLElement;
  cells: Record<CellRole, CellRefs>;
  last: { cls: string; price: string; index: number };
}

/** Per-paint extras the rows need besides the model. */
export interface RowPaintContext {
  /** Largest size among visible bid/ask levels, for the depth bars. */
  maxSize: Centis;
  maxVolume: Centis;
  focusedRow: number | null;
  dragTargetRow: number | null;
  /** "bid:540000" → pending action text on that level. */
  pending: ReadonlyMap<string, string>;
}

/** The columns' widths, shared by the header (React) and the rows (patched). */
export const LADDER_COLUMNS =
  "grid grid-cols-[minmax(0,1.15fr)_minmax(0,1.15fr)_minmax(0,1fr)_minmax(0,1.15fr)_minmax(0,1.15fr)_minmax(0,0.9fr)]";
// Rendering cost per frame matters more here than anywhere else in the app
// (hundreds of book updates a second). Each row is a layout and paint
// boundary of fixed height (`contain: strict`), so a changed size relayouts
// and repaints one row, not the ladder; cells are plain boxes (no clip, no
// positioned children) and depth bars are each cell's background image,
// resized by `background-size` (no layout at all), which keeps the page's
// paint chunks few and its per-frame layerization cheap.
const ROW_BASE = `${LADDER_COLUMNS} [contain:strict] border-b border-line/40 font-mono text-[11px] leading-[19px] tabular-nums select-none`;
const CELL_BASE = "px-1 whitespace-nowrap";
/** My-order cells can hold longer text ("⟳ 12.50 q1,200"): those clip. */
const MINE_BASE = "px-0.5 whitespace-nowrap overflow-hidden text-ellipsis";

/** Depth bar colours: the theme's, faded as the bars were (`bg-yes/20` and kin). */
const BAR_IMAGE: Partial<
  Record<CellRole, { color: string; alpha: number; from: "left" | "right" }>
> = {
  bid: { color: "var(--color-yes)", alpha: 20, from: "right" },
  ask: { color: "var(--color-no)", alpha: 20, from: "left" },
  volume: { color: "var(--color-accent)", alpha: 15, from: "left" },
};

/** Builds one empty row element with its cells. */
export function createRow(doc: Document): RowRefs {
  const el = doc.createElement("div");
  el.dataset.ladderRow = "";
  el.setAttribute("role", "row");
  el.style.height = `${ROW_HEIGHT}px`;
  const cells = {} as Record<CellRole, CellRefs>;
  for (const role of CELLS) {
    const cell = doc.createElement("div");
    cell.dataset.col = role;
    cell.setAttribute("role", "gridcell");
    const bar = BAR_IMAGE[role];
    if (bar) {
      const tint = `color-mix(in oklab, ${bar.color} ${bar.alpha}%, transparent)`;
      cell.style.backgroundImage = `linear-gradient(${tint}, ${tint})`;
      cell.style.backgroundRepeat = "no-repeat";
      cell.style.backgroundPosition = `${bar.from} center`;
      cell.style.backgroundSize = "0% 18px";
    }
    const text = doc.createTextNode("");
    cell.append(text);
    el.append(cell);
    cells[role] = {
      el: cell,
      text,
      bar: bar !== undefined,
      last: { text: "", cls: "", bar: "0%", title: "" },
    };
  }
  return { el, cells, last: { cls: "", price: "", index: -1 } };
}

/** Writes `row` into `refs`, touching the DOM only where something changed. */
export function patchRow(refs: RowRefs, row: LadderRow | undefined, ctx: RowPaintContext): void {
  if (!row) {
    setRowClass(refs, `${ROW_BASE} invisible`);
    return;
  }
  const price = formatDollars(row.price);
  if (refs.last.price !== price || refs.last.index !== row.index) {
    refs.el.dataset.price = price;
    refs.el.dataset.yesPrice = formatDollars(row.yesPrice);
    refs.el.dataset.index = String(row.index);
    refs.last.price = price;
    refs.last.index = row.index;
  }
  const focused = ctx.focusedRow === row.index;
  const dragTarget = ctx.dragTargetRow === row.index;
  setRowClass(
    refs,
    `${ROW_BASE} ${row.inSpread ? "bg-panel-raised/70" : ""} ${focused ? "outline outline-1 -outline-offset-1 outline-accent" : ""} ${dragTarget ? "bg-accent/25" : ""}`,
  );

  const bidPending = ctx.pending.get(`bid:${row.yesPrice}`);
  const askPending = ctx.pending.get(`ask:${row.yesPrice}`);
  setCell(
    refs.cells["my-bid"],
    mineText(row.myBids, bidPending),
    mineClass(row.myBids, "bid", bidPending),
    "",
    mineTitle(row.myBids),
  );
  setCell(
    refs.cells["my-ask"],
    mineText(row.myAsks, askPending),
    mineClass(row.myAsks, "ask", askPending),
    "",
    mineTitle(row.myAsks),
  );
  setCell(
    refs.cells.bid,
    sizeText(row.bidSize),
    `${CELL_BASE} cursor-pointer text-right hover:bg-yes/10 ${row.bestBid ? "bg-yes/15 font-bold text-yes" : row.bidSize > 0 ? "text-yes/90" : "text-ink-faint"}`,
    barWidth(row.bidSize, ctx.maxSize),
  );
  setCell(
    refs.cells.ask,
    sizeText(row.askSize),
    `${CELL_BASE} cursor-pointer hover:bg-no/10 ${row.bestAsk ? "bg-no/15 font-bold text-no" : row.askSize > 0 ? "text-no/90" : "text-ink-faint"}`,
    barWidth(row.askSize, ctx.maxSize),
  );
  setCell(
    refs.cells.price,
    `${row.lastTrade ? "▸" : ""}${priceText(row.price)}`,
    `${CELL_BASE} text-center ${row.bestBid ? "text-yes font-bold" : row.bestAsk ? "text-no font-bold" : row.inSpread ? "text-ink-muted" : "text-ink"} ${row.lastTrade ? "bg-warn/20 text-warn" : "bg-panel-raised"}`,
  );
  setCell(
    refs.cells.volume,
    row.volume > 0 ? compactCount(row.volume) : "",
    `${CELL_BASE} text-right text-ink-muted`,
    barWidth(row.volume, ctx.maxVolume),
  );
}

function setRowClass(refs: RowRefs, cls: string): void {
  if (refs.last.cls !== cls) {
    refs.el.className = cls;
    refs.last.cls = cls;
  }
}

function setCell(cell: CellRefs, text: string, cls: string, bar = "0%", title = ""): void {
  const last = cell.last;
  if (last.text !== text) {
    cell.text.data = text;
    last.text = text;
  }
  if (last.cls !== cls) {
    cell.el.className = cls;
    last.cls = cls;
  }
  if (cell.bar && last.bar !== bar) {
    cell.el.style.backgroundSize = `${bar} 18px`;
    last.bar = bar;
  }
  if (last.title !== title) {
    if (title) cell.el.title = title;
    else cell.el.removeAttribute("title");
    last.title = title;
  }
}

/**
 * The size a full-width depth bar stands for. Rescaling to the largest
 * visible level on every change would resize every bar whenever that level
 * moves (and repaint every row); instead the scale is the next round number
 * (1, 2 or 5 × 10ⁿ) at or above the largest, kept until the largest
 * outgrows it or falls below 40% of it.
 */
export function barScale(previous: Centis, largest: Centis): Centis {
  if (largest <= 0) return previous > 0 ? previous : 0;
  if (previous >= largest && largest >= previous * 0.4) return previous;
  let step = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (m * step >= largest) return m * step;
    step *= 10;
  }
}

function barWidth(size: Centis, max: Centis): string {
  if (size <= 0 || max <= 0) return "0%";
  // Whole percents: finer widths would rewrite the style on every small change.
  return `${Math.max(2, Math.round((size / max) * 100))}%`;
}

/** A price in cents, with the extra digits of finer grids ("56¢", "5.5¢", "0.3¢"). */
export function priceText(micros: number): string {
  const whole = Math.floor(micros / 10_000);
  const frac = String(micros % 10_000)
    .padStart(4, "0")
    .replace(/0+$/, "");
  return frac ? `${whole}.${frac}¢` : `${whole}¢`;
}

/** A size in whole contracts when whole, else with its hundredths; blank for 0. */
export function sizeText(size: Centis): string {
  if (size <= 0) return "";
  return size % 100 === 0 ? String(size / 100) : (size / 100).toFixed(2);
}

/**
 * Volume at a price, in whole contracts so the column reads at one precision
 * (fractional markets would otherwise mix "73" with "202.43" and overflow the
 * cell); a level with only a fraction traded shows "<1". Compact above 10k.
 */
export function compactCount(size: Centis): string {
  if (size <= 0) return "";
  if (size < 100) return "<1";
  const whole = Math.round(size / 100);
  if (whole >= 1_000_000) return `${(whole / 1_000_000).toFixed(1)}M`;
  if (whole >= 10_000) return `${Math.round(whole / 1000)}k`;
  return String(whole);
}

/** "5 · q120": my remaining size at the level and the contracts queued ahead of my first order. */
export function mineText(orders: readonly RowOrder[], pending: string | undefined): string {
  if (orders.length === 0) return pending ?? "";
  const remaining = orders.reduce((sum, o) => sum + o.remaining, 0);
  const queues = orders.map((o) => o.queue).filter((q): q is Centis => q !== undefined);
  const queue = queues.length > 0 ? ` q${queueText(Math.min(...queues))}` : " q…";
  return `${pending ? `${pending} ` : ""}${sizeText(remaining)}${queue}`;
}

/** Contracts queued ahead: exact below 10,000 (whole contracts when whole), compact above ("12k"). */
export function queueText(queue: Centis): string {
  if (queue <= 0) return "0";
  if (queue >= 1_000_000) return `${Math.round(queue / 100_000)}k`;
  return sizeText(queue);
}

function mineClass(
  orders: readonly RowOrder[],
  column: LadderColumn,
  pending: string | undefined,
): string {
  const tone =
    orders.length > 0
      ? column === "bid"
        ? "bg-yes/25 text-ink font-semibold cursor-grab"
        : "bg-no/25 text-ink font-semibold cursor-grab"
      : pending
        ? "text-ink-muted"
        : "";
  return `${MINE_BASE} ${column === "bid" ? "text-right" : ""} ${tone}`;
}

function mineTitle(orders: readonly RowOrder[]): string {
  return orders
    .map(
      (o) =>
        `${sizeText(o.remaining)} left, ${o.queue === undefined ? "queue position loading" : `${sizeText(o.queue) || "0"} contracts ahead`} — click to cancel, drag to move`,
    )
    .join("\n");
}
