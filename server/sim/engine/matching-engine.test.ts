import { beforeEach, describe, expect, it } from "vitest";
import type { Centis, Micros } from "@/lib/fixed-point";
import type { SimEvent } from "@/server/sim/bus";
import type { MatchingEngine, PlaceOrderInput } from "@/server/sim/engine/matching-engine";
import type { BookSide, MarketRecord, OrderRecord, UserRecord } from "@/server/sim/model";
import { createOrderGroup } from "@/server/sim/order-groups/order-group-store";
import type { SimState } from "@/server/sim/state";
import {
  addMarket,
  addUser,
  catchSimError,
  makeEngineExchange,
  snapshotEngine,
  usd,
  type EngineFixture,
} from "@/server/sim/testing/engine-fixtures";

// ------------------------------------------------------------------ independent fee model
// Written from getting_started/fee_rounding.md and the fee schedule, deliberately
// without lib/fees.ts, so the engine's numbers are checked against a second
// implementation rather than against themselves.

const CENT = 10_000;

/** Quadratic trade fee rate × C × P × (1 − P), ceiled to $0.0001; `ratePerTenThousand` 700 = 0.07. */
function quadraticFee(price: Micros, count: Centis, ratePerTenThousand = 700n): Micros {
  // dollars = rate/1e4 × count/1e2 × P/1e6 × (1e6 − P)/1e6; in $0.0001 units: × 1e4.
  const numerator = ratePerTenThousand * BigInt(count) * BigInt(price) * BigInt(1_000_000 - price);
  const denominator = 100_000_000_000_000n; // 1e4 × 1e2 × 1e12 / 1e4
  const centicents = (numerator + denominator - 1n) / denominator;
  return Number(centicents) * 100;
}

interface ExpectedFill {
  /** Net fee: trade fee + rounding − rebate. */
  net: Micros;
  /** What the free balance moves by for this fill, excluding reservations and netting payouts. */
  cashChange: Micros;
  accumulatorAfter: Micros;
}

/** The docs' rounding mechanics and accumulator across the fills of one order. */
function roundFills(
  fills: Array<{ cost: Micros; fee: Micros }>,
  precision: Micros = CENT,
): ExpectedFill[] {
  let accumulator = 0;
  return fills.map(({ cost, fee }) => {
    const raw = -cost - fee;
    const floored = Math.floor(raw / precision) * precision;
    const rounding = raw - floored;
    accumulator += rounding;
    let rebate = 0;
    if (accumulator > CENT) {
      rebate = CENT;
      accumulator -= CENT;
    }
    return {
      net: fee + rounding - rebate,
      cashChange: floored + rebate,
      accumulatorAfter: accumulator,
    };
  });
}

// ------------------------------------------------------------------ fixture plumbing

let fx: EngineFixture;
let state: SimState;
let engine: MatchingEngine;
let market: MarketRecord;
let alice: UserRecord;
let bob: UserRecord;
let carol: UserRecord;

const START = usd("100");

function setup(
  options: { structure?: string; feeType?: "quadratic" | "quadratic_with_maker_fees" } = {},
): void {
  fx = makeEngineExchange({ seed: 7 });
  state = fx.state;
  engine = fx.exchange.engine;
  market = addMarket(
    state,
    { ticker: "KXTEST-26JAN01-T50", priceLevelStructure: options.structure ?? "linear_cent" },
    { feeType: options.feeType ?? "quadratic" },
  );
  alice = addUser(state, 10_000);
  bob = addUser(state, 10_000);
  carol = addUser(state, 10_000);
}

function order(
  user: UserRecord,
  side: BookSide,
  price: string,
  count: Centis,
  extra: Partial<PlaceOrderInput> = {},
): PlaceOrderInput {
  return {
    userId: user.userId,
    ticker: market.ticker,
    side,
    price: usd(price),
    count,
    timeInForce: "good_till_canceled",
    ...extra,
  };
}

function place(
  user: UserRecord,
  side: BookSide,
  price: string,
  count: Centis,
  extra: Partial<PlaceOrderInput> = {},
) {
  return engine.placeOrder(order(user, side, price, count, extra));
}

function cash(user: UserRecord): Micros {
  return state.balance(user, 0);
}

function positionOf(user: UserRecord): number {
  return state.positions.get(state.positionKey(user.userId, 0, market.ticker))?.position ?? 0;
}

function book() {
  const b = state.book(market.ticker);
  return { bids: b.depth("bid"), asks: b.depth("ask") };
}

/** Cash the user holds, free plus held back for their resting orders. */
function cashWithReservations(user: UserRecord): Micros {
  let reserved = 0;
  for (const o of state.orders.values()) if (o.userId === user.userId) reserved += o.reserved;
  return cash(user) + reserved;
}

// ------------------------------------------------------------------ tests

describe("independent fee model (sanity of the test oracle)", () => {
  it("reproduces the fee_rounding.md walkthroughs given their illustrative trade fees", () => {
    // Example 2: three 0.30 fills at $0.50 with the docs' trade fee of $0.0041.
    const ex2 = roundFills([0, 1, 2].map(() => ({ cost: usd("0.15"), fee: usd("0.0041") })));
    expect(ex2.map((f) => f.net)).toEqual([usd("0.01"), 0, usd("0.01")]);
    expect(ex2.map((f) => f.accumulatorAfter)).toEqual([
      usd("0.0059"),
      usd("0.0018"),
      usd("0.0077"),
    ]);
    // Example 1: three 1-lot fills at $0.055 with the docs' trade fee of $0.0085.
    const ex1 = roundFills([0, 1, 2].map(() => ({ cost: usd("0.055"), fee: usd("0.0085") })));
    expect(ex1.map((f) => f.net)).toEqual([usd("0.015"), usd("0.005"), usd("0.015")]);
    expect(ex1.map((f) => f.cashChange)).toEqual([usd("-0.07"), usd("-0.06"), usd("-0.07")]);
  });

  it("computes the quadratic fee by hand", () => {
    // 0.07 × 10 × 0.55 × 0.45 = 0.17325 → $0.1733
    expect(quadraticFee(usd("0.55"), 1000)).toBe(usd("0.1733"));
    // 0.07 × 0.30 × 0.5 × 0.5 = 0.00525 → $0.0053
    expect(quadraticFee(usd("0.50"), 30)).toBe(usd("0.0053"));
    // maker quarter rate: 0.0175 × 10 × 0.55 × 0.45 = 0.0433125 → $0.0434
    expect(quadraticFee(usd("0.55"), 1000, 175n)).toBe(usd("0.0434"));
  });
});

