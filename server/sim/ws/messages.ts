/**
 * Builds the `msg` bodies of Kalshi's WebSocket data messages from the
 * simulator's records. Money goes through `formatDollars` (4+ decimals),
 * counts through `formatCount` (2 decimals); nothing here touches a float.
 */
import {
  complement,
  formatCount,
  formatDollars,
  microsToWholeDollars,
  notional,
  type Micros,
} from "@/lib/fixed-point";
import { toWireRanges } from "@/lib/price-grid";
import type { MarketLifecycleEventType } from "@/server/sim/bus";
import { serializeOrderAmounts } from "@/server/sim/http/serialize-portfolio";
import { marketQuote } from "@/server/sim/market-quote";
import {
  outcomeOf,
  type BookSide,
  type EventRecord,
  type FillRecord,
  type MarketRecord,
  type OrderRecord,
  type PositionRecord,
  type TradeRecord,
} from "@/server/sim/model";
import type { JsonObject, JsonValue } from "@/server/sim/bus";
import type { SimState } from "@/server/sim/state";

export type WireMsg = JsonObject;

/** RFC3339 with millisecond precision, UTC. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * A book side's level price as the client sees it. YES levels are resting
 * YES bids at their YES price. NO levels are resting YES asks: on the NO leg
 * ($1 − p) by default, on the YES leg (p) with `use_yes_price`.
 */
export function levelPrice(side: BookSide, yesPrice: Micros, useYesPrice: boolean): Micros {
  return side === "bid" || useYesPrice ? yesPrice : complement(yesPrice);
}

/** `orderbook_snapshot` msg: both sides ascending by the reported price; empty sides left out. */
export function orderbookSnapshotMsg(
  state: SimState,
  market: MarketRecord,
  useYesPrice: boolean,
): WireMsg {
  const book = state.books.get(market.ticker);
  const msg: WireMsg = { market_ticker: market.ticker, market_id: market.marketId };
  if (!book) return msg;
  const levels = (side: BookSide): JsonValue[] =>
    book
      .depth(side)
      .map(([price, size]) => ({ price: levelPrice(side, price, useYesPrice), size }))
      .sort((a, b) => a.price - b.price)
      .map(({ price, size }) => [formatDollars(price), formatCount(size)]);
  const yes = levels("bid");
  const no = levels("ask");
  if (yes.length > 0) msg.yes_dollars_fp = yes;
  if (no.length > 0) msg.no_dollars_fp = no;
  return msg;
}

export interface BookDeltaInput {
  market: MarketRecord;
  side: BookSide;
  price: Micros;
  delta: number;
  tsMs: number;
  /** Set only when the receiving connection's user owns the order that caused the change. */
  ownOrder?: Pick<OrderRecord, "clientOrderId" | "subaccount">;
}

export function orderbookDeltaMsg(input: BookDeltaInput, useYesPrice: boolean): WireMsg {
  const msg: WireMsg = {
    market_ticker: input.market.ticker,
    market_id: input.market.marketId,
    price_dollars: formatDollars(levelPrice(input.side, input.price, useYesPrice)),
    delta_fp: formatCount(input.delta),
    side: outcomeOf(input.side),
  };
  if (input.ownOrder) {
    msg.client_order_id = input.ownOrder.clientOrderId;
    msg.subaccount = input.ownOrder.subaccount;
  }
  msg.ts = rfc3339(input.tsMs);
  msg.ts_ms = input.tsMs;
  return msg;
}

