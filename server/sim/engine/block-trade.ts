/**
 * A block trade between two named parties at an agreed price, outside the
 * book: how an executed RFQ quote settles. Each side gets an order record
 * (status `executed`, so its fill has an order_id to point at), a fill, and
 * the same cash, fee and position effects as a book trade (applyFill); the
 * trade is recorded with `isBlockTrade` and everything is published on the
 * bus in the engine's order (trade, fills, orders, positions, ticker).
 */
import {
  ceilTo,
  notional,
  ONE_CENT,
  ONE_DOLLAR,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";
import { tradeFee } from "@/lib/fees";
import { SimError } from "@/server/sim/errors";
import { applyFill, legPrice } from "@/server/sim/engine/accounts";
import {
  applyTradeToMarket,
  newOrderRecord,
  publishExecution,
  recordFill,
  type ExecutedSide,
} from "@/server/sim/engine/execution";
import type { BookSide, FillRecord, OrderRecord, TradeRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

export interface BlockTradeParty {
  userId: string;
  subaccount: number;
  /** `bid` buys YES, `ask` buys NO. */
  side: BookSide;
}

export interface BlockTradeInput {
  ticker: string;
  /** YES price of the trade. */
  price: Micros;
  count: Centis;
  /** Pays the taker fee. */
  taker: BlockTradeParty;
  /** Pays the maker fee (free on plain `quadratic` series). */
  maker: BlockTradeParty;
}

export interface BlockTradeResult {
  trade: TradeRecord;
  takerOrder: OrderRecord;
  makerOrder: OrderRecord;
  takerFill: FillRecord;
  makerFill: FillRecord;
}

/**
 * Cash `party` is short of for its side of the trade (0 when it can pay):
 * the leg's cost plus its fee rounded up to the cent, less the $1 per pair
 * paid out for contracts that close an opposite position it already holds.
 */
export function blockTradeShortfall(
  state: SimState,
  party: BlockTradeParty,
  ticker: string,
  price: Micros,
  count: Centis,
  role: "taker" | "maker",
): Micros {
  const user = state.users.get(party.userId);
  if (!user) return Number.MAX_SAFE_INTEGER;
  const market = state.market(ticker);
  const series = market ? state.series.get(market.seriesTicker) : undefined;
  const cost = notional(legPrice(party, price), count);
  const fee = ceilTo(
    tradeFee({
      price,
      count,
      feeType: series?.feeType ?? "quadratic",
      feeMultiplier: series?.feeMultiplier ?? 1,
      role,
    }),
    ONE_CENT,
  );
  const held = state.findPosition(party.userId, party.subaccount, ticker)?.position ?? 0;
  const closable = party.side === "bid" ? Math.max(-held, 0) : Math.max(held, 0);
  const payout = notional(ONE_DOLLAR, Math.min(closable, count));
  return Math.max(0, cost + fee - payout - state.balance(user, party.subaccount));
}

/** Executes the trade; the caller has checked both parties can pay (blockTradeShortfall). */
export function executeBlockTrade(state: SimState, input: BlockTradeInput): BlockTradeResult {
  const market = state.market(input.ticker);
  if (!market) throw new SimError(404, "MARKET_NOT_FOUND", `market ${input.ticker} not found`);
  const series = state.series.get(market.seriesTicker);
  const now = state.now();
  const tradeId = state.newId();
  const takerOrder = blockOrder(state, input.taker, input, now);
  const makerOrder = blockOrder(state, input.maker, input, now);

  const sides: Array<ExecutedSide & { longYesDelta: Centis }> = [];
  for (const order of [takerOrder, makerOrder]) {
    const user = state.users.get(order.userId);
    if (!user) throw new SimError(500, "internal_server_error", "block trade party vanished");
    const isTaker = order === takerOrder;
    const effect = applyFill(state, user, order, series, input.price, input.count, isTaker);
    order.remainingCount = 0;
    order.fillCount = input.count;
    order.status = "executed";
    const fill = recordFill(state, {
      tradeId,
      order,
      price: input.price,
      count: input.count,
      isTaker,
      fee: effect.fee,
      postPosition: effect.position.position,
      now,
    });
    sides.push({ order, fill, position: effect.position, longYesDelta: effect.longYesDelta });
  }

  applyTradeToMarket(
    market,
    input.price,
    input.count,
    sides.reduce((sum, side) => sum + side.longYesDelta, 0),
    now,
  );

  const trade: TradeRecord = {
    tradeId,
    ticker: market.ticker,
    price: input.price,
    count: input.count,
    takerSide: input.taker.side,
    isBlockTrade: true,
    createdTime: now,
    seq: -1, // numbered by recordTrade
  };
  state.recordTrade(trade);
  state.bus.publish({ kind: "trade", trade });
  const [takerSide, makerSide] = sides as [(typeof sides)[0], (typeof sides)[0]];
  publishExecution(state, market.ticker, makerSide, takerSide, now);
  state.touchUserData();
  return { trade, takerOrder, makerOrder, takerFill: takerSide.fill, makerFill: makerSide.fill };
}

function blockOrder(
  state: SimState,
  party: BlockTradeParty,
  input: BlockTradeInput,
  now: number,
): OrderRecord {
  const clientOrderId = state.newId();
  const order = newOrderRecord(
    state,
    {
      userId: party.userId,
      subaccount: party.subaccount,
      ticker: input.ticker,
      clientOrderId,
      side: party.side,
      price: input.price,
      count: input.count,
      // The order exists only to carry the block fill: it never rests.
      timeInForce: "fill_or_kill",
    },
    now,
  );
  state.addOrder(order);
  return order;
}