describe("crossing through the YES/NO duality", () => {
  beforeEach(() => setup());

  it("a bid at 0.60 fills a resting ask at 0.55 at the maker's price; the NO buyer pays 1 − p", () => {
    const ask = place(alice, "ask", "0.55", 1000);
    expect(ask.fillCount).toBe(0);
    const bid = place(bob, "bid", "0.60", 1000);

    expect(bid.fillCount).toBe(1000);
    expect(bid.remainingCount).toBe(0);
    expect(bid.order.status).toBe("executed");
    expect(bid.averageFillPrice).toBe(usd("0.55"));
    expect(state.trades).toHaveLength(1);
    expect(state.trades[0]).toMatchObject({ price: usd("0.55"), count: 1000, takerSide: "bid" });

    // Bob (taker, YES at 0.55): 5.50 + fee 0.1733 = 5.6733, floored to 5.68.
    const [bobFill] = roundFills([{ cost: usd("5.50"), fee: quadraticFee(usd("0.55"), 1000) }]);
    expect(bobFill?.cashChange).toBe(usd("-5.68"));
    expect(cash(bob)).toBe(START + usd("-5.68"));
    expect(cash(bob)).toBe(usd("94.32"));
    // Alice (maker, NO at 1 − 0.55 = 0.45), plain quadratic series: makers pay nothing.
    expect(cash(alice)).toBe(usd("95.50"));
    expect(ask.order.status).toBe("executed");
    expect(ask.order.reserved).toBe(0);
    expect(bid.order.reserved).toBe(0);

    const fills = state.fills;
    expect(
      fills.map((f) => [f.userId, f.side, f.price, f.count, f.isTaker, f.fee, f.postPosition]),
    ).toEqual([
      [bob.userId, "bid", usd("0.55"), 1000, true, usd("0.18"), 1000],
      [alice.userId, "ask", usd("0.55"), 1000, false, 0, -1000],
    ]);
    expect(state.position(bob.userId, 0, market.ticker)).toMatchObject({
      position: 1000,
      cost: usd("5.50"),
    });
    expect(state.position(alice.userId, 0, market.ticker)).toMatchObject({
      position: -1000,
      cost: usd("4.50"),
    });
    expect(market).toMatchObject({
      lastPrice: usd("0.55"),
      volume: 1000,
      openInterest: 1000,
      dollarVolume: usd("5.50"),
    });
    expect(book()).toEqual({ bids: [], asks: [] });
  });

  it("an incoming ask at 0.55 fills a resting bid at 0.60 at 0.60: the taker buys NO at 0.40", () => {
    place(alice, "bid", "0.60", 1000);
    const ask = place(bob, "ask", "0.55", 1000);
    expect(state.trades[0]).toMatchObject({ price: usd("0.60"), takerSide: "ask" });
    // Bob: NO at 0.40 × 10 = 4.00, fee 0.07 × 10 × 0.6 × 0.4 = 0.168 → 4.168 → 4.17.
    const [f] = roundFills([{ cost: usd("4.00"), fee: quadraticFee(usd("0.60"), 1000) }]);
    expect(f?.cashChange).toBe(usd("-4.17"));
    expect(cash(bob)).toBe(usd("95.83"));
    expect(cash(alice)).toBe(usd("94.00"));
    expect(ask.fills[0]?.fee).toBe(usd("0.17"));
    expect(positionOf(bob)).toBe(-1000);
    expect(positionOf(alice)).toBe(1000);
  });

  it("charges makers a quarter rate on quadratic_with_maker_fees series", () => {
    setup({ feeType: "quadratic_with_maker_fees" });
    place(alice, "ask", "0.55", 1000);
    place(bob, "bid", "0.60", 1000);
    // Alice: 4.50 + 0.0434 → 4.5434 → 4.55; Bob unchanged from the taker case.
    const [makerFill] = roundFills([
      { cost: usd("4.50"), fee: quadraticFee(usd("0.55"), 1000, 175n) },
    ]);
    expect(makerFill?.cashChange).toBe(usd("-4.55"));
    expect(cash(alice)).toBe(usd("95.45"));
    expect(cash(bob)).toBe(usd("94.32"));
    expect(state.fills[1]?.fee).toBe(usd("0.05"));
  });

  it("does not cross when the bid is below the best ask", () => {
    place(alice, "ask", "0.55", 1000);
    const bid = place(bob, "bid", "0.54", 1000);
    expect(bid.fillCount).toBe(0);
    expect(book()).toEqual({ bids: [[usd("0.54"), 1000]], asks: [[usd("0.55"), 1000]] });
  });
});

describe("price-time priority", () => {
  beforeEach(() => setup());

  it("fills the older of two asks at the same price first", () => {
    const first = place(alice, "ask", "0.55", 500);
    const second = place(carol, "ask", "0.55", 500);
    const bid = place(bob, "bid", "0.55", 300);
    expect(bid.fills.map((f) => f.count)).toEqual([300]);
    expect(first.order.remainingCount).toBe(200);
    expect(second.order.remainingCount).toBe(500);
    expect(engine.queuePosition(carol.userId, second.order.orderId)).toBe(200);
    expect(engine.queuePosition(alice.userId, first.order.orderId)).toBe(0);
  });

  it("fills a better price before an older worse one", () => {
    const older = place(alice, "ask", "0.55", 500);
    const better = place(carol, "ask", "0.54", 500);
    const bid = place(bob, "bid", "0.60", 700);
    expect(bid.fills.map((f) => [f.price, f.count])).toEqual([
      [usd("0.54"), 500],
      [usd("0.55"), 200],
    ]);
    expect(better.order.status).toBe("executed");
    expect(older.order.remainingCount).toBe(300);
    expect(book()).toEqual({ bids: [], asks: [[usd("0.55"), 300]] });
  });

  it("works the same way on the bid side for incoming asks", () => {
    const worse = place(alice, "bid", "0.40", 500);
    const better = place(carol, "bid", "0.45", 500);
    const ask = place(bob, "ask", "0.30", 600);
    expect(ask.fills.map((f) => [f.price, f.count])).toEqual([
      [usd("0.45"), 500],
      [usd("0.40"), 100],
    ]);
    expect(better.order.status).toBe("executed");
    expect(worse.order.remainingCount).toBe(400);
  });
});

describe("partial fills across levels", () => {
  beforeEach(() => setup());

  it("walks three levels, rests the remainder at the limit, and keeps levels and queue exact", () => {
    place(alice, "ask", "0.50", 100);
    place(alice, "ask", "0.51", 200);
    place(carol, "ask", "0.52", 300);
    place(carol, "ask", "0.53", 400);
    const early = place(carol, "bid", "0.52", 150);
    // Early bid at 0.52 crossed nothing? It did: asks at 0.50 first. Start over cleanly below.
    expect(early.fills.map((f) => [f.price, f.count])).toEqual([
      [usd("0.50"), 100],
      [usd("0.51"), 50],
    ]);

    const bid = place(bob, "bid", "0.52", 1000);
    expect(bid.fills.map((f) => [f.price, f.count])).toEqual([
      [usd("0.51"), 150],
      [usd("0.52"), 300],
    ]);
    expect(bid.fillCount).toBe(450);
    expect(bid.remainingCount).toBe(550);
    expect(bid.order.status).toBe("resting");
    // (0.51 × 1.5 + 0.52 × 3) / 4.5 = 2.325 / 4.5 = 0.516666… → rounded to the micro-dollar.
    expect(bid.averageFillPrice).toBe(516_667);
    expect(book()).toEqual({ bids: [[usd("0.52"), 550]], asks: [[usd("0.53"), 400]] });

    const behind = place(alice, "bid", "0.52", 200);
    expect(engine.queuePosition(alice.userId, behind.order.orderId)).toBe(550);
    expect(engine.queuePosition(bob.userId, bid.order.orderId)).toBe(0);
    expect(book().bids).toEqual([[usd("0.52"), 750]]);

    const levels = [...state.book(market.ticker).bids.iterate()];
    expect(levels).toHaveLength(1);
    expect(levels[0]?.orders.map((o) => o.orderId)).toEqual([
      bid.order.orderId,
      behind.order.orderId,
    ]);
    expect(levels[0]?.total).toBe(750);
  });
});

