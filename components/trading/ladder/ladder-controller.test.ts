// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { parseDollars } from "@/lib/fixed-point";
import type { BookView } from "@/lib/gateway/order-book";
import { PRICE_LEVEL_STRUCTURES } from "@/lib/price-grid";

import { LadderController, type LadderActions } from "./ladder-controller";

const $ = (text: string) => parseDollars(text);
const cent = PRICE_LEVEL_STRUCTURES.linear_cent!;

/** A fake requestAnimationFrame: callbacks wait until the test runs a frame. */
function fakeFrames() {
  let queue: Array<() => void> = [];
  return {
    schedule: (cb: () => void) => queue.push(cb),
    pending: () => queue.length,
    frame() {
      const run = queue;
      queue = [];
      for (const cb of run) cb();
    },
  };
}

interface Deferred {
  resolve(): void;
  reject(error: Error): void;
}

function recorder() {
  const calls: Array<{ kind: string; args: unknown[] }> = [];
  const inflight: Deferred[] = [];
  const later = (kind: string, ...args: unknown[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ kind, args });
      inflight.push({ resolve, reject });
    });
  const actions: LadderActions = {
    place: (intent) => later("place", intent),
    cancel: (orderId) => later("cancel", orderId),
    amend: (orderId, price) => later("amend", orderId, price),
    openTicket: (prefill) => void calls.push({ kind: "ticket", args: [prefill] }),
    bookChanged: () => void calls.push({ kind: "bookChanged", args: [] }),
  };
  return { calls, inflight, actions, of: (kind: string) => calls.filter((c) => c.kind === kind) };
}

function bookAt(seq: number, bidSize = 1000): BookView {
  return {
    bids: [
      [$("0.40"), bidSize],
      [$("0.39"), 300],
    ],
    asks: [[$("0.45"), 500]],
    seq,
  };
}

let root: HTMLElement;
let body: HTMLElement;
let frames: ReturnType<typeof fakeFrames>;
let rec: ReturnType<typeof recorder>;
let ladder: LadderController;
let unmount: () => void;

beforeEach(() => {
  root = document.createElement("div");
  body = document.createElement("div");
  root.append(body);
  document.body.append(root);
  frames = fakeFrames();
  rec = recorder();
  ladder = new LadderController({ actions: () => rec.actions, schedule: frames.schedule });
  ladder.setGrid(cent, "yes");
  ladder.setViewportRows(21);
  ladder.setDefaultSize(300);
  unmount = ladder.mount(root, body);
  ladder.setBook(bookAt(1));
  ladder.setEnabled(true);
  frames.frame();
});

afterEach(() => {
  unmount();
  root.remove();
});

/** The row showing `price` ("0.40"); rows carry Kalshi's 4-decimal price. */
const row = (price: string) =>
  body.querySelector<HTMLElement>(`[data-ladder-row][data-price="${price.padEnd(6, "0")}"]`)!;
const cell = (price: string, col: string) =>
  row(price).querySelector<HTMLElement>(`[data-col="${col}"]`)!;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("painting", () => {
  it("paints at most once per animation frame however many deltas arrive", () => {
    const before = ladder.paints;
    for (let seq = 2; seq < 1002; seq++) ladder.setBook(bookAt(seq, 1000 + seq));
    ladder.setOrders([]);
    ladder.setTrades(new Map([[$("0.41"), 100]]), $("0.41"));
    expect(frames.pending()).toBe(1);
    expect(ladder.paints).toBe(before);
    frames.frame();
    expect(ladder.paints).toBe(before + 1);
    // The one paint shows the latest state.
    expect(cell("0.40", "bid").textContent).toBe("20.01");
    // Nothing changed: no further frame is requested.
    frames.frame();
    expect(frames.pending()).toBe(0);
    expect(ladder.paints).toBe(before + 1);
  });

  it("centres the inside market in the viewport and marks best bid and ask", () => {
    const rows = [...body.querySelectorAll<HTMLElement>("[data-ladder-row]")];
    expect(rows).toHaveLength(21);
    const prices = rows.map((r) => r.dataset.price);
    expect(prices).toContain("0.4000");
    expect(prices).toContain("0.4500");
    expect(cell("0.40", "bid").className).toContain("font-bold");
    expect(cell("0.45", "ask").textContent).toBe("5");
  });

  it("centres on the book when it arrives after the first paint", () => {
    const late = new LadderController({ actions: () => rec.actions, schedule: frames.schedule });
    const lateBody = document.createElement("div");
    root.append(lateBody);
    late.setGrid(cent, "yes");
    late.setViewportRows(41);
    const off = late.mount(root, lateBody);
    frames.frame(); // nothing yet: the middle of the grid (70¢ … 30¢), not fixed
    // The inside (35¢/37¢) is inside that window, but off-centre: the ladder centres on it.
    late.setBook({ bids: [[$("0.35"), 100]], asks: [[$("0.37"), 100]], seq: 1 });
    frames.frame();
    const rows = [...lateBody.querySelectorAll<HTMLElement>("[data-ladder-row]")];
    expect(rows[20]?.dataset.price).toBe("0.3600");
    off();
  });

  it("shows my order at its level with remaining size and queue position", () => {
    ladder.setOrders([
      { orderId: "o1", side: "yes", action: "buy", yesPrice: $("0.40"), remaining: 250 },
    ]);
    frames.frame();
    expect(cell("0.40", "my-bid").textContent).toBe("2.50 q…");
    ladder.setQueue(new Map([["o1", 1200]]));
    frames.frame();
    expect(cell("0.40", "my-bid").textContent).toBe("2.50 q12");
    expect(cell("0.40", "my-bid").title).toContain("12 contracts ahead");
  });
});

