/**
 * Order groups inside the engine, on a manual clock: the rolling 15-second
 * window of filled contracts, the trip (resting orders canceled, new orders
 * refused), reset, limit updates, delete, and the bus events the
 * `order_group_updates` channel is built from.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { parseDollars } from "@/lib/fixed-point";
import type { SimEvent } from "@/server/sim/bus";
import type { ManualClock } from "@/server/sim/clock";
import type { SimExchange } from "@/server/sim/exchange";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import {
  createOrderGroup,
  deleteOrderGroup,
  findOrderGroup,
  ORDER_GROUP_WINDOW_MS,
  orderGroupVolume,
  resetOrderGroup,
  triggerOrderGroup,
  updateOrderGroupLimit,
  type OrderGroupRecord,
} from "@/server/sim/order-groups/order-group-store";
import type { SimState } from "@/server/sim/state";
import {
  addMarket,
  addUser,
  catchSimError,
  cashOf,
  makeEngineExchange,
  snapshotEngine,
} from "@/server/sim/testing/engine-fixtures";

let exchange: SimExchange;
let state: SimState;
let clock: ManualClock;
let market: MarketRecord;
let alice: UserRecord;
let bob: UserRecord;
let events: Extract<SimEvent, { kind: "order_group" }>[];

beforeEach(() => {
  ({ exchange, state, clock } = makeEngineExchange());
  market = addMarket(state);
  alice = addUser(state, 100_000);
  bob = addUser(state, 100_000);
  events = [];
  state.bus.subscribe((event) => {
    if (event.kind === "order_group") events.push(event);
  });
});

function place(
  user: UserRecord,
  side: "bid" | "ask",
  price: string,
  contracts: number,
  orderGroupId?: string,
) {
  return exchange.engine.placeOrder({
    userId: user.userId,
    ticker: market.ticker,
    side,
    price: parseDollars(price),
    count: contracts * 100,
    timeInForce: "good_till_canceled",
    orderGroupId,
  });
}

function group(limitContracts: number, user = alice, subaccount = 0): OrderGroupRecord {
  return createOrderGroup(state, {
    userId: user.userId,
    subaccount,
    contractsLimit: limitContracts * 100,
  });
}

const cancel = (order: { userId: string; orderId: string }) => {
  exchange.engine.cancelOrder(order.userId, order.orderId, "group");
};

describe("placement checks", () => {
  it("refuses an unknown group, someone else's group, and another subaccount's group, changing nothing", () => {
    const bobs = group(10, bob);
    alice.subaccountCount = 1;
    const sub1 = group(10, alice, 1);
    const before = snapshotEngine(state);
    const unknown = catchSimError(() => place(alice, "bid", "0.40", 1, "no-such-group"));
    expect([unknown.status, unknown.code]).toEqual([400, "ORDER_GROUP_NOT_FOUND"]);
    const foreign = catchSimError(() => place(alice, "bid", "0.40", 1, bobs.orderGroupId));
    expect([foreign.status, foreign.code, foreign.message]).toEqual([
      400,
      "ORDER_GROUP_NOT_FOUND",
      `order_group_id: order group ${bobs.orderGroupId} not found`,
    ]);
    const wrongSub = catchSimError(() => place(alice, "bid", "0.40", 1, sub1.orderGroupId));
    expect([wrongSub.status, wrongSub.code]).toEqual([400, "ORDER_GROUP_SUBACCOUNT_MISMATCH"]);
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("records every order placed into the group, in order", () => {
    const g = group(100);
    const a = place(alice, "bid", "0.40", 1, g.orderGroupId);
    const b = place(alice, "bid", "0.41", 2, g.orderGroupId);
    place(alice, "bid", "0.42", 3);
    expect(findOrderGroup(state, alice.userId, g.orderGroupId).orderIds).toEqual([
      a.order.orderId,
      b.order.orderId,
    ]);
    expect(a.order.orderGroupId).toBe(g.orderGroupId);
  });
});

describe("rolling 15-second limit on filled contracts", () => {
  it("trips when fills within 15 s exceed the limit: resting orders canceled, cash released, new orders refused", () => {
    const g = group(10);
    const resting = place(alice, "bid", "0.30", 5, g.orderGroupId); // never fills
    const maker = place(alice, "bid", "0.50", 20, g.orderGroupId);
    const cashWithOrders = cashOf(state, alice);

    place(bob, "ask", "0.50", 6); // 6 filled: at or under the limit
    expect(g.triggered).toBe(false);
    expect(orderGroupVolume(state, g)).toBe(600);
    clock.advance(ORDER_GROUP_WINDOW_MS - 1);
    place(bob, "ask", "0.50", 5); // 11 within 15 s > 10
    expect(g.triggered).toBe(true);
    expect(maker.order.status).toBe("canceled");
    expect(maker.order.fillCount).toBe(1_100);
    expect(resting.order.status).toBe("canceled");
    expect(state.book(market.ticker).depth("bid")).toEqual([]);
    // 11 contracts bought at $0.50; both reservations returned.
    expect(cashOf(state, alice)).toBeGreaterThan(cashWithOrders);

    const refused = catchSimError(() => place(alice, "bid", "0.40", 1, g.orderGroupId));
    expect([refused.status, refused.code]).toEqual([409, "ORDER_GROUP_TRIGGERED"]);
    expect(events.map((e) => e.eventType)).toEqual(["created", "triggered"]);
  });

  it("does not trip when the same fills are spread across windows", () => {
    const g = group(10);
    place(alice, "bid", "0.50", 30, g.orderGroupId);
    place(bob, "ask", "0.50", 6);
    clock.advance(ORDER_GROUP_WINDOW_MS); // the first 6 leave the window
    place(bob, "ask", "0.50", 5);
    expect(orderGroupVolume(state, g)).toBe(500);
    clock.advance(ORDER_GROUP_WINDOW_MS);
    place(bob, "ask", "0.50", 10); // exactly the limit is not "exceeds"
    expect(g.triggered).toBe(false);
    expect(orderGroupVolume(state, g)).toBe(1_000);
  });

  it("stops a taker in a group at the fill that trips it: the rest of the sweep never fills", () => {
    const g = group(10);
    place(bob, "ask", "0.50", 8);
    place(bob, "ask", "0.51", 8);
    place(bob, "ask", "0.52", 8);
    const taker = place(alice, "bid", "0.52", 24, g.orderGroupId);
    // 8 + 8 = 16 > 10 trips after the second level; the third level is untouched.
    expect(taker.fillCount).toBe(1_600);
    expect(taker.order.status).toBe("canceled");
    expect(taker.remainingCount).toBe(0);
    expect(state.book(market.ticker).depth("ask")).toEqual([[parseDollars("0.52"), 800]]);
    expect(state.book(market.ticker).depth("bid")).toEqual([]);
  });

  it("cancels a tripped maker group's other orders before a sweep reaches them", () => {
    const g = group(5);
    place(alice, "ask", "0.50", 6, g.orderGroupId);
    const next = place(alice, "ask", "0.51", 6, g.orderGroupId);
    const taker = place(bob, "bid", "0.51", 12);
    expect(taker.fillCount).toBe(600);
    expect(next.order.status).toBe("canceled");
    expect(next.order.fillCount).toBe(0);
    expect(taker.order.status).toBe("resting"); // Bob's remainder rests at 0.51
    expect(state.book(market.ticker).depth("bid")).toEqual([[parseDollars("0.51"), 600]]);
  });

  it("reset clears the trigger and the counter and lets orders in again", () => {
    const g = group(2);
    place(alice, "bid", "0.50", 5, g.orderGroupId);
    place(bob, "ask", "0.50", 3);
    expect(g.triggered).toBe(true);
    resetOrderGroup(state, g);
    expect(g.triggered).toBe(false);
    expect(orderGroupVolume(state, g)).toBe(0);
    const again = place(alice, "bid", "0.45", 1, g.orderGroupId);
    expect(again.order.status).toBe("resting");
    expect(events.map((e) => e.eventType)).toEqual(["created", "triggered", "reset"]);
  });
});

describe("manual actions", () => {
  it("trigger cancels resting orders even under the limit", () => {
    const g = group(1_000);
    const a = place(alice, "bid", "0.40", 5, g.orderGroupId);
    triggerOrderGroup(state, g, cancel);
    expect(a.order.status).toBe("canceled");
    expect(catchSimError(() => place(alice, "bid", "0.40", 1, g.orderGroupId)).code).toBe(
      "ORDER_GROUP_TRIGGERED",
    );
  });

  it("a limit lowered below the rolling volume triggers; above it does not", () => {
    const g = group(100);
    place(alice, "bid", "0.50", 50, g.orderGroupId);
    place(bob, "ask", "0.50", 8);
    updateOrderGroupLimit(state, g, 900, cancel);
    expect(g.triggered).toBe(false);
    updateOrderGroupLimit(state, g, 700, cancel);
    expect(g.triggered).toBe(true);
    expect(state.book(market.ticker).depth("bid")).toEqual([]);
    const limits = events
      .filter((e) => e.eventType === "limit_updated")
      .map((e) => e.contractsLimit);
    expect(limits).toEqual([900, 700]);
    expect(events.map((e) => e.eventType)).toEqual([
      "created",
      "limit_updated",
      "limit_updated",
      "triggered",
    ]);
    expect(events[0]?.contractsLimit).toBe(10_000);
    expect(events[3]?.contractsLimit).toBeNull();
  });

  it("delete cancels resting orders and removes the group", () => {
    const g = group(10);
    const a = place(alice, "bid", "0.40", 5, g.orderGroupId);
    deleteOrderGroup(state, g, cancel);
    expect(a.order.status).toBe("canceled");
    expect(catchSimError(() => findOrderGroup(state, alice.userId, g.orderGroupId)).status).toBe(
      404,
    );
    expect(catchSimError(() => place(alice, "bid", "0.40", 1, g.orderGroupId)).code).toBe(
      "ORDER_GROUP_NOT_FOUND",
    );
    expect(events.at(-1)).toMatchObject({
      eventType: "deleted",
      orderGroupId: g.orderGroupId,
      userId: alice.userId,
    });
  });
});
