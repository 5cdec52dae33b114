/**
 * The ladder's engine outside React: it holds the latest book, orders,
 * queue positions and trades, and repaints the visible rows at most once per
 * animation frame however many updates arrive (every setter only marks the
 * ladder dirty and asks for one frame). It also turns pointer and keyboard
 * input on the rows into trading intents, with the guards a trader relies
 * on: nothing is sent while the feed is not live, a level with a request in
 * flight ignores further clicks (a double click places once), an order being
 * moved or cancelled is not moved or cancelled again until the exchange has
 * answered.
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type { PriceRange } from "@/lib/price-grid";
import type { BookSide, BookView } from "@/lib/gateway/order-book";

import { ladderAxis, type LadderAxis } from "./ladder-grid";
import {
  bookSideOfColumn,
  buildRows,
  centreRow,
  insideOf,
  placeIntentFor,
  type LadderColumn,
  type LadderInputs,
  type LadderOrderLike,
  type LadderRow,
} from "./ladder-model";
import {
  barScale,
  CELLS,
  columnOfCell,
  createRow,
  patchRow,
  ROW_HEIGHT,
  type CellRole,
  type RowRefs,
} from "./ladder-rows-dom";

export interface LadderActions {
  place(intent: { side: "yes" | "no"; action: "buy"; price: Micros; count: Centis }): Promise<void>;
  cancel(orderId: string): Promise<void>;
  amend(orderId: string, newYesPrice: Micros): Promise<void>;
  openTicket(prefill: { side: "yes" | "no"; action: "buy" | "sell"; price: Micros }): void;
  /** The book changed (the shell refreshes queue positions from this, throttled). */
  bookChanged(): void;
}

export interface LadderControllerOptions {
  /** Read on every use, so the shell can pass its latest props without re-creating the controller. */
  actions: () => LadderActions;
  /** Schedules one paint; default requestAnimationFrame. */
  schedule?: (paint: () => void) => unknown;
  /** How long an error stays next to its row, ms. */
  errorMs?: number;
}

/** How long a trader-readable error stays next to its row. */
const ERROR_MS = 4000;

export class LadderController {
  /** Paints so far (tests count them against frames). */
  paints = 0;
  private readonly options: LadderControllerOptions;
  private ranges: readonly PriceRange[] = [];
  private axis: LadderAxis = ladderAxis([], "yes");
  private book: BookView | null = null;
  /** Depth-bar scales (barScale): steady while the largest level moves within them. */
  private sizeScale: Centis = 0;
  private volumeScale: Centis = 0;
  private orders: readonly LadderOrderLike[] = [];
  private queue: ReadonlyMap<string, Centis> = new Map();
  private volumes: ReadonlyMap<Micros, Centis> = new Map();
  private lastTrade: Micros | null = null;
  private defaultSize: Centis = 100;
  private enabled = false;
  private disabledReason = "Waiting for the live book";

  private viewportRows = 0;
  /** Row index at the top of the viewport; null until first centred. */
  private top: number | null = null;
  /** Follow the market when the inside leaves the window (off after a manual scroll). */
  private autoCentre = true;
  private hovering = false;
  private focusedRow: number | null = null;
  private drag: {
    column: LadderColumn;
    fromRow: number;
    orderIds: string[];
    targetRow: number;
    startY: number;
  } | null = null;
  /** Book side + YES price ("bid:540000") → what is in flight there. */
  private readonly pendingLevels = new Map<string, string>();
  private readonly pendingOrders = new Set<string>();
  private error: { yesPrice: Micros | null; message: string; until: number } | null = null;
  private errorTimer: ReturnType<typeof setTimeout> | null = null;

  private scheduled = false;
  private root: HTMLElement | null = null;
  private body: HTMLElement | null = null;
  private errorEl: HTMLElement | null = null;
  private pool: RowRefs[] = [];

  constructor(options: LadderControllerOptions) {
    this.options = options;
  }

  // ------------------------------------------------------------------ inputs