describe("click to trade", () => {
  it("a click in the bid column buys YES at that price with the default size", async () => {
    cell("0.38", "bid").dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    expect(rec.of("place")[0]?.args[0]).toEqual({
      side: "yes",
      action: "buy",
      price: $("0.38"),
      count: 300,
    });
  });

  it("a click in the ask column buys NO at 1 − p", async () => {
    cell("0.47", "ask").dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    expect(rec.of("place")[0]?.args[0]).toMatchObject({ side: "no", price: $("0.53") });
  });

  it("a double click places once, and a level with a request in flight ignores clicks", async () => {
    const target = cell("0.38", "bid");
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 2 }));
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    expect(rec.of("place")).toHaveLength(1);
    rec.inflight[0]!.resolve();
    await flush();
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    expect(rec.of("place")).toHaveLength(2);
  });

  it("shift-click and right-click open the ticket prefilled instead of placing", async () => {
    cell("0.38", "bid").dispatchEvent(
      new MouseEvent("click", { bubbles: true, detail: 1, shiftKey: true }),
    );
    cell("0.47", "ask").dispatchEvent(new MouseEvent("contextmenu", { bubbles: true }));
    await flush();
    expect(rec.of("place")).toHaveLength(0);
    expect(rec.of("ticket").map((c) => c.args[0])).toEqual([
      { side: "yes", action: "buy", price: $("0.38") },
      { side: "no", action: "buy", price: $("0.53") },
    ]);
  });

  it("a click on my order cancels it; dragging it amends the price, sent once", async () => {
    ladder.setOrders([
      { orderId: "o1", side: "yes", action: "buy", yesPrice: $("0.40"), remaining: 100 },
    ]);
    frames.frame();
    const mine = cell("0.40", "my-bid");
    // Rows are 20 px and the body sits at the top of the page.
    const firstIndex = Number(body.querySelector<HTMLElement>("[data-ladder-row]")!.dataset.index);
    const y = (offset: number) =>
      (Number(row("0.40").dataset.index) - firstIndex + offset) * 20 + 5;
    mine.dispatchEvent(
      new PointerEvent("pointerdown", { bubbles: true, button: 0, clientY: y(0) }),
    );
    mine.dispatchEvent(
      new PointerEvent("pointerup", { bubbles: true, button: 0, clientY: y(0) + 3 }),
    );
    mine.dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    expect(rec.of("cancel").map((c) => c.args)).toEqual([["o1"]]);
    expect(rec.of("place")).toHaveLength(0);
    rec.inflight[0]!.resolve();
    await flush();

    // Drag from 40¢ two rows down to 38¢.
    mine.dispatchEvent(
      new PointerEvent("pointerdown", { bubbles: true, button: 0, clientY: y(0) }),
    );
    body.dispatchEvent(new PointerEvent("pointermove", { bubbles: true, clientY: y(2) }));
    body.dispatchEvent(new PointerEvent("pointerup", { bubbles: true, clientY: y(2) }));
    // A second drag of the same order before the exchange answered is dropped.
    mine.dispatchEvent(
      new PointerEvent("pointerdown", { bubbles: true, button: 0, clientY: y(0) }),
    );
    body.dispatchEvent(new PointerEvent("pointerup", { bubbles: true, clientY: y(3) }));
    await flush();
    expect(rec.of("amend").map((c) => c.args)).toEqual([["o1", $("0.38")]]);
  });
});

describe("stale feed", () => {
  it("refuses clicks while not live and says why next to the row", async () => {
    ladder.setEnabled(false, "The order book feed is not live");
    frames.frame();
    cell("0.38", "bid").dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    frames.frame();
    expect(rec.of("place")).toHaveLength(0);
    expect(body.querySelector('[role="alert"]')?.textContent).toBe(
      "The order book feed is not live",
    );
  });

  it("shows a rejected order's message near its row", async () => {
    cell("0.38", "bid").dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
    await flush();
    rec.inflight[0]!.reject(new Error("Insufficient balance for this order"));
    await flush();
    frames.frame();
    const alert = body.querySelector<HTMLElement>('[role="alert"]')!;
    expect(alert.textContent).toBe("Insufficient balance for this order");
    expect(alert.classList.contains("hidden")).toBe(false);
  });
});

describe("navigation", () => {
  it("scrolls by tick and recentres on demand", () => {
    const topPrice = () => body.querySelector<HTMLElement>("[data-ladder-row]")!.dataset.price;
    const centred = topPrice();
    ladder.scrollBy(3);
    frames.frame();
    expect(Number(topPrice())).toBeCloseTo(Number(centred) - 0.03, 6);
    // While scrolled away, a book change does not pull the ladder back.
    ladder.setBook(bookAt(5));
    frames.frame();
    expect(Number(topPrice())).toBeCloseTo(Number(centred) - 0.03, 6);
    ladder.recenter();
    frames.frame();
    expect(topPrice()).toBe(centred);
  });

  it("arrow keys move a visible focus row and c recentres", () => {
    root.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
    frames.frame();
    const focused = body.querySelectorAll(".outline-accent");
    expect(focused).toHaveLength(1);
    ladder.scrollBy(10);
    frames.frame();
    const scrolled = body.querySelector<HTMLElement>("[data-ladder-row]")!.dataset.price;
    root.dispatchEvent(new KeyboardEvent("keydown", { key: "c", bubbles: true }));
    frames.frame();
    expect(body.querySelector<HTMLElement>("[data-ladder-row]")!.dataset.price).not.toBe(scrolled);
  });
});
