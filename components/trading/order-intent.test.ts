import { describe, expect, it } from "vitest";

import {
  amendOrderBody,
  createAmendIntent,
  createPlaceIntent,
  fromBookOrder,
  placeOrderBody,
  toBookOrder,
} from "@/components/trading/order-intent";
import { OncePerIntent } from "@/components/trading/once-per-intent";
import { CreateOrderBody } from "@/lib/schemas/order";

describe("toBookOrder", () => {
  it("puts buy YES and sell NO on the bid, sell YES and buy NO on the ask", () => {
    expect(toBookOrder("yes", "buy", 560_000)).toEqual({ bookSide: "bid", yesPrice: 560_000 });
    expect(toBookOrder("yes", "sell", 560_000)).toEqual({ bookSide: "ask", yesPrice: 560_000 });
    expect(toBookOrder("no", "buy", 440_000)).toEqual({ bookSide: "ask", yesPrice: 560_000 });
    expect(toBookOrder("no", "sell", 440_000)).toEqual({ bookSide: "bid", yesPrice: 560_000 });
  });

  it("round-trips through fromBookOrder for the side being viewed", () => {
    for (const side of ["yes", "no"] as const) {
      for (const action of ["buy", "sell"] as const) {
        const { bookSide, yesPrice } = toBookOrder(side, action, 123_400);
        expect(fromBookOrder(bookSide, yesPrice, side)).toEqual({ action, price: 123_400 });
      }
    }
  });
});

describe("placeOrderBody", () => {
  it("formats prices and counts as Kalshi does and passes the schema", () => {
    const intent = createPlaceIntent(
      {
        ticker: "KXTEST-1",
        side: "no",
        action: "buy",
        price: 440_000,
        count: 1050,
        postOnly: true,
        subaccount: 0,
        expirationTime: 2_000_000_000,
      },
      () => "cid-1",
    );
    const body = placeOrderBody(intent);
    expect(body).toEqual({
      ticker: "KXTEST-1",
      side: "ask",
      count: "10.50",
      price: "0.5600",
      time_in_force: "good_till_canceled",
      self_trade_prevention_type: "taker_at_cross",
      client_order_id: "cid-1",
      expiration_time: 2_000_000_000,
      post_only: true,
    });
    expect(CreateOrderBody.safeParse(body).success).toBe(true);
  });

  it("drops the expiration for immediate-or-cancel", () => {
    const intent = createPlaceIntent({
      ticker: "KXTEST-1",
      side: "yes",
      action: "buy",
      price: 10_000,
      count: 1,
      timeInForce: "immediate_or_cancel",
      expirationTime: 2_000_000_000,
    });
    expect(placeOrderBody(intent).expiration_time).toBeUndefined();
    expect(CreateOrderBody.safeParse(placeOrderBody(intent)).success).toBe(true);
  });

  it("keeps one client_order_id per intent, a new one per new intent", () => {
    const input = {
      ticker: "KXTEST-1",
      side: "yes" as const,
      action: "buy" as const,
      price: 500_000,
      count: 100,
    };
    const intent = createPlaceIntent(input);
    expect(placeOrderBody(intent).client_order_id).toBe(placeOrderBody(intent).client_order_id);
    expect(createPlaceIntent(input).clientOrderId).not.toBe(intent.clientOrderId);
    expect(intent.clientOrderId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe("amendOrderBody", () => {
  const order = {
    orderId: "o1",
    ticker: "KXTEST-1",
    bookSide: "bid" as const,
    yesPrice: 500_000,
    filled: 300,
    remaining: 700,
  };
  it("sends the max fillable count (filled + remaining) when only the price moves", () => {
    const body = amendOrderBody(createAmendIntent(order, { yesPrice: 510_000 }, () => "u1"));
    expect(body).toEqual({
      ticker: "KXTEST-1",
      side: "bid",
      price: "0.5100",
      count: "10.00",
      updated_client_order_id: "u1",
    });
  });
  it("keeps the price when only the size changes", () => {
    const body = amendOrderBody(createAmendIntent(order, { remaining: 200 }));
    expect(body.price).toBe("0.5000");
    expect(body.count).toBe("5.00");
  });
});

describe("OncePerIntent", () => {
  it("shares one send between a double click and answers a later send from the first result", async () => {
    const once = new OncePerIntent();
    let sends = 0;
    let release: (value: string) => void = () => {};
    const send = () => {
      sends += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const first = once.run("k", send);
    const second = once.run("k", send);
    release("placed");
    expect(await first).toBe("placed");
    expect(await second).toBe("placed");
    expect(await once.run("k", send)).toBe("placed");
    expect(sends).toBe(1);
  });

  it("lets a failed intent be retried with the same key", async () => {
    const once = new OncePerIntent();
    const keys: string[] = [];
    await expect(
      once.run("k", () => {
        keys.push("k");
        return Promise.reject(new Error("network"));
      }),
    ).rejects.toThrow("network");
    expect(await once.run("k", () => (keys.push("k"), Promise.resolve("ok")))).toBe("ok");
    expect(keys).toEqual(["k", "k"]);
  });
});
