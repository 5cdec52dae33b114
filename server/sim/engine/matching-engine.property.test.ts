/**
 * Seeded random property test: thousands of mixed operations against one
 * market, with the book rebuilt from published book_delta events and every
 * invariant checked after each step. Orders go into order groups with small
 * contracts limits (so groups trip mid-sweep), and some makers outlive their
 * expiration before the expiry sweep runs.
 */
import { describe, expect, it } from "vitest";
import { complement, notional, ONE_DOLLAR, type Centis, type Micros } from "@/lib/fixed-point";
import { SimError } from "@/server/sim/errors";
import type { MatchingEngine, PlaceOrderInput } from "@/server/sim/engine/matching-engine";
import type {
  BookSide,
  MarketRecord,
  OrderRecord,
  TimeInForce,
  UserRecord,
} from "@/server/sim/model";
import {
  createOrderGroup,
  resetOrderGroup,
  type OrderGroupRecord,
} from "@/server/sim/order-groups/order-group-store";
import { SeededRandom } from "@/server/sim/random";
import type { SimState } from "@/server/sim/state";
import {
  addMarket,
  addUser,
  makeEngineExchange,
  snapshotEngine,
  type EngineFixture,
} from "@/server/sim/testing/engine-fixtures";

const OPERATIONS = 2_000;

interface Harness {
  fx: EngineFixture;
  state: SimState;
  engine: MatchingEngine;
  market: MarketRecord;
  users: UserRecord[];
  initialCash: Micros;
  /** `${side}|${price}` → size rebuilt from book_delta events. */
  deltaBook: Map<string, Centis>;
  rng: SeededRandom;
  /** Order groups per user id (every user has two). */
  groups: Map<string, OrderGroupRecord[]>;
}

function build(
  seed: number,
  structure: string,
  feeType: "quadratic" | "quadratic_with_maker_fees",
): Harness {
  const fx = makeEngineExchange({ seed });
  const { state } = fx;
  const market = addMarket(state, { priceLevelStructure: structure }, { feeType });
  const rng = new SeededRandom(seed * 31 + 7);
  const users: UserRecord[] = [];
  for (let i = 0; i < 8; i += 1) {
    users.push(addUser(state, rng.int(30, 300) * 100, { directMember: i % 4 === 3 }));
  }
  const initialCash = users.reduce((sum, u) => sum + state.balance(u, 0), 0);
  const groups = new Map<string, OrderGroupRecord[]>();
  for (const user of users) {
    // Limits of 3-30 contracts: orders of up to 20 trip them, often in the middle of a sweep.
    const make = () =>
      createOrderGroup(state, {
        userId: user.userId,
        subaccount: 0,
        contractsLimit: rng.int(3, 30) * 100,
      });
    groups.set(user.userId, [make(), make()]);
  }
  const deltaBook = new Map<string, Centis>();
  state.bus.subscribe((event) => {
    if (event.kind !== "book_delta") return;
    const key = `${event.side}|${event.price}`;
    const next = (deltaBook.get(key) ?? 0) + event.delta;
    if (next === 0) deltaBook.delete(key);
    else deltaBook.set(key, next);
  });
  return {
    fx,
    state,
    engine: fx.exchange.engine,
    market,
    users,
    initialCash,
    deltaBook,
    rng,
    groups,
  };
}

function randomPrice(h: Harness): Micros {
  const { rng, market } = h;
  if (market.priceLevelStructure === "tapered_deci_cent" && rng.chance(0.3)) {
    // exercise the fine edge bands
    return rng.chance(0.5) ? rng.int(1, 99) * 1_000 : 900_000 + rng.int(1, 99) * 1_000;
  }
  return rng.int(35, 65) * 10_000;
}

function randomCount(rng: SeededRandom): Centis {
  return rng.chance(0.7) ? rng.int(1, 20) * 100 : rng.int(1, 500);
}

function restingOrders(h: Harness): OrderRecord[] {
  return [...h.state.orders.values()].filter((o) => o.status === "resting");
}

interface Operation {
  kind: string;
  run: () => unknown;
  target?: OrderRecord;
}

/**
 * What a rejected operation must leave untouched. Cheaper than a full
 * snapshotEngine (orders are never deleted, so copying them all on every
 * step is quadratic): the order count, full copies of everything else and
 * of the order the operation aimed at.
 */
