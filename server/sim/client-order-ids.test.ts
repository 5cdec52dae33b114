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
});