  setGrid(ranges: readonly PriceRange[], view: "yes" | "no"): void {
    if (ranges === this.ranges && view === this.axis.view) return;
    const centrePrice = this.centreYesPrice();
    this.ranges = ranges;
    this.axis = ladderAxis(ranges, view);
    if (centrePrice !== null && this.top !== null) {
      const row = this.axis.rowOf(centrePrice);
      if (row !== undefined) this.top = this.clampTop(row - Math.floor(this.viewportRows / 2));
    }
    this.focusedRow = null;
    this.invalidate();
  }

  setBook(book: BookView | null): void {
    if (book === this.book) return;
    this.book = book;
    this.invalidate();
    if (book) this.options.actions().bookChanged();
  }

  setOrders(orders: readonly LadderOrderLike[]): void {
    this.orders = orders;
    this.invalidate();
  }

  setQueue(queue: ReadonlyMap<string, Centis>): void {
    this.queue = queue;
    this.invalidate();
  }

  setTrades(volumes: ReadonlyMap<Micros, Centis>, lastTrade: Micros | null): void {
    this.volumes = volumes;
    this.lastTrade = lastTrade;
    this.invalidate();
  }

  setDefaultSize(size: Centis): void {
    this.defaultSize = size;
  }

  /** Live and allowed to trade, or why not (stale feed, market closed, no key...). */
  setEnabled(enabled: boolean, reason = ""): void {
    this.enabled = enabled;
    this.disabledReason = reason;
    if (!enabled) this.endDrag();
    this.invalidate();
  }

  setViewportRows(rows: number): void {
    const next = Math.max(1, Math.floor(rows));
    if (next === this.viewportRows) return;
    const centre = this.top === null ? null : this.top + Math.floor(this.viewportRows / 2);
    this.viewportRows = next;
    if (centre !== null) this.top = this.clampTop(centre - Math.floor(next / 2));
    this.resizePool();
    this.invalidate();
  }

  // ----------------------------------------------------------------- commands

  /** Centres on the inside market (or the last trade) and follows it again. */
  recenter(): void {
    this.autoCentre = true;
    this.top = this.clampTop(
      centreRow(this.axis, this.book, this.lastTrade) - Math.floor(this.viewportRows / 2),
    );
    this.invalidate();
  }

  /** Scrolls by whole rows (positive = down, to lower prices); stops following the market. */
  scrollBy(rows: number): void {
    if (rows === 0) return;
    this.autoCentre = false;
    this.top = this.clampTop((this.top ?? this.initialTop()) + rows);
    this.invalidate();
  }

  /** Moves the keyboard focus row, scrolling to keep it visible. */
  moveFocus(delta: number): void {
    const last = this.axis.yes.length - 1;
    if (last < 0) return;
    const top = this.top ?? this.initialTop();
    const from = this.focusedRow ?? top + Math.floor(this.viewportRows / 2);
    const row = Math.min(last, Math.max(0, from + delta));
    this.focusedRow = row;
    if (row < top) this.scrollBy(row - top);
    else if (row >= top + this.viewportRows) this.scrollBy(row - (top + this.viewportRows - 1));
    this.invalidate();
  }

  /** The order a click on `column` at `row` would place, without placing it. */
  intentAt(row: number, column: LadderColumn) {
    const yesPrice = this.axis.yes[row];
    return yesPrice === undefined
      ? null
      : placeIntentFor(this.axis.view, column, yesPrice, this.defaultSize);
  }

  /** Places the default size at a row and column (a click in the bid or ask column). */
  async place(row: number, column: LadderColumn): Promise<void> {
    const yesPrice = this.axis.yes[row];
    if (yesPrice === undefined) return;
    const side = bookSideOfColumn(this.axis.view, column);
    if (!this.enabled) return this.showError(yesPrice, this.disabledReason);
    const key = levelKey(side, yesPrice);
    if (this.pendingLevels.has(key)) return; // a request is in flight here: a double click places once
    const intent = placeIntentFor(this.axis.view, column, yesPrice, this.defaultSize);
    this.pendingLevels.set(key, "…");
    this.invalidate();
    try {
      await this.options.actions().place(intent);
    } catch (error) {
      this.showError(yesPrice, messageOf(error));
    } finally {
      this.pendingLevels.delete(key);
      this.invalidate();
    }
  }

