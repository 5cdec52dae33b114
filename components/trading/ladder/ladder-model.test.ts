import { describe, expect, it } from "vitest";

import { parseDollars } from "@/lib/fixed-point";
import type { BookView } from "@/lib/gateway/order-book";
import { PRICE_LEVEL_STRUCTURES } from "@/lib/price-grid";

import { ladderAxis } from "./ladder-grid";
import {
  bookSideOfOrder,
  buildRows,
  centreRow,
  placeIntentFor,
  type LadderInputs,
  type LadderOrderLike,
} from "./ladder-model";

const $ = (text: string) => parseDollars(text);
const cent = PRICE_LEVEL_STRUCTURES.linear_cent!;

// YES bids at 40¢ (10) and 39¢ (3); NO bids at 55¢ (5) and 50¢ (7) = YES asks at 45¢ and 50¢.
const book: BookView = {
  bids: [
    [$("0.40"), 1000],
    [$("0.39"), 300],
  ],
  asks: [
    [$("0.45"), 500],
    [$("0.50"), 700],
  ],
  seq: 7,
};

function inputs(view: "yes" | "no", extra: Partial<LadderInputs> = {}): LadderInputs {
  return {
    axis: ladderAxis(cent, view),
    book,
    orders: [],
    queue: new Map(),
    volumes: new Map(),
    lastTrade: null,
    ...extra,
  };
}

function rowAt(input: LadderInputs, displayed: string) {
  const index = input.axis.display.indexOf($(displayed));
  return buildRows(input, index, index + 1)[0]!;
}

describe("duality: one book read from the YES or the NO side", () => {
  it("YES view: YES bids left, NO bids as YES asks at 1 − p on the right", () => {
    const yes = inputs("yes");
    expect(rowAt(yes, "0.40")).toMatchObject({ bidSize: 1000, askSize: 0, bestBid: true });
    expect(rowAt(yes, "0.45")).toMatchObject({ bidSize: 0, askSize: 500, bestAsk: true });
    expect(rowAt(yes, "0.50").askSize).toBe(700);
    expect(rowAt(yes, "0.42")).toMatchObject({ inSpread: true, bidSize: 0, askSize: 0 });
    expect(rowAt(yes, "0.46").inSpread).toBe(false);
  });

  it("NO view: NO bids left at their own price, YES bids as NO asks at 1 − p", () => {
    const no = inputs("no");
    // NO bid at 55¢ (the YES ask at 45¢) is the best NO bid.
    expect(rowAt(no, "0.55")).toMatchObject({ bidSize: 500, askSize: 0, bestBid: true });
    expect(rowAt(no, "0.50").bidSize).toBe(700);
    // YES bid at 40¢ is a NO ask at 60¢, the best one.
    expect(rowAt(no, "0.60")).toMatchObject({ bidSize: 0, askSize: 1000, bestAsk: true });
    expect(rowAt(no, "0.61").askSize).toBe(300);
    expect(rowAt(no, "0.58").inSpread).toBe(true);
  });

  it("a click in a column buys the leg that joins that side of the book", () => {
    // YES view: bid column buys YES at the row price; ask column buys NO at 1 − p.
    expect(placeIntentFor("yes", "bid", $("0.40"), 200)).toEqual({
      side: "yes",
      action: "buy",
      price: $("0.40"),
      count: 200,
    });
    expect(placeIntentFor("yes", "ask", $("0.45"), 200)).toEqual({
      side: "no",
      action: "buy",
      price: $("0.55"),
      count: 200,
    });
    // NO view row showing 55¢ (YES 45¢): its bid column buys NO at 55¢.
    expect(placeIntentFor("no", "bid", $("0.45"), 100)).toMatchObject({
      side: "no",
      price: $("0.55"),
    });
    expect(placeIntentFor("no", "ask", $("0.40"), 100)).toMatchObject({
      side: "yes",
      price: $("0.40"),
    });
  });
});

describe("row model from a book and my orders", () => {
  const orders: LadderOrderLike[] = [
    { orderId: "buy-yes", side: "yes", action: "buy", yesPrice: $("0.40"), remaining: 200 },
    { orderId: "buy-no", side: "no", action: "buy", yesPrice: $("0.45"), remaining: 150 },
    { orderId: "sell-yes", side: "yes", action: "sell", yesPrice: $("0.50"), remaining: 100 },
    { orderId: "sell-no", side: "no", action: "sell", yesPrice: $("0.39"), remaining: 100 },
  ];
  const queue = new Map([
    ["buy-yes", 800],
    ["buy-no", 0],
  ]);

  it("places each order on its YES-scale side with remaining size and queue position", () => {
    expect(orders.map(bookSideOfOrder)).toEqual(["bid", "ask", "ask", "bid"]);
    const yes = inputs("yes", { orders, queue });
    expect(rowAt(yes, "0.40").myBids).toEqual([{ orderId: "buy-yes", remaining: 200, queue: 800 }]);
    expect(rowAt(yes, "0.45").myAsks).toEqual([{ orderId: "buy-no", remaining: 150, queue: 0 }]);
    expect(rowAt(yes, "0.50").myAsks[0]).toMatchObject({ orderId: "sell-yes", queue: undefined });
    expect(rowAt(yes, "0.39").myBids[0]?.orderId).toBe("sell-no");
  });

  it("mirrors my orders in the NO view: my NO bid shows as a bid at its NO price", () => {
    const no = inputs("no", { orders, queue });
    expect(rowAt(no, "0.55").myBids).toEqual([{ orderId: "buy-no", remaining: 150, queue: 0 }]);
    expect(rowAt(no, "0.60").myAsks[0]?.orderId).toBe("buy-yes");
  });

  it("carries volume at price and the last-trade marker on the YES price's row", () => {
    const yes = inputs("yes", { volumes: new Map([[$("0.42"), 2500]]), lastTrade: $("0.42") });
    expect(rowAt(yes, "0.42")).toMatchObject({ volume: 2500, lastTrade: true });
    const no = inputs("no", { volumes: new Map([[$("0.42"), 2500]]), lastTrade: $("0.42") });
    expect(rowAt(no, "0.58")).toMatchObject({ volume: 2500, lastTrade: true });
  });

  it("centres on the mid of the inside market, else the last trade", () => {
    const yes = inputs("yes");
    const mid = centreRow(yes.axis, book, null);
    // Rows 40¢ and 45¢: the mid row is 42¢ or 43¢.
    expect([$("0.42"), $("0.43")]).toContain(yes.axis.yes[mid]);
    expect(yes.axis.yes[centreRow(yes.axis, null, $("0.77"))]).toBe($("0.77"));
  });
});