function lightSnapshot(state: SimState, target: OrderRecord | undefined) {
  return {
    ...snapshotEngine(state, { orders: "count" }),
    target: target ? JSON.stringify(target) : null,
  };
}

function randomOperation(h: Harness): Operation {
  const { rng, engine, state, market, users } = h;
  const user = rng.pick(users);
  const roll = rng.next();
  const resting = restingOrders(h);
  const target = resting.length > 0 ? rng.pick(resting) : undefined;

  if (roll < 0.5 || !target) {
    const tifRoll = rng.next();
    const timeInForce: TimeInForce =
      tifRoll < 0.65
        ? "good_till_canceled"
        : tifRoll < 0.8
          ? "immediate_or_cancel"
          : "fill_or_kill";
    const userGroups = h.groups.get(user.userId) ?? [];
    const input: PlaceOrderInput = {
      userId: user.userId,
      ticker: market.ticker,
      side: rng.chance(0.5) ? "bid" : "ask",
      price: randomPrice(h),
      count: randomCount(rng),
      timeInForce,
      postOnly: rng.chance(0.1),
      reduceOnly: rng.chance(0.1),
      selfTradePrevention: rng.chance(0.5) ? "taker_at_cross" : "maker",
      expirationTime:
        timeInForce === "good_till_canceled" && rng.chance(0.15)
          ? state.now() + rng.int(1, 120) * 1_000
          : null,
      ...(rng.chance(0.05) ? { clientOrderId: `c-${rng.int(0, 20)}` } : {}),
      // A triggered group refuses the order: that rejection is exercised too.
      orderGroupId: rng.chance(0.4) ? rng.pick(userGroups).orderGroupId : null,
    };
    return { kind: "place", run: () => engine.placeOrder(input) };
  }
  if (roll < 0.65) {
    return { kind: "cancel", target, run: () => engine.cancelOrder(target.userId, target.orderId) };
  }
  if (roll < 0.72) {
    // Someone else's order must look like a missing one.
    const other = users.find((u) => u.userId !== target.userId) ?? user;
    return {
      kind: "cancel-foreign",
      target,
      run: () => engine.cancelOrder(other.userId, target.orderId),
    };
  }
  if (roll < 0.82) {
    const change = rng.chance(0.5)
      ? { reduceBy: rng.int(1, target.remainingCount + 50) }
      : { reduceTo: rng.int(0, target.remainingCount) };
    return {
      kind: "decrease",
      target,
      run: () => engine.decreaseOrder(target.userId, target.orderId, change),
    };
  }
  if (roll < 0.9) {
    const price = rng.chance(0.5) ? target.price : randomPrice(h);
    const count = target.fillCount + Math.max(1, target.remainingCount + rng.int(-300, 300));
    return {
      kind: "amend",
      target,
      run: () =>
        engine.amendOrder(target.userId, target.orderId, {
          price,
          count,
          side: target.side,
          ticker: target.ticker,
        }),
    };
  }
  if (roll < 0.97) {
    const group = rng.pick(h.groups.get(user.userId) ?? []);
    return { kind: "group-reset", run: () => resetOrderGroup(state, group) };
  }
  return {
    kind: "time",
    run: () => {
      h.fx.clock.advance(rng.int(1, 30) * 1_000);
      // Half the time the expiry sweep lags: expired makers still sit in the book.
      return rng.chance(0.5) ? engine.expireOrders() : 0;
    },
  };
}

/** A cheap assertion for hot loops (vitest's expect is too slow to call millions of times). */
function check(condition: boolean, where: string, what: string, detail?: unknown): void {
  if (!condition) {
    throw new Error(
      `${where}: ${what}${detail === undefined ? "" : ` — ${JSON.stringify(detail)}`}`,
    );
  }
}