  /** Cancels my orders on one side of a row. */
  async cancelAt(row: number, column: LadderColumn): Promise<void> {
    const ids = this.myOrderIdsAt(row, column);
    const yesPrice = this.axis.yes[row] ?? null;
    if (!this.enabled) return this.showError(yesPrice, this.disabledReason);
    await Promise.all(
      ids.map((id) => this.once(id, yesPrice, () => this.options.actions().cancel(id))),
    );
  }

  /** Moves my orders on one side of `fromRow` to `toRow` (V2 amend, each sent once). */
  async moveOrders(fromRow: number, toRow: number, column: LadderColumn): Promise<void> {
    const target = this.axis.yes[toRow];
    if (target === undefined || fromRow === toRow) return;
    if (!this.enabled) return this.showError(target, this.disabledReason);
    const ids = this.myOrderIdsAt(fromRow, column);
    await Promise.all(
      ids.map((id) => this.once(id, target, () => this.options.actions().amend(id, target))),
    );
  }

  openTicketAt(row: number, column: LadderColumn): void {
    const intent = this.intentAt(row, column);
    if (!intent) return;
    this.options
      .actions()
      .openTicket({ side: intent.side, action: intent.action, price: intent.price });
  }

  // ------------------------------------------------------------------- DOM

  /** Takes over `root` (focusable, positioned) and paints rows into `body`; returns the cleanup. */
  mount(root: HTMLElement, body: HTMLElement): () => void {
    this.root = root;
    this.body = body;
    const doc = root.ownerDocument;
    this.errorEl = doc.createElement("div");
    this.errorEl.setAttribute("role", "alert");
    this.errorEl.className =
      "pointer-events-none absolute right-1 left-1 z-20 hidden rounded border border-no/60 bg-surface/95 px-2 py-0.5 text-[11px] text-no shadow-lg";
    body.append(this.errorEl);
    this.resizePool();

    const listeners: Array<[keyof HTMLElementEventMap, EventListener, AddEventListenerOptions?]> = [
      ["click", (e) => this.onClick(e as MouseEvent)],
      ["contextmenu", (e) => this.onContextMenu(e as MouseEvent)],
      ["pointerdown", (e) => this.onPointerDown(e as PointerEvent)],
      ["pointermove", (e) => this.onPointerMove(e as PointerEvent)],
      ["pointerup", (e) => this.onPointerUp(e as PointerEvent)],
      ["pointercancel", () => this.endDrag()],
      ["pointerenter", () => (this.hovering = true)],
      [
        "pointerleave",
        () => {
          this.hovering = false;
          this.invalidate();
        },
      ],
      ["wheel", (e) => this.onWheel(e as WheelEvent), { passive: false }],
    ];
    for (const [type, listener, opts] of listeners) body.addEventListener(type, listener, opts);
    root.addEventListener("keydown", this.rootKeys);
    this.invalidate();
    return () => {
      for (const [type, listener, opts] of listeners)
        body.removeEventListener(type, listener, opts);
      root.removeEventListener("keydown", this.rootKeys);
      for (const refs of this.pool) refs.el.remove();
      this.pool = [];
      this.errorEl?.remove();
      this.errorEl = null;
      if (this.errorTimer) clearTimeout(this.errorTimer);
      this.root = null;
      this.body = null;
    };
  }

  /** Asks for one paint on the next frame (coalesces every change until then). */
  invalidate(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const schedule = this.options.schedule ?? ((paint: () => void) => requestAnimationFrame(paint));
    schedule(() => {
      this.scheduled = false;
      this.paint();
    });
  }

  /** The rows the viewport shows now (tests and the a11y summary read this). */
  visibleRows(): LadderRow[] {
    const top = this.top ?? this.initialTop();
    return buildRows(this.inputs(), top, top + this.viewportRows);
  }

