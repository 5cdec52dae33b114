/**
 * The simulator's matching engine: limit orders only, one YES-price book per
 * market, price-time priority, trades at the resting order's price.
 *
 * Order entry checks, in Kalshi's order: exchange and market open, price on
 * the market's grid, count ≥ 0.01, client_order_id unused, reduce-only cap,
 * post-only cross, fill-or-kill liquidity, and cash. Cash for the part of an
 * order that does not close an existing position is reserved while the order
 * rests (leg price × count plus fee headroom) and released as it fills or
 * leaves the book.
 */
import {
  ceilTo,
  complement,
  formatDollars,
  notional,
  ONE_CENT,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";
import { isOnGrid } from "@/lib/price-grid";
import { simErrors, SimError } from "@/server/sim/errors";
import { applyFill, legPrice, type FillEffect } from "@/server/sim/engine/accounts";
import { seriesTradeFee } from "@/server/sim/engine/fee-memo";
import {
  applyTradeToMarket,
  newOrderRecord,
  publishExecution,
  recordFill,
  requireTradableMarket,
} from "@/server/sim/engine/execution";
import {
  liveGroups,
  makerVerdict,
  projectedGroups,
  type GroupView,
  type TakerView,
} from "@/server/sim/engine/maker-eligibility";
import {
  attachOrderToGroup,
  checkOrderGroupPlacement,
  recordGroupFill,
  takeTriggeredGroupOrders,
} from "@/server/sim/order-groups/order-group-store";
import type {
  BookSide,
  FillRecord,
  MarketRecord,
  OrderRecord,
  PositionRecord,
  TradeRecord,
  UserRecord,
} from "@/server/sim/model";
import type { PlaceOrderInput } from "@/server/sim/engine/order-input";
import type { SimState } from "@/server/sim/state";

export type { PlaceOrderInput } from "@/server/sim/engine/order-input";

export interface PlaceOrderResult {
  order: OrderRecord;
  /** Fills of this order made during placement (it was the taker). */
  fills: FillRecord[];
  fillCount: Centis;
  /** Left on the order after placement (0 once an IOC remainder is canceled). */
  remainingCount: Centis;
  /** Volume-weighted YES price of the placement fills, or null without fills. */
  averageFillPrice: Micros | null;
  /** Net fee per contract of the placement fills, or null without fills. */
  averageFeePaid: Micros | null;
  tsMs: number;
}

export interface CancelResult {
  order: OrderRecord;
  reducedBy: Centis;
  tsMs: number;
}

/** Why an order left the book, for logs and `last_update_reason`-style reporting. */
export type CancelReason =
  | "user"
  | "expired"
  | "market_closed"
  | "pause"
  | "self_trade"
  | "ioc"
  | "group"
  | "insufficient_balance";

/** Publishes a copy of `order` (listeners may keep it); no copy when nobody listens. */
function publishOrder(state: SimState, order: OrderRecord): void {
  if (state.bus.wants("order")) state.bus.publish({ kind: "order", order: { ...order } });
  else state.bus.skip();
}

/** Publishes that a market's quote or totals changed; counted only when nobody listens. */
function publishTicker(state: SimState, ticker: string, tsMs: number): void {
  if (state.bus.wants("ticker")) state.bus.publish({ kind: "ticker", ticker, tsMs });
  else state.bus.skip();
}

/**
 * What per-order checks need of one account's (user, subaccount) resting
 * orders in one market, kept up to date instead of summed per order (an
 * account can rest hundreds of orders in a market):
 *
 * - per side, the contracts its resting orders promise to close from the
 *   position without cash (Σ `coveredRemaining`), changed only through
 *   `setCovered`, `track`/`untrack` and the fill bookkeeping in `match`;
 * - the orders behind that sum (for the cut in `refreshCoverage` when the
 *   position shrank under the promises; an entry whose coverage was used up
 *   is dropped when met);
 * - the reduce-only resting orders (rare; summed when asked).
 *
 * "Tracked" = in `state.restingByMarket` (on the book, or being amended).
 */
interface AccountSlot {
  coveredBid: Centis;
  coveredAsk: Centis;
  covering: Set<OrderRecord>;
  reducing: Set<OrderRecord>;
}

/** A FillEffect to write into (every applyFill sets all of it before it is read). */
function emptyEffect(): FillEffect {
  const position: PositionRecord = {
    userId: "",
    subaccount: 0,
    ticker: "",
    position: 0,
    cost: 0,
    realizedPnl: 0,
    feesPaid: 0,
    totalTraded: 0,
    volume: 0,
    lastUpdated: 0,
  };
  return { fee: 0, position, longYesDelta: 0, closed: 0, coveredUsed: 0 };
}

export class MatchingEngine {
  /** Slots by user id, then subaccount, then ticker (no key strings built per order). */
  private readonly slots = new Map<string, Array<Map<string, AccountSlot> | undefined>>();
  /** The live order-group view the sweep reads (one object, not one per match). */
  private readonly groups: Pick<GroupView, "isTriggered">;
  /** Each fill's two effects, written in place (read before the next fill). */
  private readonly makerEffect = emptyEffect();
  private readonly takerEffect = emptyEffect();

  constructor(private readonly state: SimState) {
    this.groups = liveGroups(state);
  }

  placeOrder(input: PlaceOrderInput): PlaceOrderResult {
    const { state } = this;
    const now = state.now();
    const user = this.requireUser(input.userId);
    const subaccount = input.subaccount ?? 0;
    if (subaccount < 0 || subaccount > user.subaccountCount) {
      throw simErrors.invalidParameters(`subaccount ${subaccount} does not exist`);
    }
    const market = requireTradableMarket(this.state, input.ticker);
    if (!isOnGrid(input.price, market.priceRanges)) {
      throw simErrors.invalidPrice(
        `price ${formatDollars(input.price)} is not a valid price for ${market.ticker} ` +
          `(${market.priceLevelStructure}; see the market's price_ranges)`,
      );
    }
    if (!Number.isSafeInteger(input.count) || input.count < 1) {
      throw simErrors.invalidParameters("count: must be at least 0.01 contracts");
    }
    if (input.expirationTime != null) {
      if (input.timeInForce !== "good_till_canceled") {
        throw simErrors.invalidParameters(
          "expiration_time: only allowed with time_in_force good_till_canceled",
        );
      }
      if (input.expirationTime <= now) {
        throw simErrors.invalidParameters("expiration_time: must be in the future");
      }
    }
    let clientOrderId = input.clientOrderId;
    const madeClientOrderId = clientOrderId == null;
    if (clientOrderId == null) {
      // Made here, drawn just before the order's own id (client-order-ids.ts relies on that).
      clientOrderId = state.newId();
      if (state.clientOrderIds.hasMade(user.userId, clientOrderId))
        throw simErrors.orderAlreadyExists(clientOrderId);
    } else if (state.clientOrderIds.has(user.userId, clientOrderId)) {
      throw simErrors.orderAlreadyExists(clientOrderId);
    }
    checkOrderGroupPlacement(state, user.userId, subaccount, input.orderGroupId);

    const book = state.book(market.ticker);
    let count = input.count;
    if (input.reduceOnly) {
      const held = this.heldPosition(user.userId, subaccount, market.ticker);
      // A bid reduces a NO position (negative), an ask reduces a YES position.
      const reducible = input.side === "bid" ? Math.max(-held, 0) : Math.max(held, 0);
      const alreadyReducing = this.restingCount(user.userId, subaccount, market.ticker, input.side);
      const cap = Math.max(reducible - alreadyReducing, 0);
      if (cap === 0) {
        throw simErrors.invalidParameters(
          "reduce_only: this order would not reduce your position in this market",
        );
      }
      count = Math.min(count, cap);
    }
    if (input.postOnly && book.crosses(input.side, input.price)) throw simErrors.postOnlyCross();
    if (input.timeInForce === "fill_or_kill") {
      const available = this.fillableAgainst(
        {
          userId: user.userId,
          selfTradePrevention: input.selfTradePrevention ?? "taker_at_cross",
          orderGroupId: input.orderGroupId ?? null,
        },
        input.side,
        input.price,
        market.ticker,
        count,
      );
      if (available < count) {
        throw new SimError(
          409,
          "FILL_OR_KILL_INSUFFICIENT_RESTING_VOLUME",
          `fill_or_kill: only ${available / 100} contracts can fill at ${formatDollars(input.price)} or better`,
        );
      }
    }

    const order = newOrderRecord(
      state,
      {
        userId: user.userId,
        subaccount,
        ticker: market.ticker,
        side: input.side,
        price: input.price,
        count,
        timeInForce: input.timeInForce,
        expirationTime: input.expirationTime,
        postOnly: input.postOnly,
        reduceOnly: input.reduceOnly,
        selfTradePrevention: input.selfTradePrevention,
        cancelOnPause: input.cancelOnPause,
        clientOrderId,
        orderGroupId: input.orderGroupId,
      },
      now,
    );
    // newOrderRecord drew exactly one id, the order's.
    const orderNumber = state.ids.drawn;
    this.reserve(user, order, market, false);
    state.addOrder(order, orderNumber, madeClientOrderId);
    attachOrderToGroup(state, order);
    publishOrder(state, order);

    const fills = this.match(order, market, user);

    if (order.remainingCount > 0 && order.status === "resting") {
      if (input.timeInForce === "good_till_canceled") {
        book.add(order);
        this.track(order);
        this.publishDelta(order, order.remainingCount, now);
        publishOrder(state, order);
        publishTicker(state, market.ticker, now);
      } else {
        this.finish(order, user, "canceled");
      }
    }
    state.touchUserData();

    const fillCount = order.fillCount;
    const totalFee = order.takerFees;
    return {
      order,
      fills,
      fillCount,
      remainingCount: order.status === "resting" ? order.remainingCount : 0,
      averageFillPrice: fillCount > 0 ? this.averagePrice(fills) : null,
      averageFeePaid: fillCount > 0 ? Math.round((totalFee * 100) / fillCount) : null,
      tsMs: now,
    };
  }

  /**
   * Rebuilds the engine's own indexes from the state's resting orders (after
   * the state was restored from a snapshot: the engine is not stored).
   */
  rebuildIndexes(): void {
    this.slots.clear();
    for (const set of this.state.restingByMarket.values()) {
      for (const order of set) this.index(order);
    }
  }

  /**
   * Checks the engine's sums against the resting orders (tests): throws
   * naming the first account whose kept sum is not the recomputed one.
   */
  verifyIndexes(): void {
    const expected = new Map<AccountSlot, { bid: Centis; ask: Centis }>();
    for (const set of this.state.restingByMarket.values()) {
      for (const order of set) {
        const slot = this.slotOf(order.userId, order.subaccount, order.ticker);
        if (!slot) {
          if (order.coveredRemaining === 0 && !order.reduceOnly) continue;
          throw new Error(`engine index: no slot for resting order ${order.orderId}`);
        }
        const sums = expected.get(slot) ?? { bid: 0, ask: 0 };
        sums[order.side] += order.coveredRemaining;
        expected.set(slot, sums);
        if (order.coveredRemaining > 0 && !slot.covering.has(order))
          throw new Error(`engine index: covering order ${order.orderId} not listed`);
        if (order.reduceOnly && !slot.reducing.has(order))
          throw new Error(`engine index: reduce-only order ${order.orderId} not listed`);
      }
    }
    for (const [userId, bySubaccount] of this.slots) {
      bySubaccount.forEach((byTicker, subaccount) => {
        for (const [ticker, slot] of byTicker ?? []) {
          const sums = expected.get(slot) ?? { bid: 0, ask: 0 };
          if (slot.coveredBid !== sums.bid || slot.coveredAsk !== sums.ask) {
            throw new Error(
              `engine index: ${userId}/${subaccount}/${ticker} covers ${slot.coveredBid}/${slot.coveredAsk}, resting orders ${sums.bid}/${sums.ask}`,
            );
          }
        }
      });
    }
  }

  /** Cancels a resting order of `userId`; throws 404 when it is not theirs or not found. */
  cancelOrder(userId: string, orderId: string, reason: CancelReason = "user"): CancelResult {
    const order = this.requireOwnOrder(userId, orderId);
    if (order.status !== "resting") {
      throw simErrors.invalidParameters(
        `order ${orderId} is ${order.status} and cannot be canceled`,
      );
    }
    if (reason === "user") this.requireExchangeOpenForCancels(order.ticker);
    return this.cancelResting(order, reason);
  }

  /** Reduces a resting order by `reduceBy`, or down to `reduceTo` remaining contracts. */
  decreaseOrder(
    userId: string,
    orderId: string,
    change: { reduceBy?: Centis; reduceTo?: Centis },
  ): CancelResult {
    const order = this.requireOwnOrder(userId, orderId);
    if (order.status !== "resting") {
      throw simErrors.invalidParameters(
        `order ${orderId} is ${order.status} and cannot be decreased`,
      );
    }
    this.requireExchangeOpenForCancels(order.ticker);
    const { reduceBy, reduceTo } = change;
    if ((reduceBy === undefined) === (reduceTo === undefined)) {
      throw simErrors.invalidParameters("give exactly one of reduce_by or reduce_to");
    }
    const by = reduceBy !== undefined ? reduceBy : order.remainingCount - (reduceTo ?? 0);
    if (by <= 0)
      throw simErrors.invalidParameters("the decrease must remove at least 0.01 contracts");
    if (by >= order.remainingCount) return this.cancelResting(order, "user");
    const now = this.state.now();
    const user = this.requireUser(order.userId);
    const release = Math.floor((order.reserved * by) / order.remainingCount);
    order.reserved -= release;
    this.state.adjustBalance(user, order.subaccount, release);
    this.state.book(order.ticker).shrink(order, by);
    order.remainingCount -= by;
    this.setCovered(order, Math.min(order.coveredRemaining, order.remainingCount));
    order.lastUpdateTime = now;
    this.publishDelta(order, -by, now);
    publishOrder(this.state, order);
    publishTicker(this.state, order.ticker, now);
    this.state.touchUserData();
    return { order, reducedBy: by, tsMs: now };
  }

  /**
   * Amends price and/or count (the new total: filled + remaining). Keeps queue
   * priority only when the price is unchanged and the size does not grow, as
   * exchanges do; otherwise the order is re-queued and may match at once.
   */
  amendOrder(
    userId: string,
    orderId: string,
    change: {
      price: Micros;
      count: Centis;
      side: BookSide;
      ticker: string;
      updatedClientOrderId?: string;
    },
  ): { oldOrder: OrderRecord; order: OrderRecord; result: PlaceOrderResult } {
    const order = this.requireOwnOrder(userId, orderId);
    if (order.status !== "resting") {
      throw simErrors.invalidParameters(
        `order ${orderId} is ${order.status} and cannot be amended`,
      );
    }
    if (change.ticker !== order.ticker || change.side !== order.side) {
      throw simErrors.invalidParameters("ticker and side must match the order being amended");
    }
    const market = requireTradableMarket(this.state, order.ticker);
    if (!isOnGrid(change.price, market.priceRanges)) {
      throw simErrors.invalidPrice(
        `price ${formatDollars(change.price)} is not on ${market.ticker}'s price grid`,
      );
    }
    const newRemaining = change.count - order.fillCount;
    if (newRemaining < 1) {
      throw simErrors.invalidParameters(
        `count: must exceed the ${order.fillCount / 100} contracts already filled`,
      );
    }
    if (change.updatedClientOrderId !== undefined) {
      if (this.state.clientOrderIds.has(userId, change.updatedClientOrderId))
        throw simErrors.orderAlreadyExists(change.updatedClientOrderId);
    }
    const oldOrder = { ...order };
    const user = this.requireUser(userId);
    const now = this.state.now();
    const book = this.state.book(order.ticker);
    const keepsPriority = change.price === order.price && newRemaining <= order.remainingCount;

    if (keepsPriority) {
      if (change.updatedClientOrderId !== undefined)
        this.renameClientOrderId(order, change.updatedClientOrderId);
      const by = order.remainingCount - newRemaining;
      if (by > 0)
        return {
          oldOrder,
          order,
          result: this.asResult(this.decreaseOrder(userId, orderId, { reduceBy: by }).order, now),
        };
      return { oldOrder, order, result: this.asResult(order, now) };
    }

    // Take it off the book, re-price, re-reserve, and run it through matching again.
    book.remove(order);
    this.publishDelta(order, -order.remainingCount, now);
    this.state.adjustBalance(user, order.subaccount, order.reserved);
    order.reserved = 0;
    order.price = change.price;
    order.remainingCount = newRemaining;
    order.initialCount = change.count;
    order.sequence = this.state.nextSequence();
    order.lastUpdateTime = now;
    try {
      this.reserve(user, order, market, true);
    } catch (error) {
      // Not enough cash for the bigger order: put the original back untouched,
      // with its old reservation and (sequence-ordered) queue place.
      this.setCovered(order, oldOrder.coveredRemaining);
      Object.assign(order, oldOrder);
      this.state.adjustBalance(user, order.subaccount, -order.reserved);
      book.add(order);
      this.publishDelta(order, order.remainingCount, now);
      throw error;
    }
    if (change.updatedClientOrderId !== undefined)
      this.renameClientOrderId(order, change.updatedClientOrderId);
    const fillsBefore = order.fillCount;
    const fills = this.match(order, market, user);
    if (order.remainingCount > 0 && order.status === "resting") {
      book.add(order);
      this.publishDelta(order, order.remainingCount, now);
    } else {
      this.untrack(order);
    }
    publishOrder(this.state, order);
    publishTicker(this.state, order.ticker, now);
    this.state.touchUserData();
    const filled = order.fillCount - fillsBefore;
    return {
      oldOrder,
      order,
      result: {
        order,
        fills,
        fillCount: filled,
        remainingCount: order.status === "resting" ? order.remainingCount : 0,
        averageFillPrice: filled > 0 ? this.averagePrice(fills) : null,
        averageFeePaid:
          filled > 0 ? Math.round((fills.reduce((s, f) => s + f.fee, 0) * 100) / filled) : null,
        tsMs: now,
      },
    };
  }

  private renameClientOrderId(order: OrderRecord, clientOrderId: string): void {
    // The old id stays in use (an engine-made one is now kept like a chosen one).
    this.state.clientOrderIds.set(order.userId, order.clientOrderId, order.orderId);
    this.state.clientOrderIds.set(order.userId, clientOrderId, order.orderId);
    order.clientOrderId = clientOrderId;
  }

  /** Cancels every resting order whose expiration_time has passed. Returns how many. */
  expireOrders(): number {
    const now = this.state.now();
    let expired = 0;
    for (const set of this.state.restingByMarket.values()) {
      for (const order of [...set]) {
        if (order.expirationTime !== null && order.expirationTime <= now) {
          this.cancelResting(order, "expired");
          expired += 1;
        }
      }
    }
    return expired;
  }

  /** Cancels all resting orders of a market (close, deactivation), or only those flagged `cancel_order_on_pause`. */
  cancelMarketOrders(ticker: string, reason: CancelReason, onlyCancelOnPause = false): number {
    const set = this.state.restingByMarket.get(ticker);
    if (!set) return 0;
    let count = 0;
    for (const order of [...set]) {
      if (onlyCancelOnPause && !order.cancelOnPause) continue;
      this.cancelResting(order, reason);
      count += 1;
    }
    return count;
  }

  /** Orders ahead of this one at its price level, in contracts. */
  queuePosition(userId: string, orderId: string): Centis {
    const order = this.requireOwnOrder(userId, orderId);
    if (order.status !== "resting") return 0;
    return this.state.book(order.ticker).queuePosition(order);
  }

  // ---------------------------------------------------------------- internals

  private match(taker: OrderRecord, market: MarketRecord, takerUser: UserRecord): FillRecord[] {
    const { state } = this;
    const book = state.book(market.ticker);
    const opposite = book.opposite(taker.side);
    const series = state.series.get(market.seriesTicker);
    const takerFills: FillRecord[] = [];
    const now = state.now();
    const { groups } = this;

    while (taker.remainingCount > 0 && taker.status === "resting") {
      const level = opposite.best();
      if (!level) break;
      const crosses =
        taker.side === "bid" ? level.price <= taker.price : level.price >= taker.price;
      if (!crosses) break;
      const maker = level.orders[0];
      if (!maker) break;
      const verdict = makerVerdict(taker, maker, groups, now);
      if (verdict.kind === "cancel_maker") {
        this.cancelResting(maker, verdict.reason);
        continue;
      }
      if (verdict.kind === "stop") {
        if (verdict.reason === "self_trade") this.finish(taker, takerUser, "canceled");
        break;
      }

      const makerUser = this.requireUser(maker.userId);
      const count = Math.min(taker.remainingCount, maker.remainingCount);
      const price = maker.price;
      const tradeId = state.newId();

      // The maker's level shrinks first (Kalshi sends the delta before the trade).
      book.shrink(maker, count);
      const makerEffect = applyFill(
        state,
        makerUser,
        maker,
        series,
        price,
        count,
        false,
        this.makerEffect,
      );
      // The maker is tracked: its slot's sum loses the coverage this fill used.
      if (makerEffect.coveredUsed > 0) this.coveredUsed(maker, makerEffect.coveredUsed);
      maker.remainingCount -= count;
      maker.fillCount += count;
      maker.lastUpdateTime = now;
      this.publishDelta(maker, -count, now);
      if (maker.remainingCount === 0) {
        book.remove(maker);
        maker.status = "executed";
        this.untrack(maker);
      }

      const takerEffect = applyFill(
        state,
        takerUser,
        taker,
        series,
        price,
        count,
        true,
        this.takerEffect,
      );
      // A taker is tracked only while amended (a new order reaches the book after matching).
      if (takerEffect.coveredUsed > 0 && this.isTracked(taker))
        this.coveredUsed(taker, takerEffect.coveredUsed);
      recordGroupFill(state, maker, count);
      recordGroupFill(state, taker, count);
      taker.remainingCount -= count;
      taker.fillCount += count;
      taker.lastUpdateTime = now;
      if (taker.remainingCount === 0) taker.status = "executed";

      applyTradeToMarket(
        market,
        price,
        count,
        makerEffect.longYesDelta + takerEffect.longYesDelta,
        now,
      );

      const trade: TradeRecord = {
        tradeId,
        ticker: market.ticker,
        price,
        count,
        takerSide: taker.side,
        isBlockTrade: false,
        createdTime: now,
        seq: -1, // numbered by recordTrade
      };
      state.recordTrade(trade);
      if (state.bus.wants("trade")) state.bus.publish({ kind: "trade", trade });
      else state.bus.skip();

      const takerFill = recordFill(state, {
        tradeId,
        order: taker,
        price,
        count,
        isTaker: true,
        fee: takerEffect.fee,
        postPosition: takerEffect.position.position,
        now,
      });
      const makerFill = recordFill(state, {
        tradeId,
        order: maker,
        price,
        count,
        isTaker: false,
        fee: makerEffect.fee,
        postPosition: makerEffect.position.position,
        now,
      });
      takerFills.push(takerFill);
      publishExecution(
        state,
        market.ticker,
        { order: maker, fill: makerFill, position: makerEffect.position },
        { order: taker, fill: takerFill, position: takerEffect.position },
        now,
      );

      if (makerEffect.closed > 0) this.refreshCoverage(maker, taker);
      if (takerEffect.closed > 0) this.refreshCoverage(taker, taker);
    }
    if (taker.status === "executed") this.releaseRemainder(taker, takerUser);
    // Groups that tripped during this match lose their resting orders now; the taker never rests.
    for (const order of takeTriggeredGroupOrders(state)) {
      if (order === taker) this.finish(taker, takerUser, "canceled");
      else if (order.status === "resting") this.cancelResting(order, "group");
    }
    return takerFills;
  }

  /**
   * Holds cash for the part of the order that opens exposure: leg price ×
   * uncovered count, plus the worst-case taker fee and one cent of rounding
   * headroom. Contracts that close an existing opposite position need no cash
   * (the pair pays out $1).
   */
  private reserve(
    user: UserRecord,
    order: OrderRecord,
    market: MarketRecord,
    /** True when amending (the order is tracked), false for a new order. */
    tracked: boolean,
  ): void {
    const held = this.heldPosition(user.userId, order.subaccount, order.ticker);
    const closable = order.side === "bid" ? Math.max(-held, 0) : Math.max(held, 0);
    const alreadyCovering =
      closable === 0
        ? 0
        : this.coveredCount(
            user.userId,
            order.subaccount,
            order.ticker,
            order.side,
            order,
            tracked,
          );
    const covered = Math.min(order.remainingCount, Math.max(closable - alreadyCovering, 0));
    const needed = this.requiredReserve(order, market.seriesTicker, covered);
    const available = this.state.balance(user, order.subaccount);
    if (needed > available) {
      throw simErrors.insufficientBalance(
        formatDollars(needed, 2),
        formatDollars(Math.max(available, 0), 2),
      );
    }
    this.state.adjustBalance(user, order.subaccount, -needed);
    order.reserved = needed;
    this.setCovered(order, covered, tracked);
  }

  /** Cash an order's remaining contracts need when `covered` of them close an existing position. */
  private requiredReserve(order: OrderRecord, seriesTicker: string, covered: Centis): Micros {
    const uncovered = order.remainingCount - covered;
    const series = this.state.series.get(seriesTicker);
    const feeHeadroom =
      ceilTo(seriesTradeFee(series, order.price, order.remainingCount, "taker"), ONE_CENT) +
      ONE_CENT;
    // An order that only closes pays its fee out of the $1-per-pair payout;
    // it needs cash only where the fee could exceed what closing returns.
    const needed =
      uncovered > 0
        ? notional(legPrice(order, order.price), uncovered) + feeHeadroom
        : Math.max(0, feeHeadroom - notional(complement(legPrice(order, order.price)), covered));
    return needed;
  }

  /**
   * After a fill of `filled` closed part of its owner's position, other resting
   * orders of that user and side may be counting on closing the same contracts
   * (coveredRemaining) and hold no cash for them. Newest first, they lose the
   * coverage the position no longer backs and are topped up from free cash, or
   * canceled when the cash is not there. `taker` (mid-match) is never cut.
   */
  private refreshCoverage(filled: OrderRecord, taker: OrderRecord): void {
    const { userId, subaccount, ticker, side } = filled;
    const held = this.heldPosition(userId, subaccount, ticker);
    const closable = side === "bid" ? Math.max(-held, 0) : Math.max(held, 0);
    const takerCovered =
      taker.userId === userId && taker.side === side ? taker.coveredRemaining : 0;
    // Usually the position still backs every promise: find that out without building a list.
    let covered = takerCovered + this.coveredCount(userId, subaccount, ticker, side, taker);
    if (covered <= closable) return;
    const slot = this.slotOf(userId, subaccount, ticker);
    if (!slot) return;
    const user = this.requireUser(userId);
    // Newest first: each pass picks the newest covering order older than the last one cut
    // (usually one or two passes; no list to build or sort).
    let before = Number.POSITIVE_INFINITY;
    while (covered > closable) {
      let order: OrderRecord | undefined;
      for (const candidate of slot.covering) {
        if (candidate.coveredRemaining === 0) {
          slot.covering.delete(candidate); // used up; listed again if it is ever covered again
          continue;
        }
        if (candidate === taker || candidate.side !== side || candidate.status !== "resting")
          continue;
        if (candidate.sequence < before && (!order || candidate.sequence > order.sequence))
          order = candidate;
      }
      if (!order) break;
      before = order.sequence;
      const keep = Math.max(order.coveredRemaining - (covered - closable), 0);
      covered -= order.coveredRemaining - keep;
      const market = this.state.market(ticker);
      const topUp = Math.max(
        0,
        this.requiredReserve(order, market?.seriesTicker ?? "", keep) - order.reserved,
      );
      if (topUp <= this.state.balance(user, subaccount)) {
        this.state.adjustBalance(user, subaccount, -topUp);
        order.reserved += topUp;
        this.setCovered(order, keep);
      } else {
        covered -= keep;
        this.cancelResting(order, "insufficient_balance");
      }
    }
  }

  /** Contracts already promised to close positions by other resting orders on this side. */
  private coveredCount(
    userId: string,
    subaccount: number,
    ticker: string,
    side: BookSide,
    except?: OrderRecord,
    /** Whether `except` is tracked, when the caller knows. */
    exceptTracked?: boolean,
  ): Centis {
    const slot = this.slotOf(userId, subaccount, ticker);
    if (!slot) return 0;
    const total = side === "bid" ? slot.coveredBid : slot.coveredAsk;
    // `except` counts in the sum only while tracked (an order being amended).
    if (
      except &&
      except.side === side &&
      except.coveredRemaining > 0 &&
      (exceptTracked ?? this.isTracked(except))
    ) {
      return total - except.coveredRemaining;
    }
    return total;
  }

  /** The account's slot in `ticker`, or undefined when it never rested an order there. */
  private slotOf(userId: string, subaccount: number, ticker: string): AccountSlot | undefined {
    return this.slots.get(userId)?.[subaccount]?.get(ticker);
  }

  private slotFor(order: OrderRecord): AccountSlot {
    const { userId, subaccount, ticker } = order;
    let bySubaccount = this.slots.get(userId);
    if (!bySubaccount) {
      bySubaccount = [];
      this.slots.set(userId, bySubaccount);
    }
    let byTicker = bySubaccount[subaccount];
    if (!byTicker) {
      byTicker = new Map();
      bySubaccount[subaccount] = byTicker;
    }
    let slot = byTicker.get(ticker);
    if (!slot) {
      slot = { coveredBid: 0, coveredAsk: 0, covering: new Set(), reducing: new Set() };
      byTicker.set(ticker, slot);
    }
    return slot;
  }

  /** Whether the order is tracked (resting on the book, or being amended). */
  private isTracked(order: OrderRecord): boolean {
    return this.state.restingByMarket.get(order.ticker)?.has(order) === true;
  }

  /**
   * The one way to change a resting order's coverage: a tracked order's slot
   * sum follows. `tracked` when the caller knows (saves the lookup).
   */
  private setCovered(order: OrderRecord, covered: Centis, tracked?: boolean): void {
    if (covered === order.coveredRemaining) return;
    if (tracked ?? this.isTracked(order)) {
      const slot = this.slotFor(order);
      if (order.side === "bid") slot.coveredBid += covered - order.coveredRemaining;
      else slot.coveredAsk += covered - order.coveredRemaining;
      if (covered > 0) slot.covering.add(order);
    }
    order.coveredRemaining = covered;
  }

  /** A fill of a tracked order used `used` of its coverage (applyFill lowered the order's own count). */
  private coveredUsed(order: OrderRecord, used: Centis): void {
    const slot = this.slotFor(order);
    if (order.side === "bid") slot.coveredBid -= used;
    else slot.coveredAsk -= used;
  }

  /** Adds a tracked order to its slot's sums and lists. */
  private index(order: OrderRecord): void {
    if (order.coveredRemaining === 0 && !order.reduceOnly) return;
    const slot = this.slotFor(order);
    if (order.side === "bid") slot.coveredBid += order.coveredRemaining;
    else slot.coveredAsk += order.coveredRemaining;
    if (order.coveredRemaining > 0) slot.covering.add(order);
    if (order.reduceOnly) slot.reducing.add(order);
  }

  private track(order: OrderRecord): void {
    this.state.trackResting(order);
    this.index(order);
  }

  private untrack(order: OrderRecord): void {
    if (!this.state.untrackResting(order)) return;
    const slot = this.slotOf(order.userId, order.subaccount, order.ticker);
    if (!slot) return;
    if (order.side === "bid") slot.coveredBid -= order.coveredRemaining;
    else slot.coveredAsk -= order.coveredRemaining;
    slot.covering.delete(order);
    if (order.reduceOnly) slot.reducing.delete(order);
  }

  /** Net position without creating an empty record (a rejected order must leave no trace). */
  private heldPosition(userId: string, subaccount: number, ticker: string): Centis {
    return this.state.findPosition(userId, subaccount, ticker)?.position ?? 0;
  }

  /** Contracts of resting reduce-only orders on `side` (they cap what another may reduce). */
  private restingCount(userId: string, subaccount: number, ticker: string, side: BookSide): Centis {
    const slot = this.slotOf(userId, subaccount, ticker);
    if (!slot) return 0;
    let total = 0;
    for (const order of slot.reducing) {
      if (order.status !== "resting") {
        slot.reducing.delete(order);
        continue;
      }
      if (order.side === side) total += order.remainingCount;
    }
    return total;
  }

  /**
   * Contracts the sweep would fill right now at `price` or better (up to
   * `wanted`): the same maker rule as `match`, with group trips projected
   * from the fills planned so far. Changes nothing.
   */
  private fillableAgainst(
    taker: TakerView,
    side: BookSide,
    price: Micros,
    ticker: string,
    wanted: Centis,
  ): Centis {
    const groups = projectedGroups(this.state);
    const now = this.state.now();
    let total = 0;
    for (const level of this.state.book(ticker).opposite(side).iterate()) {
      const crosses = side === "bid" ? level.price <= price : level.price >= price;
      if (!crosses) break;
      for (const maker of level.orders) {
        const verdict = makerVerdict(taker, maker, groups, now);
        if (verdict.kind === "stop") return total;
        if (verdict.kind === "cancel_maker") continue;
        const count = Math.min(wanted - total, maker.remainingCount);
        total += count;
        if (total >= wanted) return total;
        // In the sweep's order: the maker's group counts the fill, then the taker's.
        groups.recordFill(maker, count);
        groups.recordFill(taker, count);
      }
    }
    return total;
  }

  private cancelResting(order: OrderRecord, reason: CancelReason): CancelResult {
    const now = this.state.now();
    const reducedBy = order.remainingCount;
    const user = this.requireUser(order.userId);
    this.state.book(order.ticker).remove(order);
    this.untrack(order);
    this.publishDelta(order, -reducedBy, now);
    this.finish(order, user, "canceled");
    publishTicker(this.state, order.ticker, now);
    this.state.touchUserData();
    void reason;
    return { order, reducedBy, tsMs: now };
  }

  /** Ends an order (canceled or executed) and returns any unused reservation. */
  private finish(order: OrderRecord, user: UserRecord, status: "canceled" | "executed"): void {
    this.setCovered(order, 0);
    order.status = status;
    if (status === "canceled") order.remainingCount = 0;
    order.lastUpdateTime = this.state.now();
    this.releaseRemainder(order, user);
    publishOrder(this.state, order);
  }

  private releaseRemainder(order: OrderRecord, user: UserRecord): void {
    if (order.reserved !== 0) {
      this.state.adjustBalance(user, order.subaccount, order.reserved);
      order.reserved = 0;
    }
  }

  private publishDelta(order: OrderRecord, delta: Centis, tsMs: number): void {
    if (delta === 0) return;
    if (!this.state.bus.wants("book_delta")) {
      this.state.bus.skip();
      return;
    }
    this.state.bus.publish({
      kind: "book_delta",
      ticker: order.ticker,
      side: order.side,
      price: order.price,
      delta,
      order: { ...order },
      tsMs,
    });
  }

  private averagePrice(fills: FillRecord[]): Micros {
    let value = 0;
    let count = 0;
    for (const fill of fills) {
      value += notional(fill.price, fill.count);
      count += fill.count;
    }
    return count === 0 ? 0 : Math.round((value * 100) / count);
  }

  private asResult(order: OrderRecord, tsMs: number): PlaceOrderResult {
    return {
      order,
      fills: [],
      fillCount: 0,
      remainingCount: order.status === "resting" ? order.remainingCount : 0,
      averageFillPrice: null,
      averageFeePaid: null,
      tsMs,
    };
  }

  private requireUser(userId: string): UserRecord {
    const user = this.state.users.get(userId);
    if (!user) throw simErrors.unauthorized("unknown user");
    return user;
  }

  private requireOwnOrder(userId: string, orderId: string): OrderRecord {
    const order = this.state.orders.get(orderId);
    // Someone else's order is reported exactly like a missing one: no probing.
    if (!order || order.userId !== userId) throw simErrors.notFound(`order ${orderId}`);
    return order;
  }

  /** Cancels and decreases are refused after close (MARKET_INACTIVE) and during an exchange pause. */
  private requireExchangeOpenForCancels(ticker: string): void {
    if (!this.state.flags.exchangeActive) {
      throw simErrors.exchangeUnavailable(
        "the exchange is paused for maintenance; cancels resume with trading",
      );
    }
    const market = this.state.market(ticker);
    if (market && market.status !== "active" && market.status !== "inactive") {
      throw simErrors.marketInactive(ticker, market.status);
    }
    // Past close_time every order operation is refused, even before the lifecycle tick marks it closed.
    if (market && this.state.now() >= market.closeTime)
      throw simErrors.marketInactive(ticker, "closed");
  }
}
