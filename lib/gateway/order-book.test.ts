import { describe, expect, it } from "vitest";
import { OrderBook, toWireLevels } from "@/lib/gateway/order-book";
import { parseTopic } from "@/lib/gateway/protocol";

describe("OrderBook", () => {
  it("applies deltas and lists levels best first", () => {
    const book = new OrderBook();
    book.replace(
      [
        [400_000, 1_000],
        [420_000, 500],
      ],
      [
        [600_000, 300],
        [580_000, 0],
      ],
    );
    expect(book.applyDelta("bid", 420_000, -500)).toBe(0);
    expect(book.applyDelta("ask", 590_000, 250)).toBe(250);
    expect(toWireLevels(book.levels("bid"))).toEqual([["0.4000", "10.00"]]);
    expect(toWireLevels(book.levels("ask"))).toEqual([
      ["0.5900", "2.50"],
      ["0.6000", "3.00"],
    ]);
    book.setLevel("ask", 600_000, 0);
    expect(book.levelCount).toBe(2);
  });
});

describe("topics", () => {
  it("parses market and global topics and rejects the rest", () => {
    expect(parseTopic("book:KXHIGHNY-26JAN01-B45.5")).toEqual({
      kind: "book",
      ticker: "KXHIGHNY-26JAN01-B45.5",
    });
    expect(parseTopic("fills")).toEqual({ kind: "fills" });
    expect(parseTopic("book:")).toBeNull();
    expect(parseTopic("book:lower")).toBeNull();
    expect(parseTopic("orders:X")).toBeNull();
    expect(parseTopic("everything")).toBeNull();
  });
});