describe("time in force", () => {
  beforeEach(() => setup());

  it("good_till_canceled rests what it cannot fill", () => {
    const r = place(bob, "bid", "0.40", 500);
    expect(r.order.status).toBe("resting");
    expect(r.remainingCount).toBe(500);
    expect(state.restingByMarket.get(market.ticker)?.has(r.order)).toBe(true);
  });

  it("immediate_or_cancel fills what it can and cancels the rest, releasing its reservation", () => {
    place(alice, "ask", "0.50", 300);
    const r = place(bob, "bid", "0.55", 1000, { timeInForce: "immediate_or_cancel" });
    expect(r.fillCount).toBe(300);
    expect(r.remainingCount).toBe(0);
    expect(r.order.status).toBe("canceled");
    expect(r.order.reserved).toBe(0);
    expect(book()).toEqual({ bids: [], asks: [] });
    // 1.50 + 0.07 × 3 × 0.25 = 0.0525 → 1.5525 → 1.56
    expect(cash(bob)).toBe(START - usd("1.56"));
    expect(state.restingByMarket.get(market.ticker)?.has(r.order) ?? false).toBe(false);
  });

  it("fill_or_kill fills completely across levels", () => {
    place(alice, "ask", "0.50", 300);
    place(carol, "ask", "0.51", 300);
    const r = place(bob, "bid", "0.51", 500, { timeInForce: "fill_or_kill" });
    expect(r.fillCount).toBe(500);
    expect(r.order.status).toBe("executed");
    expect(book().asks).toEqual([[usd("0.51"), 100]]);
  });

  it("fill_or_kill without enough volume is rejected and changes nothing", () => {
    place(alice, "ask", "0.50", 300);
    place(carol, "ask", "0.52", 300);
    const before = snapshotEngine(state);
    const error = catchSimError(() =>
      place(bob, "bid", "0.51", 500, { timeInForce: "fill_or_kill" }),
    );
    expect(error.status).toBe(409);
    expect(error.code).toBe("FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME");
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("fill_or_kill does not count the user's own resting orders", () => {
    place(alice, "ask", "0.50", 300);
    place(bob, "ask", "0.50", 300);
    const before = snapshotEngine(state);
    expect(
      catchSimError(() => place(bob, "bid", "0.50", 400, { timeInForce: "fill_or_kill" })).code,
    ).toBe("FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME");
    expect(snapshotEngine(state)).toEqual(before);
  });

  describe("fill_or_kill counts only makers the sweep would fill", () => {
    const group = (user: UserRecord, contracts: number) =>
      createOrderGroup(state, {
        userId: user.userId,
        subaccount: 0,
        contractsLimit: contracts * 100,
      }).orderGroupId;

    it("not the rest of a maker group that trips during the sweep", () => {
      const g = group(alice, 2);
      place(alice, "ask", "0.50", 300, { orderGroupId: g });
      place(alice, "ask", "0.50", 300, { orderGroupId: g });
      place(carol, "ask", "0.50", 200);
      const before = snapshotEngine(state);
      // 3 + 3 + 2 rest, but alice's group trips after her first 3 fill.
      const error = catchSimError(() =>
        place(bob, "bid", "0.50", 800, { timeInForce: "fill_or_kill" }),
      );
      expect(error.code).toBe("FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME");
      expect(snapshotEngine(state)).toEqual(before);
      // What the sweep can fill, it fills completely.
      const r = place(bob, "bid", "0.50", 500, { timeInForce: "fill_or_kill" });
      expect([r.fillCount, r.order.status]).toEqual([500, "executed"]);
    });

    it("not past the point where the taker's own group trips", () => {
      const g = group(bob, 2);
      place(alice, "ask", "0.50", 300);
      place(carol, "ask", "0.51", 300);
      const before = snapshotEngine(state);
      const error = catchSimError(() =>
        place(bob, "bid", "0.51", 600, { timeInForce: "fill_or_kill", orderGroupId: g }),
      );
      expect(error.code).toBe("FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME");
      expect(snapshotEngine(state)).toEqual(before);
    });

    it("past the taker's own orders when self-trade prevention cancels the maker", () => {
      place(bob, "ask", "0.50", 300);
      place(alice, "ask", "0.50", 500);
      const r = place(bob, "bid", "0.50", 500, {
        timeInForce: "fill_or_kill",
        selfTradePrevention: "maker",
      });
      expect([r.fillCount, r.order.status]).toEqual([500, "executed"]);
    });

    it("not a maker whose expiration has passed", () => {
      place(alice, "ask", "0.50", 500, { expirationTime: state.now() + 1_000 });
      place(carol, "ask", "0.51", 500);
      fx.clock.advance(2_000);
      const error = catchSimError(() =>
        place(bob, "bid", "0.51", 800, { timeInForce: "fill_or_kill" }),
      );
      expect(error.code).toBe("FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME");
      // A plain taker does not fill the expired order either.
      const r = place(bob, "bid", "0.51", 800, { timeInForce: "immediate_or_cancel" });
      expect(r.fills.map((f) => f.price)).toEqual([usd("0.51")]);
    });
  });

  it("an expiring GTC order expires after its time and releases its reservation", () => {
    const now = state.now();
    const r = place(bob, "bid", "0.40", 1000, { expirationTime: now + 60_000 });
    expect(r.order.expirationTime).toBe(now + 60_000);
    expect(cash(bob)).toBeLessThan(START - usd("4.00") + 1);
    expect(cashWithReservations(bob)).toBe(START);

    fx.clock.advance(59_999);
    expect(engine.expireOrders()).toBe(0);
    expect(r.order.status).toBe("resting");

    fx.clock.advance(1);
    expect(engine.expireOrders()).toBe(1);
    expect(r.order.status).toBe("canceled");
    expect(r.order.reserved).toBe(0);
    expect(cash(bob)).toBe(START);
    expect(book()).toEqual({ bids: [], asks: [] });
    expect(engine.expireOrders()).toBe(0);
  });

  it("SimExchange.tick expires orders too", () => {
    const r = place(bob, "bid", "0.40", 100, { expirationTime: state.now() + 1_000 });
    fx.clock.advance(1_000);
    fx.exchange.tick();
    expect(r.order.status).toBe("canceled");
    expect(cash(bob)).toBe(START);
  });

  it("rejects expiration_time with immediate_or_cancel and with fill_or_kill", () => {
    const before = snapshotEngine(state);
    for (const timeInForce of ["immediate_or_cancel", "fill_or_kill"] as const) {
      const e = catchSimError(() =>
        place(bob, "bid", "0.40", 100, { timeInForce, expirationTime: state.now() + 60_000 }),
      );
      expect(e.status).toBe(400);
      expect(e.code).toBe("invalid_parameters");
    }
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("rejects an expiration_time in the past or now", () => {
    const before = snapshotEngine(state);
    expect(
      catchSimError(() => place(bob, "bid", "0.40", 100, { expirationTime: state.now() - 1 })).code,
    ).toBe("invalid_parameters");
    expect(
      catchSimError(() => place(bob, "bid", "0.40", 100, { expirationTime: state.now() })).code,
    ).toBe("invalid_parameters");
    expect(snapshotEngine(state)).toEqual(before);
  });
});

describe("post_only", () => {
  beforeEach(() => setup());

  it("is rejected with POST_ONLY_CROSS when it would cross, with nothing changed", () => {
    place(alice, "ask", "0.55", 500);
    const before = snapshotEngine(state);
    const e = catchSimError(() => place(bob, "bid", "0.55", 100, { postOnly: true }));
    expect(e.code).toBe("POST_ONLY_CROSS");
    expect(e.status).toBe(400);
    expect(snapshotEngine(state)).toEqual(before);
    expect(catchSimError(() => place(bob, "bid", "0.60", 100, { postOnly: true })).code).toBe(
      "POST_ONLY_CROSS",
    );
  });

  it("rests when it would not cross", () => {
    place(alice, "ask", "0.55", 500);
    const r = place(bob, "bid", "0.54", 100, { postOnly: true });
    expect(r.order.status).toBe("resting");
    expect(r.order.postOnly).toBe(true);
    expect(book().bids).toEqual([[usd("0.54"), 100]]);
    const ask = place(carol, "ask", "0.56", 100, { postOnly: true });
    expect(ask.order.status).toBe("resting");
  });
});

describe("reduce_only", () => {
  beforeEach(() => {
    setup();
    // Bob ends up long 5 YES, Alice long 5 NO.
    place(alice, "ask", "0.50", 500);
    place(bob, "bid", "0.50", 500);
  });

  it("is capped at the position it reduces", () => {
    const r = place(bob, "ask", "0.60", 800, { reduceOnly: true });
    expect(r.order.initialCount).toBe(500);
    expect(r.order.remainingCount).toBe(500);
    expect(book().asks).toEqual([[usd("0.60"), 500]]);
    // A second reduce-only order on the same side has nothing left to reduce.
    expect(catchSimError(() => place(bob, "ask", "0.61", 100, { reduceOnly: true })).code).toBe(
      "invalid_parameters",
    );
  });

  it("reduces a NO position with a bid", () => {
    const r = place(alice, "bid", "0.45", 900, { reduceOnly: true });
    expect(r.order.initialCount).toBe(500);
  });

  it("is rejected when there is nothing to reduce, with nothing changed", () => {
    const before = snapshotEngine(state);
    expect(catchSimError(() => place(bob, "bid", "0.40", 100, { reduceOnly: true })).code).toBe(
      "invalid_parameters",
    );
    expect(catchSimError(() => place(carol, "ask", "0.60", 100, { reduceOnly: true })).code).toBe(
      "invalid_parameters",
    );
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("closes the position when it trades", () => {
    place(carol, "bid", "0.60", 1000);
    const r = place(bob, "ask", "0.55", 900, {
      reduceOnly: true,
      timeInForce: "immediate_or_cancel",
    });
    expect(r.fillCount).toBe(500);
    expect(positionOf(bob)).toBe(0);
  });
});

describe("self-trade prevention", () => {
  beforeEach(() => {
    setup();
    place(carol, "ask", "0.50", 200);
  });

  it("taker_at_cross stops at the user's own order, keeping the fills made before it", () => {
    const own = place(bob, "ask", "0.51", 300);
    place(carol, "ask", "0.52", 400);
    const r = place(bob, "bid", "0.55", 1000, { selfTradePrevention: "taker_at_cross" });
    expect(r.fills.map((f) => [f.price, f.count])).toEqual([[usd("0.50"), 200]]);
    expect(r.fillCount).toBe(200);
    expect(r.remainingCount).toBe(0);
    expect(r.order.status).toBe("canceled");
    expect(r.order.reserved).toBe(0);
    expect(own.order.status).toBe("resting");
    expect(book()).toEqual({
      bids: [],
      asks: [
        [usd("0.51"), 300],
        [usd("0.52"), 400],
      ],
    });
    // 1.00 + 0.07 × 2 × 0.25 = 0.035 → 1.035 → 1.04
    expect(cashWithReservations(bob)).toBe(START - usd("1.04"));
    expect(positionOf(bob)).toBe(200);
  });

  it("maker cancels the resting own order and keeps matching", () => {
    const own = place(bob, "ask", "0.51", 300);
    place(carol, "ask", "0.52", 400);
    const r = place(bob, "bid", "0.55", 1000, { selfTradePrevention: "maker" });
    expect(own.order.status).toBe("canceled");
    expect(own.order.reserved).toBe(0);
    expect(r.fills.map((f) => [f.price, f.count])).toEqual([
      [usd("0.50"), 200],
      [usd("0.52"), 400],
    ]);
    expect(r.order.status).toBe("resting");
    expect(r.remainingCount).toBe(400);
    expect(book()).toEqual({ bids: [[usd("0.55"), 400]], asks: [] });
    const expected = roundFills([
      { cost: usd("1.00"), fee: quadraticFee(usd("0.50"), 200) },
      { cost: usd("2.08"), fee: quadraticFee(usd("0.52"), 400) },
    ]);
    expect(r.fills.map((f) => f.fee)).toEqual(expected.map((f) => f.net));
    expect(cashWithReservations(bob)).toBe(
      START + (expected[0]?.cashChange ?? 0) + (expected[1]?.cashChange ?? 0),
    );
    expect(cashWithReservations(bob)).toBe(START - usd("1.04") - usd("2.15"));
  });
});

describe("price grid validation", () => {
  const cases: Array<[string, string, boolean]> = [
    ["linear_cent", "0.55", true],
    ["linear_cent", "0.555", false],
    ["linear_cent", "0.01", true],
    ["linear_cent", "0.99", true],
    ["tapered_deci_cent", "0.055", true],
    ["tapered_deci_cent", "0.001", true],
    ["tapered_deci_cent", "0.10", true],
    ["tapered_deci_cent", "0.90", true],
    ["tapered_deci_cent", "0.951", true],
    ["tapered_deci_cent", "0.999", true],
    ["tapered_deci_cent", "0.505", false],
    ["tapered_deci_cent", "0.0555", false],
    ["deci_cent", "0.555", true],
    ["deci_cent", "0.5555", false],
    ["center_centi_edge_centi_cent", "0.5555", true],
  ];

  for (const [structure, price, ok] of cases) {
    it(`${structure} ${ok ? "accepts" : "rejects"} ${price}`, () => {
      setup({ structure });
      if (ok) {
        expect(place(bob, "bid", price, 100).order.price).toBe(usd(price));
      } else {
        const before = snapshotEngine(state);
        const e = catchSimError(() => place(bob, "bid", price, 100));
        expect(e.code).toBe("INVALID_PRICE");
        expect(e.status).toBe(400);
        expect(snapshotEngine(state)).toEqual(before);
      }
    });
  }

  for (const structure of ["linear_cent", "tapered_deci_cent", "deci_cent"]) {
    it(`${structure} rejects $0 and $1 on both sides`, () => {
      setup({ structure });
      for (const side of ["bid", "ask"] as const) {
        for (const price of ["0", "1"]) {
          expect(catchSimError(() => place(bob, side, price, 100)).code).toBe("INVALID_PRICE");
        }
        expect(
          catchSimError(() =>
            engine.placeOrder({ ...order(bob, side, "0.5", 100), price: -10_000 }),
          ).code,
        ).toBe("INVALID_PRICE");
      }
    });
  }

  it("amend to an off-grid price is rejected with INVALID_PRICE", () => {
    setup();
    const r = place(bob, "bid", "0.40", 100);
    const e = catchSimError(() =>
      engine.amendOrder(bob.userId, r.order.orderId, {
        price: usd("0.405"),
        count: 100,
        side: "bid",
        ticker: market.ticker,
      }),
    );
    expect(e.code).toBe("INVALID_PRICE");
    expect(r.order.price).toBe(usd("0.40"));
  });
});

describe("fractional counts", () => {
  beforeEach(() => setup());

  it("trades 0.30 contracts with exact cash", () => {
    place(alice, "ask", "0.50", 30);
    const r = place(bob, "bid", "0.50", 30);
    expect(r.fillCount).toBe(30);
    expect(state.trades[0]?.count).toBe(30);
    // 0.15 + 0.0053 = 0.1553 → 0.16
    expect(cash(bob)).toBe(START - usd("0.16"));
    expect(cash(alice)).toBe(START - usd("0.15"));
    expect(positionOf(bob)).toBe(30);
    expect(market.openInterest).toBe(30);
  });

  it("fills 0.01 against a larger order", () => {
    const ask = place(alice, "ask", "0.37", 1234);
    place(bob, "bid", "0.37", 1);
    expect(ask.order.remainingCount).toBe(1233);
    expect(book().asks).toEqual([[usd("0.37"), 1233]]);
  });

  it("rejects counts below 0.01 and non-integral centi-counts", () => {
    const before = snapshotEngine(state);
    for (const count of [0, -100, 0.5]) {
      const e = catchSimError(() => place(bob, "bid", "0.50", count));
      expect(e.code).toBe("invalid_parameters");
      expect(e.status).toBe(400);
    }
    expect(snapshotEngine(state)).toEqual(before);
  });
});

describe("fee rounding with the per-order accumulator", () => {
  it("fee_rounding.md example 2 with the real formula: 0.90 at $0.50 against three 0.30 asks", () => {
    setup();
    const makers = [alice, carol, addUser(state, 10_000)];
    for (const m of makers) place(m, "ask", "0.50", 30);
    const r = place(bob, "bid", "0.50", 90);

    // Real trade fee per fill: 0.07 × 0.30 × 0.25 = 0.00525 → $0.0053 (the docs use $0.0041 as an example input).
    const fee = quadraticFee(usd("0.50"), 30);
    expect(fee).toBe(usd("0.0053"));
    const expected = roundFills([0, 1, 2].map(() => ({ cost: usd("0.15"), fee })));
    // rounding 0.0047 each; accumulator 0.0047, 0.0094, 0.0141 → rebate on fill 3.
    expect(expected.map((f) => f.net)).toEqual([usd("0.01"), usd("0.01"), 0]);
    expect(r.fills.map((f) => f.fee)).toEqual([usd("0.01"), usd("0.01"), 0]);
    expect(r.order.feeAccumulator).toBe(usd("0.0041"));
    expect(r.order.takerFees).toBe(usd("0.02"));
    // Three floored changes of −0.16 and the $0.01 rebate credited: −0.47.
    expect(cash(bob)).toBe(START - usd("0.47"));
    expect(r.averageFeePaid).toBe(Math.round((usd("0.02") * 100) / 90));
    expect(state.position(bob.userId, 0, market.ticker).feesPaid).toBe(usd("0.02"));
    for (const m of makers) expect(cash(m)).toBe(START - usd("0.15"));
  });

  it("fee_rounding.md example 1 with the real formula: 3 × 1 lot at $0.055 on tapered_deci_cent", () => {
    setup({ structure: "tapered_deci_cent" });
    for (let i = 0; i < 3; i += 1) place(alice, "ask", "0.055", 100);
    const r = place(bob, "bid", "0.055", 300);
    const fee = quadraticFee(usd("0.055"), 100); // 0.07 × 0.055 × 0.945 = 0.00363825 → 0.0037
    expect(fee).toBe(usd("0.0037"));
    const expected = roundFills([0, 1, 2].map(() => ({ cost: usd("0.055"), fee })));
    expect(r.fills.map((f) => f.fee)).toEqual(expected.map((f) => f.net));
    expect(r.order.feeAccumulator).toBe(expected[2]?.accumulatorAfter);
    expect(cash(bob)).toBe(START - usd("0.18"));
  });

  it("rebates across a resting order's later maker fills (accumulator carries over)", () => {
    setup();
    place(alice, "ask", "0.50", 30);
    const r = place(bob, "bid", "0.50", 90); // takes 0.30, rests 0.60
    expect(r.order.feeAccumulator).toBe(usd("0.0047"));
    place(carol, "ask", "0.50", 30);
    place(carol, "ask", "0.50", 30);
    // Maker fills on plain quadratic are free: cost 0.15 exactly → no rounding, no rebate.
    expect(r.order.feeAccumulator).toBe(usd("0.0047"));
    expect(cashWithReservations(bob)).toBe(START - usd("0.16") - usd("0.30"));
  });

  it("direct members are rounded to $0.0001 instead of $0.01", () => {
    setup();
    const direct = addUser(state, 10_000, { directMember: true });
    place(alice, "ask", "0.55", 1000);
    place(direct, "bid", "0.55", 1000);
    expect(cash(direct)).toBe(START - usd("5.6733"));
    expect(state.fills[0]?.fee).toBe(usd("0.1733"));
  });
});

describe("balances and reservations", () => {
  beforeEach(() => setup());

  it("rejects with INSUFFICIENT_BALANCE when the reservation exceeds cash, changing nothing", () => {
    const poor = addUser(state, 500); // $5.00: 10 × 0.50 plus the fee does not fit
    place(alice, "ask", "0.60", 1000);
    const before = snapshotEngine(state);
    const e = catchSimError(() => place(poor, "bid", "0.50", 1000));
    expect(e.code).toBe("INSUFFICIENT_BALANCE");
    expect(e.status).toBe(400);
    expect(snapshotEngine(state)).toEqual(before);
    // An ask needs the NO leg: 10 × 0.60 = $6 > $5.
    expect(catchSimError(() => place(poor, "ask", "0.40", 1000)).code).toBe("INSUFFICIENT_BALANCE");
    expect(snapshotEngine(state)).toEqual(before);
    expect(place(poor, "bid", "0.40", 1000).order.status).toBe("resting");
  });

  it("cancel releases the full reservation", () => {
    const r = place(bob, "bid", "0.37", 1234);
    expect(cash(bob)).toBeLessThanOrEqual(START - usd("4.5658"));
    expect(cash(bob) + r.order.reserved).toBe(START);
    const c = engine.cancelOrder(bob.userId, r.order.orderId);
    expect(c.reducedBy).toBe(1234);
    expect(cash(bob)).toBe(START);
    expect(r.order.reserved).toBe(0);
  });

  it("cancel after a partial fill leaves exactly the fill's cost", () => {
    const r = place(bob, "bid", "0.40", 1000);
    place(alice, "ask", "0.40", 400);
    // maker fill on plain quadratic: 4 × 0.40 = 1.60, free.
    const c = engine.cancelOrder(bob.userId, r.order.orderId);
    expect(c.reducedBy).toBe(600);
    expect(cash(bob)).toBe(START - usd("1.60"));
  });

  it("closing a held position needs no cash (sell YES you hold with a zero balance)", () => {
    place(alice, "ask", "0.40", 1000);
    place(bob, "bid", "0.40", 1000); // Bob long 10 YES
    bob.balances.set(0, 0);
    const sell = place(bob, "ask", "0.55", 1000);
    expect(sell.order.status).toBe("resting");
    expect(cash(bob)).toBe(0);
    place(carol, "bid", "0.55", 1000);
    // Bob's ask is the maker: NO leg 0.45 × 10 = 4.50, pair pays $10, maker fee 0 → +5.50.
    expect(positionOf(bob)).toBe(0);
    expect(cash(bob)).toBe(usd("5.50"));
    expect(sell.order.reserved).toBe(0);
  });

  it("closing as a taker with a zero balance pays the fee out of the proceeds", () => {
    place(alice, "ask", "0.40", 1000);
    place(bob, "bid", "0.40", 1000);
    bob.balances.set(0, 0);
    place(carol, "bid", "0.55", 1000);
    place(bob, "ask", "0.55", 1000, { timeInForce: "immediate_or_cancel" });
    // −4.50 − 0.1733 → −4.68, then +10.00 for the pairs.
    expect(cash(bob)).toBe(usd("5.32"));
    expect(positionOf(bob)).toBe(0);
  });

  it("a partly closing, partly opening order keeps enough cash back for the opening part", () => {
    place(alice, "ask", "0.40", 1000);
    place(bob, "bid", "0.40", 1000); // Bob long 10 YES
    const freeBefore = cash(bob);
    const sell = place(bob, "ask", "0.10", 2000); // 10 close, 10 open NO at 0.90
    // The opening half needs at least 10 × 0.90 = $9 held back.
    expect(sell.order.reserved).toBeGreaterThanOrEqual(usd("9.00"));
    expect(cash(bob) + sell.order.reserved).toBe(freeBefore);
    // Fill the closing half first.
    place(carol, "bid", "0.10", 1000);
    expect(positionOf(bob)).toBe(0);
    // The remaining 10 open NO at 0.90 each: they must still be fully funded.
    expect(sell.order.reserved).toBeGreaterThanOrEqual(usd("9.00"));
    // Spend every free cent elsewhere, then let the rest fill: no negative cash.
    bob.balances.set(0, 0);
    place(carol, "bid", "0.10", 1000);
    expect(positionOf(bob)).toBe(-1000);
    expect(cash(bob)).toBeGreaterThanOrEqual(0);
  });

  it("an order that was to close a position gets funded (or canceled) once another order closed it", () => {
    place(alice, "ask", "0.40", 1000);
    place(bob, "bid", "0.40", 1000); // Bob long 10 YES
    const resting = place(bob, "ask", "0.60", 1000); // would close: needs no cash
    place(carol, "bid", "0.50", 1000);
    place(bob, "ask", "0.50", 1000, { timeInForce: "immediate_or_cancel" }); // closes the position instead
    expect(positionOf(bob)).toBe(0);
    // The resting ask now opens 10 NO at 0.40 = $4.00: that cash must be held back for it.
    expect(resting.order.status === "canceled" || resting.order.reserved >= usd("4.00")).toBe(true);
    bob.balances.set(0, 0); // spend all free cash
    place(alice, "bid", "0.60", 1000, { timeInForce: "immediate_or_cancel" });
    expect(cash(bob)).toBeGreaterThanOrEqual(0);
  });
});

describe("netting, realized P&L and open interest", () => {
  beforeEach(() => setup());

  it("buy 10 YES at 0.40, sell 10 YES at 0.55: flat, +$1.50 realized, cash = start + 1.50 − fees", () => {
    place(alice, "ask", "0.40", 1000);
    const buy = place(bob, "bid", "0.40", 1000);
    expect(market.openInterest).toBe(1000);
    place(carol, "bid", "0.55", 1000);
    const sell = place(bob, "ask", "0.55", 1000);

    const pos = state.position(bob.userId, 0, market.ticker);
    expect(pos.position).toBe(0);
    expect(pos.cost).toBe(0);
    expect(pos.realizedPnl).toBe(usd("1.50"));
    const fees = (buy.fills[0]?.fee ?? 0) + (sell.fills[0]?.fee ?? 0);
    // 0.168 → 4.168 → 4.17 (0.17 fee) and 0.1733 → 4.6733 → 4.68 (0.18 fee).
    expect(fees).toBe(usd("0.35"));
    expect(pos.feesPaid).toBe(usd("0.35"));
    expect(cash(bob)).toBe(START + usd("1.50") - fees);
    // Carol opened YES as Bob closed his: open interest unchanged.
    expect(market.openInterest).toBe(1000);

    // Alice (long NO) buys YES from Carol (long YES): both close, open interest 0.
    place(alice, "bid", "0.50", 1000);
    place(carol, "ask", "0.50", 1000);
    expect(market.openInterest).toBe(0);
    expect(positionOf(alice)).toBe(0);
    expect(positionOf(carol)).toBe(0);
    // Alice: NO at 0.60 cost 6.00, closes buying YES at 0.50 → 10 − 6 − 5 = −1.00.
    expect(state.position(alice.userId, 0, market.ticker).realizedPnl).toBe(usd("-1.00"));
    // Carol: YES at 0.55 cost 5.50, closes with NO at 0.50 → 10 − 5.50 − 5.00 = −0.50.
    expect(state.position(carol.userId, 0, market.ticker).realizedPnl).toBe(usd("-0.50"));

    // All cash is back with the users except the fees paid.
    const totalFees = state.fills.reduce((s, f) => s + f.fee, 0);
    const totalCash = [alice, bob, carol].reduce((s, u) => s + cashWithReservations(u), 0);
    expect(totalCash + totalFees).toBe(3 * START);
  });

  it("a fill larger than the position flips it: closes, pays out, opens the rest", () => {
    place(alice, "ask", "0.40", 500);
    place(bob, "bid", "0.40", 500); // Bob long 5 YES cost 2.00
    expect(market.openInterest).toBe(500);
    place(carol, "bid", "0.70", 1200); // Carol wants 12 YES
    place(bob, "ask", "0.70", 1200); // Bob sells 12: closes 5, opens 7 NO at 0.30
    const pos = state.position(bob.userId, 0, market.ticker);
    expect(pos.position).toBe(-700);
    expect(pos.cost).toBe(usd("2.10"));
    // 5 × ($1 − 0.40 − 0.30) = $1.50
    expect(pos.realizedPnl).toBe(usd("1.50"));
    // Alice 5 NO + Bob 7 NO = 12 NO; Carol 12 YES.
    expect(market.openInterest).toBe(1200);
    const totalFees = state.fills.reduce((s, f) => s + f.fee, 0);
    const totalCash = [alice, bob, carol].reduce((s, u) => s + cashWithReservations(u), 0);
    expect(totalCash + totalFees + market.openInterest * 10_000).toBe(3 * START);
  });
});

describe("order management", () => {
  beforeEach(() => setup());

  it("rejects a reused client_order_id with 409 ORDER_ALREADY_EXISTS; other users may use it", () => {
    place(bob, "bid", "0.40", 100, { clientOrderId: "abc" });
    const before = snapshotEngine(state);
    const e = catchSimError(() => place(bob, "bid", "0.41", 100, { clientOrderId: "abc" }));
    expect(e.status).toBe(409);
    expect(e.code).toBe("ORDER_ALREADY_EXISTS");
    expect(snapshotEngine(state)).toEqual(before);
    expect(place(alice, "bid", "0.41", 100, { clientOrderId: "abc" }).order.clientOrderId).toBe(
      "abc",
    );
  });

  it("amend with a new price loses priority", () => {
    const a = place(alice, "ask", "0.55", 500);
    const c = place(carol, "ask", "0.55", 500);
    engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.56"),
      count: 500,
      side: "ask",
      ticker: market.ticker,
    });
    expect(book().asks).toEqual([
      [usd("0.55"), 500],
      [usd("0.56"), 500],
    ]);
    engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.55"),
      count: 500,
      side: "ask",
      ticker: market.ticker,
    });
    expect(engine.queuePosition(alice.userId, a.order.orderId)).toBe(500);
    expect(engine.queuePosition(carol.userId, c.order.orderId)).toBe(0);
    expect(cashWithReservations(alice)).toBe(START);
  });

  it("amend to a crossing price matches at once as the taker", () => {
    place(bob, "bid", "0.50", 300);
    const a = place(alice, "ask", "0.55", 500);
    const { result } = engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.50"),
      count: 500,
      side: "ask",
      ticker: market.ticker,
    });
    expect(result.fillCount).toBe(300);
    expect(result.fills.map((f) => [f.price, f.count, f.isTaker])).toEqual([
      [usd("0.50"), 300, true],
    ]);
    expect(a.order.remainingCount).toBe(200);
    expect(book()).toEqual({ bids: [], asks: [[usd("0.50"), 200]] });
    // Alice: NO at 0.50 × 3 = 1.50 + 0.0525 → 1.5525 → 1.56
    expect(cashWithReservations(alice)).toBe(START - usd("1.56"));
  });

  it("amend decreasing size keeps priority; increasing size loses it", () => {
    const a = place(alice, "ask", "0.55", 500);
    const c = place(carol, "ask", "0.55", 500);
    engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.55"),
      count: 300,
      side: "ask",
      ticker: market.ticker,
    });
    expect(a.order.remainingCount).toBe(300);
    expect(engine.queuePosition(alice.userId, a.order.orderId)).toBe(0);
    expect(engine.queuePosition(carol.userId, c.order.orderId)).toBe(300);
    expect(book().asks).toEqual([[usd("0.55"), 800]]);
    expect(cashWithReservations(alice)).toBe(START);

    engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.55"),
      count: 600,
      side: "ask",
      ticker: market.ticker,
    });
    expect(engine.queuePosition(alice.userId, a.order.orderId)).toBe(500);
    expect(book().asks).toEqual([[usd("0.55"), 1100]]);
    expect(cashWithReservations(alice)).toBe(START);
  });

  it("amend count is the new total: filled + remaining; a count ≤ filled is rejected", () => {
    const a = place(alice, "ask", "0.55", 500);
    place(bob, "bid", "0.55", 200);
    expect(a.order.fillCount).toBe(200);
    for (const count of [200, 100]) {
      const e = catchSimError(() =>
        engine.amendOrder(alice.userId, a.order.orderId, {
          price: usd("0.55"),
          count,
          side: "ask",
          ticker: market.ticker,
        }),
      );
      expect(e.code).toBe("invalid_parameters");
    }
    expect(a.order.remainingCount).toBe(300);
    engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.56"),
      count: 400,
      side: "ask",
      ticker: market.ticker,
    });
    expect(a.order.remainingCount).toBe(200);
    expect(a.order.fillCount).toBe(200);
    expect(book().asks).toEqual([[usd("0.56"), 200]]);
  });

  it("amend that cannot be funded leaves the order exactly as it was, priority included", () => {
    const poor = addUser(state, 300); // $3
    const first = place(poor, "bid", "0.50", 400); // $2 + fee headroom
    const other = place(carol, "bid", "0.50", 100);
    const before = snapshotEngine(state);
    const e = catchSimError(() =>
      engine.amendOrder(poor.userId, first.order.orderId, {
        price: usd("0.50"),
        count: 1000,
        side: "bid",
        ticker: market.ticker,
        updatedClientOrderId: "new-id",
      }),
    );
    expect(e.code).toBe("INSUFFICIENT_BALANCE");
    expect(snapshotEngine(state)).toEqual(before);
    expect(engine.queuePosition(poor.userId, first.order.orderId)).toBe(0);
    expect(engine.queuePosition(carol.userId, other.order.orderId)).toBe(400);
    // The rejected client id is still free to use.
    expect(place(poor, "bid", "0.10", 100, { clientOrderId: "new-id" }).order.clientOrderId).toBe(
      "new-id",
    );
  });

  it("amend can change only the client order id", () => {
    const a = place(alice, "ask", "0.55", 500, { clientOrderId: "old" });
    engine.amendOrder(alice.userId, a.order.orderId, {
      price: usd("0.55"),
      count: 500,
      side: "ask",
      ticker: market.ticker,
      updatedClientOrderId: "renamed",
    });
    expect(a.order.clientOrderId).toBe("renamed");
    expect(state.clientOrderIds.get(alice.userId, "renamed")).toBe(a.order.orderId);
  });

  it("decrease by reduce_by and reduce_to, releasing reservation pro rata and keeping priority", () => {
    const r = place(bob, "bid", "0.40", 1000);
    const behind = place(carol, "bid", "0.40", 100);
    const d1 = engine.decreaseOrder(bob.userId, r.order.orderId, { reduceBy: 200 });
    expect(d1.reducedBy).toBe(200);
    expect(r.order.remainingCount).toBe(800);
    expect(book().bids).toEqual([[usd("0.40"), 900]]);
    expect(engine.queuePosition(carol.userId, behind.order.orderId)).toBe(800);
    const d2 = engine.decreaseOrder(bob.userId, r.order.orderId, { reduceTo: 300 });
    expect(d2.reducedBy).toBe(500);
    expect(r.order.remainingCount).toBe(300);
    expect(r.order.reserved).toBeGreaterThanOrEqual(usd("1.20"));
    expect(cashWithReservations(bob)).toBe(START);
    const d3 = engine.decreaseOrder(bob.userId, r.order.orderId, { reduceTo: 0 });
    expect(d3.reducedBy).toBe(300);
    expect(r.order.status).toBe("canceled");
    expect(cash(bob)).toBe(START);
  });

  it("decrease rejects neither/both and non-positive changes", () => {
    const r = place(bob, "bid", "0.40", 1000);
    const before = snapshotEngine(state);
    for (const change of [
      {},
      { reduceBy: 1, reduceTo: 1 },
      { reduceBy: 0 },
      { reduceTo: 1000 },
      { reduceTo: 1200 },
    ]) {
      expect(
        catchSimError(() => engine.decreaseOrder(bob.userId, r.order.orderId, change)).code,
      ).toBe("invalid_parameters");
    }
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("decrease by more than remains cancels the order", () => {
    const r = place(bob, "bid", "0.40", 1000);
    const d = engine.decreaseOrder(bob.userId, r.order.orderId, { reduceBy: 5000 });
    expect(d.reducedBy).toBe(1000);
    expect(r.order.status).toBe("canceled");
    expect(cash(bob)).toBe(START);
  });

  it("cancel returns reducedBy = what was left; canceling twice is refused", () => {
    const r = place(bob, "bid", "0.40", 1000);
    place(alice, "ask", "0.40", 250);
    const c = engine.cancelOrder(bob.userId, r.order.orderId);
    expect(c.reducedBy).toBe(750);
    expect(c.order.status).toBe("canceled");
    expect(c.order.fillCount).toBe(250);
    expect(book()).toEqual({ bids: [], asks: [] });
    expect(catchSimError(() => engine.cancelOrder(bob.userId, r.order.orderId)).status).toBe(400);
  });

  it("another user's order is reported as not found", () => {
    const r = place(bob, "bid", "0.40", 1000);
    const before = snapshotEngine(state);
    const calls: Array<() => unknown> = [
      () => engine.cancelOrder(alice.userId, r.order.orderId),
      () => engine.decreaseOrder(alice.userId, r.order.orderId, { reduceBy: 100 }),
      () =>
        engine.amendOrder(alice.userId, r.order.orderId, {
          price: usd("0.41"),
          count: 1000,
          side: "bid",
          ticker: market.ticker,
        }),
      () => engine.queuePosition(alice.userId, r.order.orderId),
      () => engine.cancelOrder(bob.userId, "no-such-order"),
    ];
    for (const call of calls) {
      const e = catchSimError(call);
      expect(e.status).toBe(404);
      expect(e.code).toBe("not_found");
    }
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("rejects orders on markets that are not active, closed by time, or unknown", () => {
    const before = snapshotEngine(state);
    for (const status of [
      "initialized",
      "inactive",
      "closed",
      "determined",
      "finalized",
    ] as const) {
      market.status = status;
      const e = catchSimError(() => place(bob, "bid", "0.40", 100));
      expect(e.code).toBe("MARKET_INACTIVE");
      expect(e.status).toBe(400);
    }
    market.status = "active";
    fx.clock.set(market.closeTime);
    expect(catchSimError(() => place(bob, "bid", "0.40", 100)).code).toBe("MARKET_INACTIVE");
    fx.clock.set(market.closeTime - 1);
    const unknown = catchSimError(() =>
      engine.placeOrder({ ...order(bob, "bid", "0.40", 100), ticker: "NOPE" }),
    );
    expect(unknown.code).toBe("MARKET_NOT_FOUND");
    expect(unknown.status).toBe(404);
    const snap = snapshotEngine(state);
    expect({ ...snap, markets: [] }).toEqual({ ...before, markets: [] });
  });

  it("a trading pause rejects new orders but still lets users cancel", () => {
    const r = place(bob, "bid", "0.40", 1000);
    state.flags.tradingActive = false;
    const before = snapshotEngine(state);
    const e = catchSimError(() => place(bob, "bid", "0.41", 100));
    expect(e.code).toBe("TRADING_PAUSED");
    expect(snapshotEngine(state)).toEqual(before);
    expect(engine.cancelOrder(bob.userId, r.order.orderId).reducedBy).toBe(1000);
    state.flags.tradingActive = true;
    state.flags.exchangeActive = false;
    expect(catchSimError(() => place(bob, "bid", "0.41", 100)).code).toBe("EXCHANGE_UNAVAILABLE");
  });

  it("closing a market cancels its resting orders and releases their cash", () => {
    place(bob, "bid", "0.40", 1000);
    place(alice, "ask", "0.60", 1000);
    fx.clock.set(market.closeTime);
    fx.exchange.tick();
    expect(market.status).toBe("closed");
    expect(book()).toEqual({ bids: [], asks: [] });
    expect(cash(bob)).toBe(START);
    expect(cash(alice)).toBe(START);
  });

  it("a rejected order does not create an empty position record", () => {
    const poor = addUser(state, 1);
    catchSimError(() => place(poor, "bid", "0.50", 1000));
    catchSimError(() => place(poor, "ask", "0.50", 100, { reduceOnly: true }));
    expect(state.positions.has(state.positionKey(poor.userId, 0, market.ticker))).toBe(false);
  });
});

describe("bus events", () => {
  beforeEach(() => setup());

  it("publishes delta before trade, fills for both sides, orders, positions and ticker, then the rest", () => {
    const ask = place(alice, "ask", "0.55", 400);
    const events: SimEvent[] = [];
    state.bus.subscribe((e) => events.push(e));
    const bid = place(bob, "bid", "0.60", 1000);

    expect(events.map((e) => e.kind)).toEqual([
      "order", // accepted
      "book_delta", // maker's level shrinks
      "trade",
      "fill",
      "fill",
      "order",
      "order",
      "position",
      "position",
      "ticker",
      "book_delta", // remainder rests
      "order",
      "ticker",
    ]);
    const [
      accepted,
      makerDelta,
      trade,
      fillA,
      fillB,
      orderA,
      orderB,
      posA,
      posB,
      ,
      restDelta,
      resting,
    ] = events;
    expect(accepted).toMatchObject({
      kind: "order",
      order: { orderId: bid.order.orderId, status: "resting", fillCount: 0 },
    });
    expect(makerDelta).toMatchObject({
      kind: "book_delta",
      side: "ask",
      price: usd("0.55"),
      delta: -400,
    });
    expect(trade).toMatchObject({
      kind: "trade",
      trade: { price: usd("0.55"), count: 400, takerSide: "bid" },
    });
    const fillOwners = [fillA, fillB].map((e) =>
      e?.kind === "fill" ? [e.fill.orderId, e.fill.isTaker] : null,
    );
    expect(fillOwners).toEqual(
      expect.arrayContaining([
        [ask.order.orderId, false],
        [bid.order.orderId, true],
      ]),
    );
    const orderStates = [orderA, orderB].map((e) =>
      e?.kind === "order" ? [e.order.orderId, e.order.status] : null,
    );
    expect(orderStates).toEqual(
      expect.arrayContaining([
        [ask.order.orderId, "executed"],
        [bid.order.orderId, "resting"],
      ]),
    );
    const positions = [posA, posB].map((e) =>
      e?.kind === "position" ? [e.position.userId, e.position.position] : null,
    );
    expect(positions).toEqual(
      expect.arrayContaining([
        [alice.userId, -400],
        [bob.userId, 400],
      ]),
    );
    expect(restDelta).toMatchObject({
      kind: "book_delta",
      side: "bid",
      price: usd("0.60"),
      delta: 600,
    });
    expect(resting).toMatchObject({
      kind: "order",
      order: { remainingCount: 600, fillCount: 400 },
    });
  });

  it("publishes copies, not live records", () => {
    const events: SimEvent[] = [];
    state.bus.subscribe((e) => events.push(e));
    const r = place(bob, "bid", "0.40", 1000);
    engine.cancelOrder(bob.userId, r.order.orderId);
    const first = events[0];
    expect(first?.kind === "order" && first.order.status).toBe("resting");
  });

  it("cancel publishes a negative delta for the remainder, an order update and a ticker", () => {
    const r = place(bob, "bid", "0.40", 1000);
    const events: SimEvent[] = [];
    state.bus.subscribe((e) => events.push(e));
    engine.cancelOrder(bob.userId, r.order.orderId);
    expect(events.map((e) => e.kind)).toEqual(["book_delta", "order", "ticker"]);
    expect(events[0]).toMatchObject({ delta: -1000, price: usd("0.40"), side: "bid" });
    expect(events[1]).toMatchObject({ order: { status: "canceled", remainingCount: 0 } });
  });
});

export type { OrderRecord };
