/**
 * Wire JSON for the simulator's private records (orders, fills, positions,
 * settlements, balances), field for field as Kalshi's OpenAPI schemas and the
 * `kalshi-typescript` models define them. Deprecated fields that Kalshi still
 * sends (`side`, `action`, `yes_price`...) are included because real clients
 * still read them.
 */
import {
  complement,
  formatCount,
  formatDollars,
  microsToCents,
  type Micros,
} from "@/lib/fixed-point";
import {
  outcomeOf,
  type FillRecord,
  type OrderRecord,
  type PositionRecord,
  type SettlementRecord,
} from "@/server/sim/model";

const iso = (ms: number) => new Date(ms).toISOString();

/** Legacy (side, action) for a book side: a bid is "buy yes", an ask is "sell yes". */
function legacyDirection(side: OrderRecord["side"]): { side: "yes"; action: "buy" | "sell" } {
  return { side: "yes", action: side === "bid" ? "buy" : "sell" };
}

/** An order's counts, fill costs and fees, as both the REST order and the WebSocket `user_order` msg carry them. */
export function serializeOrderAmounts(order: OrderRecord) {
  return {
    fill_count_fp: formatCount(order.fillCount),
    remaining_count_fp: formatCount(order.remainingCount),
    initial_count_fp: formatCount(order.initialCount),
    taker_fill_cost_dollars: formatDollars(order.takerFillCost),
    maker_fill_cost_dollars: formatDollars(order.makerFillCost),
    taker_fees_dollars: formatDollars(order.takerFees),
    maker_fees_dollars: formatDollars(order.makerFees),
  };
}

/** Order, as returned by GET /portfolio/orders and the legacy order endpoints. */
export function serializeOrder(order: OrderRecord) {
  const legacy = legacyDirection(order.side);
  return {
    order_id: order.orderId,
    user_id: order.userId,
    client_order_id: order.clientOrderId,
    ticker: order.ticker,
    side: legacy.side,
    action: legacy.action,
    outcome_side: outcomeOf(order.side),
    book_side: order.side,
    type: "limit" as const,
    status: order.status,
    yes_price_dollars: formatDollars(order.price),
    no_price_dollars: formatDollars(complement(order.price)),
    ...serializeOrderAmounts(order),
    expiration_time: order.expirationTime === null ? null : iso(order.expirationTime),
    created_time: iso(order.createdTime),
    last_update_time: iso(order.lastUpdateTime),
    self_trade_prevention_type: order.selfTradePrevention,
    order_group_id: order.orderGroupId,
    cancel_order_on_pause: order.cancelOnPause,
    subaccount_number: order.subaccount,
    exchange_index: 0,
  };
}

export function serializeFill(fill: FillRecord) {
  const legacy = legacyDirection(fill.side);
  return {
    fill_id: fill.fillId,
    exchange_index: 0,
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    client_order_id: fill.clientOrderId,
    ticker: fill.ticker,
    market_ticker: fill.ticker,
    side: legacy.side,
    action: legacy.action,
    outcome_side: outcomeOf(fill.side),
    book_side: fill.side,
    count_fp: formatCount(fill.count),
    yes_price_dollars: formatDollars(fill.price),
    no_price_dollars: formatDollars(complement(fill.price)),
    is_taker: fill.isTaker,
    created_time: iso(fill.createdTime),
    fee_cost: formatDollars(fill.fee),
    subaccount_number: fill.subaccount,
    ts: Math.floor(fill.createdTime / 1000),
  };
}

export function serializeMarketPosition(position: PositionRecord) {
  return {
    ticker: position.ticker,
    exchange_index: 0,
    total_traded_dollars: formatDollars(position.totalTraded),
    position_fp: formatCount(position.position),
    market_exposure_dollars: formatDollars(position.cost),
    realized_pnl_dollars: formatDollars(position.realizedPnl),
    fees_paid_dollars: formatDollars(position.feesPaid),
    last_updated_ts: iso(position.lastUpdated),
    subaccount_number: position.subaccount,
  };
}

export interface EventPositionTotals {
  eventTicker: string;
  totalCost: Micros;
  totalCostShares: number;
  exposure: Micros;
  realizedPnl: Micros;
  feesPaid: Micros;
}

export function serializeEventPosition(totals: EventPositionTotals) {
  return {
    event_ticker: totals.eventTicker,
    total_cost_dollars: formatDollars(totals.totalCost),
    total_cost_shares_fp: formatCount(totals.totalCostShares),
    event_exposure_dollars: formatDollars(totals.exposure),
    realized_pnl_dollars: formatDollars(totals.realizedPnl),
    fees_paid_dollars: formatDollars(totals.feesPaid),
  };
}

/**
 * The `event_positions` of a positions page: `positions` summed per event
 * (events in the order they first appear), serialized.
 */
export function serializeEventPositions(
  positions: PositionRecord[],
  eventTickerOf: (ticker: string) => string | undefined,
) {
  const events = new Map<string, EventPositionTotals>();
  for (const position of positions) {
    const eventTicker = eventTickerOf(position.ticker) ?? "";
    const totals = events.get(eventTicker) ?? {
      eventTicker,
      totalCost: 0,
      totalCostShares: 0,
      exposure: 0,
      realizedPnl: 0,
      feesPaid: 0,
    };
    totals.totalCost += position.cost;
    totals.totalCostShares += Math.abs(position.position);
    totals.exposure += position.cost;
    totals.realizedPnl += position.realizedPnl;
    totals.feesPaid += position.feesPaid;
    events.set(eventTicker, totals);
  }
  return [...events.values()].map(serializeEventPosition);
}

export function serializeSettlement(settlement: SettlementRecord) {
  return {
    ticker: settlement.ticker,
    exchange_index: 0,
    event_ticker: settlement.eventTicker,
    market_result: settlement.result,
    yes_count_fp: formatCount(settlement.yesCount),
    yes_total_cost_dollars: formatDollars(settlement.yesTotalCost),
    no_count_fp: formatCount(settlement.noCount),
    no_total_cost_dollars: formatDollars(settlement.noTotalCost),
    revenue: microsToCents(settlement.revenue),
    settled_time: iso(settlement.settledTime),
    fee_cost: formatDollars(settlement.feeCost),
    value: settlement.value === null ? null : microsToCents(settlement.value),
    subaccount_number: settlement.subaccount,
  };
}