  private paint(): void {
    this.paints++;
    if (!this.body) return;
    this.followMarket();
    const rows = this.visibleRows();
    let largestSize = 0;
    let largestVolume = 0;
    for (const row of rows) {
      largestSize = Math.max(largestSize, row.bidSize, row.askSize);
      largestVolume = Math.max(largestVolume, row.volume);
    }
    const maxSize = (this.sizeScale = barScale(this.sizeScale, largestSize));
    const maxVolume = (this.volumeScale = barScale(this.volumeScale, largestVolume));
    const pending = new Map<string, string>();
    for (const [key, text] of this.pendingLevels) {
      const [side, price] = key.split(":") as [BookSide, string];
      const column = bookSideOfColumn(this.axis.view, side);
      pending.set(`${column}:${price}`, text);
    }
    const ctx = {
      maxSize,
      maxVolume,
      focusedRow: this.focusedRow,
      dragTargetRow:
        this.drag && this.drag.targetRow !== this.drag.fromRow ? this.drag.targetRow : null,
      pending,
    };
    this.pool.forEach((refs, i) => patchRow(refs, rows[i], ctx));
    this.paintError(rows);
  }

  private paintError(rows: readonly LadderRow[]): void {
    const el = this.errorEl;
    if (!el) return;
    const error = this.error;
    if (!error) {
      if (!el.classList.contains("hidden")) el.classList.add("hidden");
      return;
    }
    const at = rows.findIndex((row) => row.yesPrice === error.yesPrice);
    const rowIndex = at === -1 ? 0 : at;
    el.textContent = error.message;
    el.style.top = `${(rowIndex + 1) * ROW_HEIGHT}px`;
    el.classList.remove("hidden");
  }

  // --------------------------------------------------------------- internals

  private inputs(): LadderInputs {
    return {
      axis: this.axis,
      book: this.book,
      orders: this.orders,
      queue: this.queue,
      volumes: this.volumes,
      lastTrade: this.lastTrade,
    };
  }

  /** Centre once on first data; later only when the inside left the window and nobody is using the ladder. */
  private followMarket(): void {
    if (this.viewportRows === 0 || this.axis.yes.length === 0) return;
    if (this.top === null) {
      // Wait for the book before fixing the window: trades or an empty first
      // paint would otherwise pin it to the middle of the grid.
      if (this.book) this.recenter();
      return;
    }
    if (!this.autoCentre || this.hovering || this.drag) return;
    const inside = insideOf(this.book, this.axis.view);
    const rows = [inside.bid, inside.ask]
      .map((price) => (price === null ? undefined : this.axis.rowOf(price)))
      .filter((row): row is number => row !== undefined);
    const out = rows.some((row) => row < this.top! || row >= this.top! + this.viewportRows);
    if (out) this.recenter();
  }

  private initialTop(): number {
    return this.clampTop(Math.floor(this.axis.yes.length / 2) - Math.floor(this.viewportRows / 2));
  }

  private clampTop(top: number): number {
    const max = Math.max(0, this.axis.yes.length - this.viewportRows);
    return Math.min(max, Math.max(0, top));
  }

  private centreYesPrice(): Micros | null {
    if (this.top === null) return null;
    return this.axis.yes[this.top + Math.floor(this.viewportRows / 2)] ?? null;
  }

  private resizePool(): void {
    const body = this.body;
    if (!body) return;
    const doc = body.ownerDocument;
    while (this.pool.length < this.viewportRows) {
      const refs = createRow(doc);
      body.insertBefore(refs.el, this.errorEl);
      this.pool.push(refs);
    }
    while (this.pool.length > this.viewportRows) this.pool.pop()?.el.remove();
  }

  private myOrderIdsAt(row: number, column: LadderColumn): string[] {
    const yesPrice = this.axis.yes[row];
    if (yesPrice === undefined) return [];
    const [built] = buildRows(this.inputs(), row, row + 1);
    if (!built) return [];
    return (column === "bid" ? built.myBids : built.myAsks).map((o) => o.orderId);
  }

  /** Runs one request per order at a time; later requests for the same order are dropped. */
  private async once(orderId: string, yesPrice: Micros | null, run: () => Promise<void>) {
    if (this.pendingOrders.has(orderId)) return;
    this.pendingOrders.add(orderId);
    try {
      await run();
    } catch (error) {
      this.showError(yesPrice, messageOf(error));
    } finally {
      this.pendingOrders.delete(orderId);
      this.invalidate();
    }
  }

  private showError(yesPrice: Micros | null, message: string): void {
    const ms = this.options.errorMs ?? ERROR_MS;
    this.error = { yesPrice, message, until: Date.now() + ms };
    if (this.errorTimer) clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(() => {
      this.error = null;
      this.invalidate();
    }, ms);
    this.invalidate();
  }