function checkInvariants(h: Harness, step: number): void {
  const { state, market, users } = h;
  const where = `after step ${step}`;
  const book = state.book(market.ticker);

  // 0. The engine's kept per-account sums equal what the resting orders add up to.
  try {
    h.engine.verifyIndexes();
  } catch (error) {
    check(false, where, String(error), []);
  }

  // 1. Never crossed.
  const bestBid = book.bestBid();
  const bestAsk = book.bestAsk();
  if (bestBid && bestAsk)
    check(bestBid.price < bestAsk.price, where, "book is crossed", [bestBid.price, bestAsk.price]);

  // 2. Levels: sorted best first; totals equal the sum of remaining counts; FIFO by sequence; only live orders.
  const inBook = new Set<OrderRecord>();
  for (const side of ["bid", "ask"] as const) {
    let previous: Micros | null = null;
    for (const level of book.sideOf(side).iterate()) {
      check(level.orders.length > 0, where, "empty level kept", level.price);
      if (previous !== null) {
        check(
          side === "bid" ? level.price < previous : level.price > previous,
          where,
          "levels out of order",
        );
      }
      previous = level.price;
      let sum = 0;
      let sequence = 0;
      for (const o of level.orders) {
        check(o.status === "resting", where, "non-resting order in book", o);
        check(o.side === side && o.price === level.price, where, "order on the wrong level", o);
        check(o.remainingCount > 0, where, "empty order in book", o);
        check(o.sequence > sequence, where, "level not in time priority", o);
        sequence = o.sequence;
        sum += o.remainingCount;
        inBook.add(o);
      }
      check(level.total === sum, where, "level total differs from its orders", [
        level.price,
        level.total,
        sum,
      ]);
    }
  }

  // 3. The book rebuilt from deltas equals the real one.
  const fromDeltas = { bid: [] as Array<[Micros, Centis]>, ask: [] as Array<[Micros, Centis]> };
  for (const [key, size] of h.deltaBook) {
    const [side, price] = key.split("|") as [BookSide, string];
    fromDeltas[side].push([Number(price), size]);
  }
  fromDeltas.bid.sort((a, b) => b[0] - a[0]);
  fromDeltas.ask.sort((a, b) => a[0] - b[0]);
  expect(fromDeltas, where).toEqual({ bid: book.depth("bid"), ask: book.depth("ask") });

  // 4. Book, resting index and order statuses agree.
  const tracked = state.restingByMarket.get(market.ticker) ?? new Set<OrderRecord>();
  let statusResting = 0;
  for (const o of state.orders.values()) {
    if (o.status !== "resting") continue;
    statusResting += 1;
    check(inBook.has(o) && tracked.has(o), where, "resting order missing from book or index", o);
  }
  check(
    tracked.size === inBook.size && statusResting === inBook.size,
    where,
    "book/index/status sizes differ",
    [tracked.size, inBook.size, statusResting],
  );

  // 5. Orders: fills add up, reservations are non-negative and only on live orders,
  //    and each live order holds at least the cash its opening contracts need.
  const filledByOrder = new Map<string, Centis>();
  for (const f of state.fills)
    filledByOrder.set(f.orderId, (filledByOrder.get(f.orderId) ?? 0) + f.count);
  let reserved = 0;
  const coveredBySide = new Map<string, Centis>();
  for (const o of state.orders.values()) {
    check(o.reserved >= 0, where, "negative reservation", o);
    check(
      o.fillCount === (filledByOrder.get(o.orderId) ?? 0),
      where,
      "fillCount differs from fills",
      o,
    );
    // Decreases shrink remaining without rewriting initial_count, so ≤, not =.
    check(
      o.fillCount + o.remainingCount <= o.initialCount,
      where,
      "more filled + remaining than initial",
      o,
    );
    if (o.status === "resting") {
      const leg = o.side === "bid" ? o.price : complement(o.price);
      check(
        o.reserved >= notional(leg, o.remainingCount - o.coveredRemaining),
        where,
        "opening contracts under-funded",
        o,
      );
      const key = `${o.userId}|${o.side}`;
      coveredBySide.set(key, (coveredBySide.get(key) ?? 0) + o.coveredRemaining);
    } else {
      check(
        o.reserved === 0 && o.coveredRemaining === 0,
        where,
        "finished order still holds cash",
        o,
      );
    }
    reserved += o.reserved;
    // 5b. Fill-or-kill: filled completely, or refused and never recorded.
    if (o.timeInForce === "fill_or_kill") {
      check(
        o.status === "executed" && o.fillCount === o.initialCount,
        where,
        "fill_or_kill order filled partly",
        o,
      );
    }
  }

  // 6. Positions: YES and NO balance; open interest; coverage never exceeds what can be closed.
  let longYes = 0;
  let longNo = 0;
  for (const p of state.positions.values()) {
    if (p.position > 0) longYes += p.position;
    else longNo -= p.position;
    check(
      p.cost >= 0 && (p.position !== 0 || p.cost === 0),
      where,
      "position cost inconsistent",
      p,
    );
  }
  expect(longYes, where).toBe(longNo);
  expect(market.openInterest, where).toBe(longYes);
  for (const u of users) {
    const held = state.positions.get(state.positionKey(u.userId, 0, market.ticker))?.position ?? 0;
    check(
      (coveredBySide.get(`${u.userId}|ask`) ?? 0) <= Math.max(held, 0),
      where,
      "asks count on closing more YES than held",
    );
    check(
      (coveredBySide.get(`${u.userId}|bid`) ?? 0) <= Math.max(-held, 0),
      where,
      "bids count on closing more NO than held",
    );
  }

  // 7. Cash: none negative; total changes only by fees and the $1-per-pair collateral.
  let free = 0;
  for (const u of users) {
    const balance = state.balance(u, 0);
    check(balance >= 0, where, `negative balance of user ${users.indexOf(u)}`, balance);
    free += balance;
  }
  const fees = state.fills.reduce((sum, f) => sum + f.fee, 0);
  expect(free + reserved + fees + notional(ONE_DOLLAR, market.openInterest), where).toBe(
    h.initialCash,
  );
  expect(fees, where).toBeGreaterThanOrEqual(0);
}

