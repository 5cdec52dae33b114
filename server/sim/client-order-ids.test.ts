/**
 * Ids of the exchange's own shape are kept by number (order table, client
 * order ids): one spelling per number, so another spelling of the same digits
 * (upper case, a sign) is a different id, and an engine-made client order id
 * is refused when a client sends it again, exactly like one the client chose.
 */
import { describe, expect, it } from "vitest";
import { IdGenerator } from "@/server/sim/ids";
import {
  addMarket,
  addUser,
  catchSimError,
  makeEngineExchange,
} from "@/server/sim/testing/engine-fixtures";

describe("ids kept by number", () => {
  it("reads only the canonical spelling of an id back as its number", () => {
    const ids = new IdGenerator(3);
    const id = ids.next();
    const n = ids.numberOf(id);
    expect(n).toBe(1);
    expect(ids.format(1)).toBe(id);
    const last = id.slice(-12);
    for (const other of [
      id.slice(0, -12) + last.toUpperCase().replace("1", "A"),
      id.slice(0, -12) + "+00000000001",
      id.slice(0, -12) + "0000000000 1",
      id.slice(0, -1),
      `${id}0`,
      new IdGenerator(4).next(),
    ]) {
      expect(ids.numberOf(other), other).toBeNull();
    }
    expect(ids.numberOf(id.slice(0, -12) + "00000000abcd")).toBe(0xabcd);
  });

  it("finds orders only by their exact id", () => {
    const { state, exchange } = makeEngineExchange();
    const market = addMarket(state, { ticker: "KXIDS-26JAN01-T50" });
    const user = addUser(state, 1_000_000);
    const { order } = exchange.engine.placeOrder({
      userId: user.userId,
      ticker: market.ticker,
      side: "bid",
      price: 400_000,
      count: 100,
      timeInForce: "good_till_canceled",
    });
    expect(state.orders.get(order.orderId)).toBe(order);
    expect(state.orders.get(order.orderId.toUpperCase())).toBeUndefined();
    expect(state.orders.has(`${order.orderId.slice(0, -1)}x`)).toBe(false);
    expect([...state.orders.keys()]).toEqual([order.orderId]);
  });

  it("refuses a client order id the engine made, sent again; another spelling is a new id", () => {
    const { state, exchange } = makeEngineExchange();
    const market = addMarket(state, { ticker: "KXIDS-26JAN01-T50" });
    const user = addUser(state, 1_000_000);
    const place = (clientOrderId?: string) =>
      exchange.engine.placeOrder({
        userId: user.userId,
        ticker: market.ticker,
        side: "bid",
        price: 400_000,
        count: 100,
        timeInForce: "good_till_canceled",
        clientOrderId,
      });
    const made = place().order.clientOrderId;
    expect(state.ids.numberOf(made)).not.toBeNull();
    expect(catchSimError(() => place(made)).code).toBe("ORDER_ALREADY_EXISTS");
    const upper = place(made.toUpperCase());
    expect(upper.order.clientOrderId).toBe(made.toUpperCase());
    expect(state.clientOrderIds.size).toBe(2);
    expect(new Map(state.clientOrderIds.entries()).get(`${user.userId}|${made}`)).toBeDefined();
  });

  it("keeps an engine-made id reserved after a rename, and frees it with its evicted order", () => {
    const { state, exchange } = makeEngineExchange();
    const market = addMarket(state, { ticker: "KXIDS-26JAN01-T50" });
    const user = addUser(state, 1_000_000);
    const place = (clientOrderId?: string, price = 400_000) =>
      exchange.engine.placeOrder({
        userId: user.userId,
        ticker: market.ticker,
        side: "bid",
        price,
        count: 100,
        timeInForce: "good_till_canceled",
        clientOrderId,
      });
    const renamed = place().order;
    const made = renamed.clientOrderId;
    exchange.engine.amendOrder(user.userId, renamed.orderId, {
      ticker: market.ticker,
      side: "bid",
      price: renamed.price,
      count: 100,
      updatedClientOrderId: "renamed",
    });
    expect(state.clientOrderIds.get(user.userId, made)).toBe(renamed.orderId);
    expect(state.clientOrderIds.get(user.userId, "renamed")).toBe(renamed.orderId);
    expect(catchSimError(() => place(made)).code).toBe("ORDER_ALREADY_EXISTS");

    // A made id of an order that left memory may be used again (as a chosen one may).
    const canceled = place(undefined, 300_000).order;
    exchange.engine.cancelOrder(user.userId, canceled.orderId);
    expect(state.clientOrderIds.has(user.userId, canceled.clientOrderId)).toBe(true);
    state.orders.delete(canceled.orderId); // as retention evicts it
    expect(state.clientOrderIds.has(user.userId, canceled.clientOrderId)).toBe(false);
    expect(place(canceled.clientOrderId, 200_000).order.clientOrderId).toBe(canceled.clientOrderId);
  });
});
