import { describe, expect, it } from "vitest";
import { parseDollars } from "@/lib/fixed-point";
import type { SimEvent } from "@/server/sim/bus";
import type { ManualClock } from "@/server/sim/clock";
import type { SimExchange } from "@/server/sim/exchange";
import { nextTransition, advanceLifecycle } from "@/server/sim/lifecycle/market-lifecycle";
import { autoOutcome } from "@/server/sim/lifecycle/determination";
import {
  activateMarket,
  closeMarket,
  deactivateMarket,
  determineMarket,
  settleMarket,
  updateCloseTime,
} from "@/server/sim/lifecycle/transitions";
import type { EventRecord, MarketRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import {
  addMarket,
  addUser,
  catchSimError,
  makeEngineExchange,
  usd,
} from "@/server/sim/testing/engine-fixtures";

const MINUTE = 60_000;

function addEvent(state: SimState, eventTicker: string, mutuallyExclusive: boolean): EventRecord {
  const event: EventRecord = {
    eventTicker,
    seriesTicker: "KXTEST",
    title: `Event ${eventTicker}`,
    subTitle: "",
    category: "Testing",
    mutuallyExclusive,
    collateralReturnType: mutuallyExclusive ? "MECNET" : "",
    strikeDate: null,
    strikePeriod: "",
    availableOnBrokers: false,
    marketTickers: [],
    imageUrl: "",
    competition: null,
    lastUpdatedTs: state.now(),
  };
  state.events.set(eventTicker, event);
  return event;
}

function eventMarket(
  state: SimState,
  event: EventRecord,
  suffix: string,
  overrides: Partial<MarketRecord> = {},
): MarketRecord {
  const market = addMarket(state, {
    eventTicker: event.eventTicker,
    ticker: `${event.eventTicker}-${suffix}`,
    ...overrides,
  });
  event.marketTickers.push(market.ticker);
  return market;
}

function place(
  exchange: SimExchange,
  user: UserRecord,
  ticker: string,
  side: "bid" | "ask",
  price: string,
  count: number,
  subaccount = 0,
) {
  return exchange.engine.placeOrder({
    userId: user.userId,
    subaccount,
    ticker,
    side,
    price: parseDollars(price),
    count,
    timeInForce: "good_till_canceled",
  });
}

/** Records every bus event of one market as "kind" or "market_lifecycle:eventType". */
function recordEvents(state: SimState): { log: string[]; events: SimEvent[] } {
  const log: string[] = [];
  const events: SimEvent[] = [];
  state.bus.subscribe((event) => {
    events.push(event);
    if (event.kind === "market_lifecycle") log.push(`lifecycle:${event.eventType}:${event.ticker}`);
    else if (event.kind === "position")
      log.push(`position:${event.position.userId}:${event.position.subaccount}`);
  });
  return { log, events };
}

/** Moves the clock to `ms` and ticks. */
function at(exchange: SimExchange, clock: ManualClock, ms: number): void {
  clock.set(ms);
  exchange.tick();
}

describe("the full path: open → close → determined → finalized", () => {
  function setup() {
    const fx = makeEngineExchange({ seed: 5 });
    const { state } = fx;
    const start = state.now();
    const event = addEvent(state, "KXTEST-26JAN01", false);
    const market = eventMarket(state, event, "T50", {
      status: "initialized",
      openTime: start + MINUTE,
      closeTime: start + 60 * MINUTE,
      expectedExpirationTime: start + 70 * MINUTE,
      settlementTimerSeconds: 300,
    });
    const alice = addUser(state, 100_00);
    alice.subaccountCount = 1;
    alice.balances.set(1, usd("50"));
    const bob = addUser(state, 100_00);
    return { ...fx, start, market, alice, bob };
  }

  it("opens at open_time without an event, closes at close_time canceling orders, determines, then pays YES and NO holders exactly", () => {
    const { exchange, state, clock, start, market, alice, bob } = setup();
    const { log } = recordEvents(state);

    at(exchange, clock, start + MINUTE - 1);
    expect(market.status).toBe("initialized");
    at(exchange, clock, start + MINUTE);
    expect(market.status).toBe("active");
    expect(log).toEqual([]);

    // Alice buys YES in two subaccounts with fractional counts; Bob sells YES (buys NO).
    place(exchange, bob, market.ticker, "ask", "0.40", 255);
    place(exchange, alice, market.ticker, "bid", "0.40", 255, 0);
    place(exchange, bob, market.ticker, "ask", "0.45", 133);
    place(exchange, alice, market.ticker, "bid", "0.45", 133, 1);
    // Resting orders that the close must cancel, releasing exactly what they reserved.
    const aliceCashBefore = state.balance(alice, 0);
    const bobCashBefore = state.balance(bob, 0);
    const aliceResting = place(exchange, alice, market.ticker, "bid", "0.30", 150, 0).order;
    const bobResting = place(exchange, bob, market.ticker, "ask", "0.70", 75).order;
    expect(aliceResting.reserved).toBeGreaterThan(0);
    expect(state.balance(alice, 0)).toBe(aliceCashBefore - aliceResting.reserved);

    const yes0 = { ...state.position(alice.userId, 0, market.ticker) };
    const yes1 = { ...state.position(alice.userId, 1, market.ticker) };
    const no = { ...state.position(bob.userId, 0, market.ticker) };
    expect([yes0.position, yes1.position, no.position]).toEqual([255, 133, -388]);
    expect(yes0.cost).toBe(usd("1.02"));
    expect(yes1.cost).toBe(usd("0.5985"));
    expect(no.cost).toBe(usd("1.53") + usd("0.7315"));

    log.length = 0; // trading published position updates; only lifecycle effects from here on

    // Past close_time, before the tick: orders and cancels are refused with MARKET_INACTIVE.
    clock.set(market.closeTime);
    const rejectedOrder = catchSimError(() =>
      place(exchange, bob, market.ticker, "ask", "0.50", 100),
    );
    expect([rejectedOrder.status, rejectedOrder.code]).toEqual([400, "MARKET_INACTIVE"]);
    const rejectedCancel = catchSimError(() =>
      exchange.engine.cancelOrder(alice.userId, aliceResting.orderId),
    );
    expect([rejectedCancel.status, rejectedCancel.code]).toEqual([400, "MARKET_INACTIVE"]);

    exchange.tick();
    expect(market.status).toBe("closed");
    expect(aliceResting.status).toBe("canceled");
    expect(bobResting.status).toBe("canceled");
    expect(state.balance(alice, 0)).toBe(aliceCashBefore);
    expect(state.balance(bob, 0)).toBe(bobCashBefore);
    expect(state.restingByMarket.get(market.ticker)?.size ?? 0).toBe(0);
    // Closing at the scheduled time is implicit: no lifecycle event.
    expect(log).toEqual([]);
    const afterClose = catchSimError(() =>
      exchange.engine.cancelOrder(alice.userId, aliceResting.orderId),
    );
    expect(afterClose.status).toBe(400);

    // Determined once the outcome is expected (close + 10 min here), not a millisecond earlier.
    at(exchange, clock, start + 70 * MINUTE - 1);
    expect(market.status).toBe("closed");
    determineMarket(exchange, market, { result: "yes", settlementValue: usd("1") });
    expect(market.status).toBe("determined");
    expect(market.determinationTime).toBe(start + 70 * MINUTE - 1);
    expect(log).toEqual([`lifecycle:determined:${market.ticker}`]);

    const cash = {
      a0: state.balance(alice, 0),
      a1: state.balance(alice, 1),
      b0: state.balance(bob, 0),
    };
    const settleAt = market.determinationTime! + 300_000;
    at(exchange, clock, settleAt - 1);
    expect(market.status).toBe("determined");
    at(exchange, clock, settleAt);
    expect(market.status).toBe("finalized");
    expect(market.settlementTime).toBe(settleAt);

    // YES holders get $1 a contract, NO holders nothing.
    expect(state.balance(alice, 0) - cash.a0).toBe(usd("2.55"));
    expect(state.balance(alice, 1) - cash.a1).toBe(usd("1.33"));
    expect(state.balance(bob, 0) - cash.b0).toBe(0);

    const records = state.settlements.filter((s) => s.ticker === market.ticker);
    expect(records).toEqual([
      {
        userId: bob.userId,
        subaccount: 0,
        ticker: market.ticker,
        eventTicker: market.eventTicker,
        result: "yes",
        yesCount: 0,
        yesTotalCost: 0,
        noCount: 388,
        noTotalCost: usd("2.2615"),
        revenue: 0,
        feeCost: no.feesPaid,
        settledTime: settleAt,
        value: usd("1"),
      },
      {
        userId: alice.userId,
        subaccount: 0,
        ticker: market.ticker,
        eventTicker: market.eventTicker,
        result: "yes",
        yesCount: 255,
        yesTotalCost: usd("1.02"),
        noCount: 0,
        noTotalCost: 0,
        revenue: usd("2.55"),
        feeCost: yes0.feesPaid,
        settledTime: settleAt,
        value: usd("1"),
      },
      {
        userId: alice.userId,
        subaccount: 1,
        ticker: market.ticker,
        eventTicker: market.eventTicker,
        result: "yes",
        yesCount: 133,
        yesTotalCost: usd("0.5985"),
        noCount: 0,
        noTotalCost: 0,
        revenue: usd("1.33"),
        feeCost: yes1.feesPaid,
        settledTime: settleAt,
        value: usd("1"),
      },
    ]);

    // Positions are flat, realized P&L takes payout − cost.
    const after0 = state.position(alice.userId, 0, market.ticker);
    const after1 = state.position(alice.userId, 1, market.ticker);
    const afterNo = state.position(bob.userId, 0, market.ticker);
    expect([after0.position, after0.cost, after0.realizedPnl]).toEqual([
      0,
      0,
      yes0.realizedPnl + usd("1.53"),
    ]);
    expect([after1.position, after1.cost, after1.realizedPnl]).toEqual([
      0,
      0,
      yes1.realizedPnl + usd("0.7315"),
    ]);
    expect([afterNo.position, afterNo.cost, afterNo.realizedPnl]).toEqual([
      0,
      0,
      no.realizedPnl - usd("2.2615"),
    ]);

    // determined, one position update per settled position, then settled.
    expect(log).toEqual([
      `lifecycle:determined:${market.ticker}`,
      `position:${bob.userId}:0`,
      `position:${alice.userId}:0`,
      `position:${alice.userId}:1`,
      `lifecycle:settled:${market.ticker}`,
    ]);
    // Nothing further is scheduled for a finalized market.
    expect(nextTransition(market, 1)).toBeNull();
  });

  it("pays NO holders $1 a contract on a NO result, determined by the clock", () => {
    const { exchange, state, clock, start, market, alice, bob } = setup();
    market.fairValue = 0; // a NO is certain: the draw is uniform in [0, 1)
    at(exchange, clock, start + MINUTE);
    place(exchange, bob, market.ticker, "ask", "0.40", 250);
    place(exchange, alice, market.ticker, "bid", "0.40", 250, 1);
    const bobCash = state.balance(bob, 0);
    const aliceCash = state.balance(alice, 1);

    at(exchange, clock, market.closeTime);
    expect(market.status).toBe("closed");
    at(exchange, clock, start + 70 * MINUTE);
    expect(market.status).toBe("determined");
    expect([market.result, market.settlementValue]).toEqual(["no", 0]);
    at(exchange, clock, start + 75 * MINUTE);
    expect(market.status).toBe("finalized");
    expect(state.balance(bob, 0) - bobCash).toBe(usd("2.50"));
    expect(state.balance(alice, 1) - aliceCash).toBe(0);
    const bobRecord = state.settlements.find((s) => s.userId === bob.userId);
    expect(bobRecord).toMatchObject({
      result: "no",
      noCount: 250,
      noTotalCost: usd("1.50"),
      revenue: usd("2.50"),
      value: 0,
    });
  });

  it("settles a scalar value with payouts rounded down to the cent and the remainder as a fee", () => {
    const { exchange, state, clock, start, market, alice, bob } = setup();
    at(exchange, clock, start + MINUTE);
    place(exchange, bob, market.ticker, "ask", "0.40", 333);
    place(exchange, alice, market.ticker, "bid", "0.40", 333);
    const yes = { ...state.position(alice.userId, 0, market.ticker) };
    const no = { ...state.position(bob.userId, 0, market.ticker) };
    const cash = { a: state.balance(alice, 0), b: state.balance(bob, 0) };
    closeMarket(exchange, market);
    determineMarket(exchange, market, { result: "scalar", settlementValue: usd("0.4237") });
    settleMarket(exchange, market);
    // 3.33 × 0.4237 = 1.410921 → 1.41; 3.33 × 0.5763 = 1.919079 → 1.91.
    expect(state.balance(alice, 0) - cash.a).toBe(usd("1.41"));
    expect(state.balance(bob, 0) - cash.b).toBe(usd("1.91"));
    const byUser = new Map(state.settlements.map((s) => [s.userId, s]));
    expect(byUser.get(alice.userId)).toMatchObject({
      result: "scalar",
      revenue: usd("1.41"),
      feeCost: yes.feesPaid + 921,
      value: usd("0.4237"),
    });
    expect(byUser.get(bob.userId)).toMatchObject({
      result: "scalar",
      revenue: usd("1.91"),
      feeCost: no.feesPaid + 9_079,
    });
    // Realized P&L counts the value before rounding; the sub-cent part sits in fees.
    expect(state.position(alice.userId, 0, market.ticker).realizedPnl).toBe(
      yes.realizedPnl + usd("1.410921") - usd("1.332"),
    );
  });
});

describe("deactivation, reactivation and close-date updates", () => {
  function open() {
    const fx = makeEngineExchange();
    const market = addMarket(fx.state, { closeTime: fx.state.now() + 60 * MINUTE });
    const user = addUser(fx.state, 100_00);
    const { log } = recordEvents(fx.state);
    return { ...fx, market, user, log };
  }

  it("deactivate keeps resting orders and refuses new ones; activate cancels every resting order", () => {
    const { exchange, state, market, user, log } = open();
    const cash = state.balance(user, 0);
    const resting = place(exchange, user, market.ticker, "bid", "0.30", 500).order;
    deactivateMarket(exchange, market);
    expect(market.status).toBe("inactive");
    expect(resting.status).toBe("resting");
    expect(catchSimError(() => place(exchange, user, market.ticker, "bid", "0.31", 100)).code).toBe(
      "MARKET_INACTIVE",
    );
    expect(catchSimError(() => deactivateMarket(exchange, market)).status).toBe(409);

    activateMarket(exchange, market);
    expect(market.status).toBe("active");
    expect(resting.status).toBe("canceled");
    expect(state.balance(user, 0)).toBe(cash);
    expect(catchSimError(() => activateMarket(exchange, market)).status).toBe(409);
    expect(log).toEqual([
      `lifecycle:deactivated:${market.ticker}`,
      `lifecycle:activated:${market.ticker}`,
    ]);
  });

  it("an inactive market still closes at close_time", () => {
    const { exchange, clock, market } = open();
    deactivateMarket(exchange, market);
    at(exchange, clock, market.closeTime);
    expect(market.status).toBe("closed");
  });

  it("an early close moves close_time to now and publishes close_date_updated; a later close time reopens it", () => {
    const { exchange, state, clock, market, log } = open();
    const scheduled = market.closeTime;
    clock.advance(MINUTE);
    closeMarket(exchange, market);
    expect([market.status, market.closeTime]).toEqual(["closed", state.now()]);
    expect(log).toEqual([`lifecycle:close_date_updated:${market.ticker}`]);

    updateCloseTime(exchange, market, scheduled);
    expect([market.status, market.closeTime]).toEqual(["active", scheduled]);
    expect(log.slice(1)).toEqual([
      `lifecycle:close_date_updated:${market.ticker}`,
      `lifecycle:activated:${market.ticker}`,
    ]);

    // The clock honours the moved time.
    at(exchange, clock, scheduled - 1);
    expect(market.status).toBe("active");
    at(exchange, clock, scheduled);
    expect(market.status).toBe("closed");

    determineMarket(exchange, market, { result: "no", settlementValue: 0 });
    expect(catchSimError(() => updateCloseTime(exchange, market, scheduled + MINUTE)).status).toBe(
      409,
    );
  });

  it("a market that may close early closes at its expected expiration", () => {
    const fx = makeEngineExchange();
    const now = fx.state.now();
    const market = addMarket(fx.state, {
      canCloseEarly: true,
      closeTime: now + 15 * 86_400_000,
      expectedExpirationTime: now + 3 * 3_600_000,
    });
    const { log } = recordEvents(fx.state);
    at(fx.exchange, fx.clock, now + 3 * 3_600_000);
    expect([market.status, market.closeTime]).toEqual(["closed", now + 3 * 3_600_000]);
    expect(log).toEqual([`lifecycle:close_date_updated:${market.ticker}`]);
  });

  it("transitions refuse the wrong status with 409", () => {
    const { exchange, market } = open();
    expect(
      catchSimError(() =>
        determineMarket(exchange, market, { result: "yes", settlementValue: usd("1") }),
      ).status,
    ).toBe(409);
    expect(catchSimError(() => settleMarket(exchange, market)).status).toBe(409);
    closeMarket(exchange, market);
    expect(catchSimError(() => closeMarket(exchange, market)).status).toBe(409);
    const bad = catchSimError(() =>
      determineMarket(exchange, market, { result: "yes", settlementValue: usd("0.5") }),
    );
    expect([bad.status, bad.code]).toEqual([400, "invalid_parameters"]);
    expect(market.status).toBe("closed");
  });
});

describe("automatic determination", () => {
  function exclusiveEvent(seed: number) {
    const fx = makeEngineExchange({ seed });
    const event = addEvent(fx.state, "KXTEST-26JAN01", true);
    const close = fx.state.now() + MINUTE;
    const markets = [250_000, 250_000, 250_000, 250_000].map((fair, i) =>
      eventMarket(fx.state, event, `B${i}`, {
        fairValue: fair,
        closeTime: close,
        expectedExpirationTime: close + MINUTE,
      }),
    );
    return { ...fx, event, markets, close };
  }

  it("resolves exactly one market of a mutually exclusive event yes, the same one for the same seed", () => {
    const winners = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const runs = [exclusiveEvent(seed), exclusiveEvent(seed)].map(
        ({ exchange, clock, markets, close }) => {
          at(exchange, clock, close + MINUTE);
          expect(markets.map((m) => m.status)).toEqual([
            "determined",
            "determined",
            "determined",
            "determined",
          ]);
          const yes = markets.filter((m) => m.result === "yes");
          expect(yes).toHaveLength(1);
          expect(markets.filter((m) => m.result === "no")).toHaveLength(3);
          return yes[0]!.ticker;
        },
      );
      expect(runs[0]).toBe(runs[1]);
      winners.add(runs[0]!);
    }
    // Equal fair values: eight seeds do not all pick the same market.
    expect(winners.size).toBeGreaterThan(1);
  });

  it("a forced yes makes the siblings resolve no, and a second yes in the event is a 409", () => {
    const { exchange, clock, markets, close } = exclusiveEvent(3);
    clock.set(close);
    exchange.tick();
    const [first, second] = markets as [MarketRecord, MarketRecord];
    determineMarket(exchange, second, { result: "yes", settlementValue: usd("1") });
    const conflict = catchSimError(() =>
      determineMarket(exchange, first, { result: "yes", settlementValue: usd("1") }),
    );
    expect([conflict.status, conflict.code]).toEqual([409, "MARKET_STATUS_CONFLICT"]);
    at(exchange, clock, close + MINUTE);
    expect(markets.map((m) => m.result)).toEqual(["no", "yes", "no", "no"]);
  });

  it("binary markets follow their fair value; scalar markets settle between 0 and 1 on the 0.0001 grid", () => {
    const { state } = makeEngineExchange({ seed: 9 });
    const sure = addMarket(state, { ticker: "KXTEST-SURE", fairValue: 1_000_000 });
    const never = addMarket(state, { ticker: "KXTEST-NEVER", fairValue: 0 });
    expect(autoOutcome(state, sure)).toEqual({ result: "yes", settlementValue: 1_000_000 });
    expect(autoOutcome(state, never)).toEqual({ result: "no", settlementValue: 0 });
    for (let i = 0; i < 50; i += 1) {
      const scalar = addMarket(state, {
        ticker: `KXTEST-S${i}`,
        marketType: "scalar",
        fairValue: 420_000,
      });
      const outcome = autoOutcome(state, scalar);
      expect(outcome.result).toBe("scalar");
      expect(outcome.settlementValue).toBeGreaterThanOrEqual(0);
      expect(outcome.settlementValue).toBeLessThanOrEqual(1_000_000);
      expect(outcome.settlementValue % 100).toBe(0);
      expect(Math.abs(outcome.settlementValue - 420_000)).toBeLessThan(300_000);
    }
  });
});

describe("time scale", () => {
  it("divides the determination wait and the settlement timer", () => {
    const fx = makeEngineExchange();
    const now = fx.state.now();
    const market = addMarket(fx.state, {
      closeTime: now + MINUTE,
      expectedExpirationTime: now + 61 * MINUTE,
      settlementTimerSeconds: 3600,
    });
    expect(nextTransition({ ...market, status: "closed" }, 60)).toEqual({
      due: now + 2 * MINUTE,
      action: "determine",
    });
    expect(nextTransition({ ...market, status: "determined", determinationTime: now }, 60)).toEqual(
      {
        due: now + MINUTE,
        action: "settle",
      },
    );
    expect(nextTransition({ ...market, status: "closed" }, 1)).toEqual({
      due: now + 61 * MINUTE,
      action: "determine",
    });
  });

  it("advanceLifecycle is a no-op when nothing is due", () => {
    const fx = makeEngineExchange();
    const market = addMarket(fx.state);
    const before = JSON.stringify(market);
    advanceLifecycle(fx.exchange);
    advanceLifecycle(fx.exchange);
    expect(JSON.stringify(market)).toBe(before);
  });
});