function runScenario(
  seed: number,
  structure: string,
  feeType: "quadratic" | "quadratic_with_maker_fees",
) {
  const h = build(seed, structure, feeType);
  const tally = new Map<string, number>();
  for (let step = 1; step <= OPERATIONS; step += 1) {
    const op = randomOperation(h);
    const before = lightSnapshot(h.state, op.target);
    const deltasBefore = [...h.deltaBook.entries()];
    try {
      op.run();
      tally.set(`${op.kind}:ok`, (tally.get(`${op.kind}:ok`) ?? 0) + 1);
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      tally.set(`${op.kind}:${error.code}`, (tally.get(`${op.kind}:${error.code}`) ?? 0) + 1);
      // A rejection leaves everything as it was.
      expect(
        lightSnapshot(h.state, op.target),
        `rejected ${op.kind} at step ${step} changed state`,
      ).toEqual(before);
      expect([...h.deltaBook.entries()]).toEqual(deltasBefore);
    }
    if (op.kind === "cancel-foreign") expect(tally.get("cancel-foreign:ok") ?? 0).toBe(0);
    checkInvariants(h, step);
  }
  return { h, tally };
}

describe("matching engine under 2,000 random operations", () => {
  it("keeps every invariant on linear_cent with free maker fills (seed 1)", () => {
    const { h, tally } = runScenario(1, "linear_cent", "quadratic");
    // The run must actually trade and exercise rejections, or it proves little.
    expect(h.state.trades.length).toBeGreaterThan(200);
    expect(tally.get("place:ok") ?? 0).toBeGreaterThan(500);
    expect(tally.get("amend:ok") ?? 0).toBeGreaterThan(50);
    expect(tally.get("decrease:ok") ?? 0).toBeGreaterThan(50);
    // Fill-or-kill orders both filled and were refused; groups tripped and refused orders.
    const fok = [...h.state.orders.values()].filter((o) => o.timeInForce === "fill_or_kill");
    expect(fok.length).toBeGreaterThan(20);
    expect(tally.get("place:FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME") ?? 0).toBeGreaterThan(20);
    expect(tally.get("place:ORDER_GROUP_TRIGGERED") ?? 0).toBeGreaterThan(20);
  });

  it("keeps every invariant on tapered_deci_cent with maker fees (seed 2)", () => {
    const { h } = runScenario(2, "tapered_deci_cent", "quadratic_with_maker_fees");
    expect(h.state.trades.length).toBeGreaterThan(200);
  });

  it("keeps every invariant with another seed (seed 3)", () => {
    const { h } = runScenario(3, "linear_cent", "quadratic_with_maker_fees");
    expect(h.state.trades.length).toBeGreaterThan(200);
  });
});
