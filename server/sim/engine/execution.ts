/**
 * What every way of executing a trade shares — book matches in the matching
 * engine and block trades from the RFQ desk: the tradability check, a fresh
 * order record, the fill record, the market's trade statistics and the bus
 * events that follow a trade.
 */
import { notional, type Centis, type Micros } from "@/lib/fixed-point";
import { simErrors } from "@/server/sim/errors";
import type { PlaceOrderInput } from "@/server/sim/engine/order-input";
import type { FillRecord, MarketRecord, OrderRecord, PositionRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

/**
 * The market `ticker` if orders may trade in it now: the exchange and trading
 * are open and the market is active and before its close time.
 */
export function requireTradableMarket(state: SimState, ticker: string): MarketRecord {
  const { flags } = state;
  if (!flags.exchangeActive) {
    throw simErrors.exchangeUnavailable("the exchange is paused for maintenance; try again later");
  }
  if (!flags.tradingActive) throw simErrors.tradingPaused();
  const market = state.market(ticker);
  if (!market) throw simErrors.marketNotFound(ticker);
  if (market.status !== "active" || state.now() >= market.closeTime) {
    throw simErrors.marketInactive(ticker, market.status === "active" ? "closed" : market.status);
  }
  return market;
}

/** What a new order is: a placement's input with its account and client order id settled. */
export type NewOrderFields = Omit<PlaceOrderInput, "subaccount" | "clientOrderId"> & {
  subaccount: number;
  clientOrderId: string;
};

/**
 * A new `resting` order record with nothing filled, reserved or paid yet,
 * given a fresh order id (the only id it draws: the engine reads its number
 * from `state.ids.drawn` right after) and the next arrival sequence (not
 * stored anywhere).
 */
export function newOrderRecord(state: SimState, fields: NewOrderFields, now: number): OrderRecord {
  return {
    orderId: state.newId(),
    userId: fields.userId,
    subaccount: fields.subaccount,
    ticker: fields.ticker,
    clientOrderId: fields.clientOrderId,
    side: fields.side,
    price: fields.price,
    initialCount: fields.count,
    remainingCount: fields.count,
    fillCount: 0,
    status: "resting",
    timeInForce: fields.timeInForce,
    expirationTime: fields.expirationTime ?? null,
    postOnly: fields.postOnly ?? false,
    reduceOnly: fields.reduceOnly ?? false,
    selfTradePrevention: fields.selfTradePrevention ?? "taker_at_cross",
    cancelOnPause: fields.cancelOnPause ?? false,
    orderGroupId: fields.orderGroupId ?? null,
    takerFillCost: 0,
    makerFillCost: 0,
    takerFees: 0,
    makerFees: 0,
    feeAccumulator: 0,
    reserved: 0,
    coveredRemaining: 0,
    createdTime: now,
    lastUpdateTime: now,
    sequence: state.nextSequence(),
  };
}

/** One side's part of a trade, as its fill records it. */
export interface FillFields {
  tradeId: string;
  order: OrderRecord;
  price: Micros;
  count: Centis;
  isTaker: boolean;
  fee: Micros;
  /** The side's position after the fill. */
  postPosition: Centis;
  now: number;
}

/** Records (in `state.fills`) and returns the fill of one side of a trade. */
export function recordFill(state: SimState, fields: FillFields): FillRecord {
  const { order } = fields;
  const fill: FillRecord = {
    fillId: state.newId(),
    tradeId: fields.tradeId,
    orderId: order.orderId,
    userId: order.userId,
    subaccount: order.subaccount,
    ticker: order.ticker,
    side: order.side,
    price: fields.price,
    count: fields.count,
    isTaker: fields.isTaker,
    fee: fields.fee,
    clientOrderId: order.clientOrderId,
    postPosition: fields.postPosition,
    createdTime: fields.now,
  };
  state.recordFill(fill);
  return fill;
}

/** Moves the market's last price, volumes and open interest for one trade. */
export function applyTradeToMarket(
  market: MarketRecord,
  price: Micros,
  count: Centis,
  openInterestDelta: Centis,
  now: number,
): void {
  market.lastPrice = price;
  market.volume += count;
  market.dollarVolume += notional(price, count);
  market.openInterest += openInterestDelta;
  market.updatedTime = now;
}

/** One side of an executed trade, as published. */
export interface ExecutedSide {
  order: OrderRecord;
  fill: FillRecord;
  position: PositionRecord;
}

/**
 * Publishes what follows a trade on the bus, in Kalshi's order: both fills,
 * both orders and both positions (maker first), then the market's ticker.
 */
export function publishExecution(
  state: SimState,
  ticker: string,
  maker: ExecutedSide,
  taker: ExecutedSide,
  now: number,
): void {
  // The copies below are for listeners (WebSocket sessions); without any, skip building them.
  const { bus } = state;
  if (bus.wants("fill")) {
    bus.publish({ kind: "fill", fill: maker.fill });
    bus.publish({ kind: "fill", fill: taker.fill });
  } else bus.skip(2);
  if (bus.wants("order")) {
    bus.publish({ kind: "order", order: { ...maker.order } });
    bus.publish({ kind: "order", order: { ...taker.order } });
  } else bus.skip(2);
  if (bus.wants("position")) {
    bus.publish({ kind: "position", position: { ...maker.position } });
    bus.publish({ kind: "position", position: { ...taker.position } });
  } else bus.skip(2);
  if (bus.wants("ticker")) bus.publish({ kind: "ticker", ticker, tsMs: now });
  else bus.skip();
}