  private hit(event: Event): { row: number; role: CellRole } | null {
    const target = event.target as Element | null;
    const cell = target?.closest?.("[data-col]") as HTMLElement | null;
    const rowEl = cell?.closest("[data-ladder-row]") as HTMLElement | null;
    const role = cell?.dataset.col as CellRole | undefined;
    const index = rowEl?.dataset.index;
    if (!role || !CELLS.includes(role) || index === undefined) return null;
    return { row: Number(index), role };
  }

  private hasMine(row: number, column: LadderColumn): boolean {
    return this.myOrderIdsAt(row, column).length > 0;
  }

  private onClick(event: MouseEvent): void {
    const hit = this.hit(event);
    if (!hit) return;
    this.focusedRow = hit.row;
    const column = columnOfCell(hit.role);
    this.invalidate();
    if (!column) return;
    // My orders' cells act on pointerup (cancel or drag), not here.
    if ((hit.role === "my-bid" || hit.role === "my-ask") && this.hasMine(hit.row, column)) return;
    if (event.shiftKey) return this.openTicketAt(hit.row, column);
    // The second click of a double click is the same intent: never a second order.
    if (event.detail > 1) return;
    void this.place(hit.row, column);
  }

  private onContextMenu(event: MouseEvent): void {
    const hit = this.hit(event);
    const column = hit ? columnOfCell(hit.role) : null;
    if (!hit || !column) return;
    event.preventDefault();
    this.openTicketAt(hit.row, column);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    const hit = this.hit(event);
    if (!hit || (hit.role !== "my-bid" && hit.role !== "my-ask")) return;
    const column = columnOfCell(hit.role)!;
    const orderIds = this.myOrderIdsAt(hit.row, column);
    if (orderIds.length === 0) return;
    event.preventDefault();
    this.drag = { column, fromRow: hit.row, orderIds, targetRow: hit.row, startY: event.clientY };
    try {
      this.body?.setPointerCapture(event.pointerId);
    } catch {
      // No capture (synthetic events): moves still reach the body while over it.
    }
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.drag || !this.body) return;
    const rect = this.body.getBoundingClientRect();
    const offset = Math.floor((event.clientY - rect.top) / ROW_HEIGHT);
    const top = this.top ?? 0;
    // A click that wobbles a few pixels over a row boundary is still a click, not a move.
    const moved = Math.abs(event.clientY - this.drag.startY) >= ROW_HEIGHT / 2;
    const row = moved
      ? Math.min(this.axis.yes.length - 1, Math.max(0, top + offset))
      : this.drag.fromRow;
    if (row !== this.drag.targetRow) {
      this.drag.targetRow = row;
      this.invalidate();
    }
  }

  private onPointerUp(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    this.onPointerMove(event);
    this.endDrag();
    if (drag.targetRow === drag.fromRow) void this.cancelAt(drag.fromRow, drag.column);
    else void this.moveOrders(drag.fromRow, drag.targetRow, drag.column);
  }

  private endDrag(): void {
    if (!this.drag) return;
    this.drag = null;
    this.invalidate();
  }

  private wheelRest = 0;
  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    // One row per notch (deltaY ≈ 100 px on most mice); trackpads' small deltas accumulate.
    const unit = event.deltaMode === 1 ? 3 : event.deltaMode === 2 ? 1 / this.viewportRows : 100;
    this.wheelRest += event.deltaY / unit;
    const rows = Math.trunc(this.wheelRest);
    if (rows !== 0) {
      this.wheelRest -= rows;
      this.scrollBy(rows);
    }
  }

  private readonly rootKeys = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, this.viewportRows - 2);
    const moves: Record<string, number> = {
      ArrowUp: -1,
      ArrowDown: 1,
      PageUp: -page,
      PageDown: page,
    };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      this.moveFocus(move);
      return;
    }
    if (event.key === "c" || event.key === "C") {
      event.preventDefault();
      this.recenter();
    }
  };
}

function levelKey(side: BookSide, yesPrice: Micros): string {
  return `${side}:${yesPrice}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message
    ? error.message
    : "The exchange did not accept that";
}