/** `ticker` msg: the market's current top of book, last trade and totals. */
export function tickerMsg(state: SimState, market: MarketRecord, tsMs: number): WireMsg {
  const quote = marketQuote(state, market.ticker);
  const trades = state.tradesByMarket.get(market.ticker);
  const lastTrade = trades?.[trades.length - 1];
  const lastPrice = market.lastPrice ?? 0;
  return {
    market_ticker: market.ticker,
    market_id: market.marketId,
    // Never traded: "0.0000" (a parseable dollar string) rather than the "" seen in 2025 captures.
    price_dollars: formatDollars(lastPrice),
    yes_bid_dollars: formatDollars(quote.yesBid),
    yes_ask_dollars: formatDollars(quote.yesAsk),
    yes_bid_size_fp: formatCount(quote.yesBidSize),
    yes_ask_size_fp: formatCount(quote.yesAskSize),
    last_trade_size_fp: formatCount(lastTrade?.count ?? 0),
    volume_fp: formatCount(market.volume),
    open_interest_fp: formatCount(market.openInterest),
    dollar_volume: microsToWholeDollars(market.dollarVolume),
    // Open interest valued at the last trade price (Kalshi does not define the valuation).
    dollar_open_interest: microsToWholeDollars(notional(lastPrice, market.openInterest)),
    ts: seconds(tsMs),
    ts_ms: tsMs,
    time: rfc3339(tsMs),
  };
}

export function tradeMsg(trade: TradeRecord): WireMsg {
  const outcome = outcomeOf(trade.takerSide);
  return {
    trade_id: trade.tradeId,
    market_ticker: trade.ticker,
    yes_price_dollars: formatDollars(trade.price),
    no_price_dollars: formatDollars(complement(trade.price)),
    count_fp: formatCount(trade.count),
    taker_side: outcome,
    taker_outcome_side: outcome,
    taker_book_side: trade.takerSide,
    is_block_trade: trade.isBlockTrade,
    ts: seconds(trade.createdTime),
    ts_ms: trade.createdTime,
  };
}

/**
 * `fill` msg. The engine only knows bid/ask, so the deprecated legacy trio is
 * reported in its "buy" form: a bid is buy YES, an ask is buy NO.
 */
export function fillMsg(fill: FillRecord, market: MarketRecord | undefined): WireMsg {
  const outcome = outcomeOf(fill.side);
  return {
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    market_ticker: fill.ticker,
    exchange_index: market?.exchangeIndex ?? 0,
    is_taker: fill.isTaker,
    side: outcome,
    action: "buy",
    purchased_side: outcome,
    outcome_side: outcome,
    book_side: fill.side,
    yes_price_dollars: formatDollars(fill.price),
    count_fp: formatCount(fill.count),
    fee_cost: formatDollars(fill.fee),
    post_position_fp: formatCount(fill.postPosition),
    client_order_id: fill.clientOrderId,
    subaccount: fill.subaccount,
    ts: seconds(fill.createdTime),
    ts_ms: fill.createdTime,
  };
}

export function userOrderMsg(order: OrderRecord): WireMsg {
  const msg: WireMsg = {
    order_id: order.orderId,
    user_id: order.userId,
    ticker: order.ticker,
    status: order.status,
    side: outcomeOf(order.side),
    is_yes: order.side === "bid",
    outcome_side: outcomeOf(order.side),
    book_side: order.side,
    yes_price_dollars: formatDollars(order.price),
    ...serializeOrderAmounts(order),
    client_order_id: order.clientOrderId,
  };
  if (order.orderGroupId !== null) msg.order_group_id = order.orderGroupId;
  msg.self_trade_prevention_type = order.selfTradePrevention;
  msg.created_time = rfc3339(order.createdTime);
  msg.created_ts_ms = order.createdTime;
  msg.last_update_time = rfc3339(order.lastUpdateTime);
  msg.last_updated_ts_ms = order.lastUpdateTime;
  if (order.expirationTime !== null) {
    msg.expiration_time = rfc3339(order.expirationTime);
    msg.expiration_ts_ms = order.expirationTime;
  }
  msg.subaccount_number = order.subaccount;
  return msg;
}

/**
 * `market_position` msg. The simulator keeps one fee total per position, so
 * `position_fee_cost_dollars` repeats `fees_paid_dollars`.
 */
