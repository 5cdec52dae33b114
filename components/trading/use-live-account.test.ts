import { describe, expect, it } from "vitest";

import { filledInWindow } from "@/components/trading/orders/order-groups-panel";
import { mergeOrderUpdate } from "@/components/trading/use-live-account";
import type { Order, OrderList } from "@/lib/schemas/order";
import type { Fill } from "@/lib/schemas/portfolio";

const order = (id: string, patch: Partial<Order> = {}): Order => ({
  order_id: id,
  ticker: "KXTEST-1",
  outcome_side: "yes",
  book_side: "bid",
  type: "limit",
  status: "resting",
  yes_price_dollars: "0.5000",
  no_price_dollars: "0.5000",
  fill_count_fp: "0.00",
  remaining_count_fp: "10.00",
  initial_count_fp: "10.00",
  taker_fees_dollars: "0.0000",
  maker_fees_dollars: "0.0000",
  ...patch,
});
const list = (...orders: Order[]): OrderList => ({ orders, cursor: "" });

describe("mergeOrderUpdate", () => {
  it("updates a working order's fill and price from the stream", () => {
    const merged = mergeOrderUpdate(
      list(order("a")),
      {
        order_id: "a",
        ticker: "KXTEST-1",
        status: "resting",
        fill_count_fp: "4.00",
        remaining_count_fp: "6.00",
        yes_price_dollars: "0.5100",
      },
      "KXTEST-1",
    );
    expect(merged?.orders[0]).toMatchObject({
      fill_count_fp: "4.00",
      remaining_count_fp: "6.00",
      yes_price_dollars: "0.5100",
    });
  });

  it("drops an order that stopped resting, and ignores other markets in a one-market list", () => {
    expect(
      mergeOrderUpdate(
        list(order("a")),
        { order_id: "a", ticker: "KXTEST-1", status: "canceled" },
        "KXTEST-1",
      )?.orders,
    ).toEqual([]);
    const other = list(order("a"));
    expect(
      mergeOrderUpdate(other, { order_id: "b", ticker: "OTHER", status: "resting" }, "KXTEST-1"),
    ).toBe(other);
  });

  it("adds a complete new resting order; leaves an incomplete one to the refetch", () => {
    const complete = {
      order_id: "n",
      ticker: "KXTEST-1",
      status: "resting",
      book_side: "ask",
      yes_price_dollars: "0.6000",
      remaining_count_fp: "2.00",
      fill_count_fp: "0.00",
    };
    expect(mergeOrderUpdate(list(), complete, null)?.orders[0]).toMatchObject({
      order_id: "n",
      book_side: "ask",
    });
    const partial = list();
    expect(
      mergeOrderUpdate(partial, { order_id: "n", ticker: "KXTEST-1", status: "resting" }, null),
    ).toBe(partial);
  });

  it("leaves a not-yet-loaded list alone", () => {
    expect(mergeOrderUpdate(undefined, { order_id: "a", status: "resting" }, null)).toBeUndefined();
  });
});

describe("filledInWindow", () => {
  const fill = (orderId: string, count: string, at: string): Fill => ({
    fill_id: `${orderId}-${at}`,
    trade_id: "t",
    order_id: orderId,
    ticker: "KXTEST-1",
    outcome_side: "yes",
    book_side: "bid",
    count_fp: count,
    yes_price_dollars: "0.5000",
    no_price_dollars: "0.5000",
    is_taker: true,
    created_time: at,
    fee_cost: "0.0100",
  });
  it("sums the group's fills of the last 15 seconds only", () => {
    const now = Date.parse("2026-01-01T00:00:20Z");
    const fills = [
      fill("g1", "2.50", "2026-01-01T00:00:19Z"),
      fill("g2", "1.00", "2026-01-01T00:00:06Z"),
      fill("g1", "5.00", "2026-01-01T00:00:01Z"),
      fill("other", "9.00", "2026-01-01T00:00:19Z"),
    ];
    expect(filledInWindow(fills, new Set(["g1", "g2"]), now)).toBe(350);
  });
});