export function marketPositionMsg(position: PositionRecord): WireMsg {
  return {
    user_id: position.userId,
    market_ticker: position.ticker,
    position_fp: formatCount(position.position),
    position_cost_dollars: formatDollars(position.cost),
    realized_pnl_dollars: formatDollars(position.realizedPnl),
    fees_paid_dollars: formatDollars(position.feesPaid),
    position_fee_cost_dollars: formatDollars(position.feesPaid),
    volume_fp: formatCount(position.volume),
    subaccount: position.subaccount,
  };
}

function strikeFields(market: MarketRecord): WireMsg {
  const out: WireMsg = { strike_type: market.strikeType };
  if (market.floorStrike !== null) out.floor_strike = market.floorStrike;
  if (market.capStrike !== null) out.cap_strike = market.capStrike;
  return out;
}

/** `market_lifecycle_v2` msg: each event type carries only the keys the spec lists for it. */
export function marketLifecycleMsg(
  state: SimState,
  ticker: string,
  eventType: MarketLifecycleEventType,
): WireMsg {
  const msg: WireMsg = { event_type: eventType, market_ticker: ticker };
  const market = state.market(ticker);
  if (!market) return msg;
  switch (eventType) {
    case "created": {
      const event = state.events.get(market.eventTicker);
      msg.exchange_index = market.exchangeIndex;
      msg.open_ts = seconds(market.openTime);
      msg.close_ts = seconds(market.closeTime);
      msg.price_level_structure = market.priceLevelStructure;
      msg.price_ranges = toWireRanges(market.priceRanges).map((r) => ({ ...r }));
      msg.additional_metadata = {
        name: event?.title ?? market.title,
        title: market.title,
        yes_sub_title: market.yesSubTitle,
        no_sub_title: market.noSubTitle,
        rules_primary: market.rulesPrimary,
        rules_secondary: market.rulesSecondary,
        can_close_early: market.canCloseEarly,
        event_ticker: market.eventTicker,
        expected_expiration_ts: seconds(market.expectedExpirationTime),
        ...strikeFields(market),
      };
      break;
    }
    case "activated":
    case "deactivated":
      msg.is_deactivated = eventType === "deactivated";
      break;
    case "close_date_updated":
      msg.close_ts = seconds(market.closeTime);
      break;
    case "determined":
      msg.result = market.result;
      msg.determination_ts = seconds(market.determinationTime ?? state.now());
      if (market.settlementValue !== null)
        msg.settlement_value = formatDollars(market.settlementValue);
      break;
    case "settled":
      msg.settled_ts = seconds(market.settlementTime ?? state.now());
      break;
    case "price_level_structure_updated":
      msg.price_level_structure = market.priceLevelStructure;
      msg.price_ranges = toWireRanges(market.priceRanges).map((r) => ({ ...r }));
      break;
    case "metadata_updated":
      Object.assign(msg, strikeFields(market));
      msg.yes_sub_title = market.yesSubTitle;
      break;
  }
  return msg;
}

export function eventLifecycleMsg(state: SimState, event: EventRecord): WireMsg {
  const firstMarket = event.marketTickers.map((t) => state.market(t)).find((m) => m !== undefined);
  const msg: WireMsg = {
    event_ticker: event.eventTicker,
    exchange_index: firstMarket?.exchangeIndex ?? 0,
    title: event.title,
    subtitle: event.subTitle,
    collateral_return_type: event.collateralReturnType,
    series_ticker: event.seriesTicker,
  };
  if (event.strikeDate !== null) msg.strike_date = seconds(event.strikeDate);
  if (event.strikePeriod !== "") msg.strike_period = event.strikePeriod;
  return msg;
}

/** Multivariate (combo) markets and events have their own lifecycle channel. */
export function isMultivariateTicker(ticker: string): boolean {
  return ticker.startsWith("KXMVE");
}
