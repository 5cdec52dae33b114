/**
 * The Kalshi REST client: the only code that talks to Kalshi. One signed
 * transport per credential (or an unsigned one for public market data) and a
 * typed function per endpoint the pages use. Every answer is validated with
 * the zod schemas in lib/schemas before it leaves this module.
 *
 *   const kalshi = createKalshiClient({ apiKeyId, privateKey, restBaseUrl });
 *   await kalshi.getBalance();
 */
import { randomUUID, type KeyObject } from "node:crypto";

import { z } from "zod";

import {
  AccountLimitsSchema,
  EndpointCostsSchema,
  type AccountLimits,
  type EndpointCosts,
} from "@/lib/schemas/account";
import {
  CandlesticksResponseSchema,
  EventListSchema,
  EventResponseSchema,
  ExchangeStatusSchema,
  HistoricalCandlesticksResponseSchema,
  HistoricalCutoffSchema,
  MarketListSchema,
  MarketResponseSchema,
  OrderbookResponseSchema,
  OrderbooksResponseSchema,
  SeriesListSchema,
  SeriesResponseSchema,
  TradeListSchema,
  type Candlestick,
  type CandlesticksQuery,
  type CandlesticksResponse,
  type EventList,
  type EventResponse,
  type EventsQuery,
  type ExchangeStatus,
  type HistoricalCutoff,
  type Market,
  type MarketList,
  type MarketsQuery,
  type OrderbookResponse,
  type OrderbooksResponse,
  type Series,
  type SeriesList,
  type SeriesQuery,
  type TradeList,
  type TradesQuery,
} from "@/lib/schemas/market";
import {
  AmendOrderResponseSchema,
  BatchCancelOrdersResponseSchema,
  BatchCreateOrdersResponseSchema,
  CancelOrderResponseSchema,
  CreateOrderResponseSchema,
  DecreaseOrderResponseSchema,
  OrderListSchema,
  OrderResponseSchema,
  QueuePositionsSchema,
  type QueuePositions,
  type QueuePositionsQuery,
  type AmendOrderInput,
  type AmendOrderResponse,
  type BatchCancelOrdersInput,
  type BatchCancelOrdersResponse,
  type BatchCreateOrdersInput,
  type BatchCreateOrdersResponse,
  type CancelOrderResponse,
  type CreateOrderInput,
  type DecreaseOrderInput,
  type DecreaseOrderResponse,
  type Order,
  type OrderList,
  type OrdersQuery,
  type PlacedOrder,
} from "@/lib/schemas/order";
import {
  CreateOrderGroupResponseSchema,
  OrderGroupDetailSchema,
  OrderGroupListSchema,
  type CreateOrderGroupInput,
  type CreateOrderGroupResponse,
  type OrderGroupDetail,
  type OrderGroupList,
} from "@/lib/schemas/order-group";
import {
  BalanceSchema,
  FillListSchema,
  PositionsSchema,
  SettlementListSchema,
  type Balance,
  type BalanceQuery,
  type FillList,
  type FillsQuery,
  type Positions,
  type PositionsQuery,
  type SettlementList,
  type SettlementsQuery,
} from "@/lib/schemas/portfolio";
import {
  CreatedIdSchema,
  QuoteListSchema,
  QuoteResponseSchema,
  RfqListSchema,
  RfqResponseSchema,
  type CreateQuoteInput,
  type CreateRfqInput,
  type CreatedId,
  type Quote,
  type QuoteList,
  type QuotesQuery,
  type Rfq,
  type RfqList,
  type RfqsQuery,
} from "@/lib/schemas/rfq";
import {
  CollectionListSchema,
  CollectionResponseSchema,
  ComboMarketResponseSchema,
  type Collection,
  type CollectionList,
  type CollectionsQuery,
  type ComboMarket,
  type CreateComboInput,
} from "@/lib/schemas/collection";
import {
  CreateSubaccountResponseSchema,
  EmptyObjectSchema,
  NettingConfigsSchema,
  type NettingConfigs,
  SubaccountBalancesSchema,
  SubaccountTransferListSchema,
  type CreateSubaccountResponse,
  type SubaccountBalances,
  type SubaccountTransferList,
  type TransferInput,
  type TransfersQuery,
} from "@/lib/schemas/subaccount";

import { systemClock, type KalshiClock } from "./clock";
import { KalshiError, LOCAL_ERROR_CODES } from "./errors";
import {
  clientOrderIdReused,
  firstSentOrder,
  orderDifferences,
  rememberSentOrder,
} from "./order-dedupe";
import { budgetFromAccount, costOf, limiterFor, RateLimiter, type RateBudget } from "./rate-limits";
import { KalshiTransport, type RequestSpec, type RetryPolicy } from "./transport";

/** Public reads are small; past this the upstream is in trouble and the page should say so. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** 4 sends, backoff ≤ 100, 200, 400 ms: a 429 clears within ~10 ms per rate_limits.md. */
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 100, capMs: 2_000 };
/** A page would rather hear "busy" than hang: queue at most this long for our own budget. */
const DEFAULT_MAX_QUEUE_WAIT_MS = 5_000;
/** The cutoff moves daily at most; asking once a minute is plenty. */
const CUTOFF_TTL_MS = 60_000;
/** 204 answers (RFQ accept/confirm/delete) carry no body. */
const NoContentSchema = z.unknown().transform(() => ({}) as Record<string, never>);

export interface KalshiClientTuning {
  /** Per-attempt timeout, ms. Default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  maxQueueWaitMs?: number;
  clock?: KalshiClock;
  /** Uniform [0,1) for backoff jitter. */
  random?: () => number;
  fetch?: typeof fetch;
  /**
   * The rate limiter to use. Default: the process-wide limiter of this
   * credential (or of this base URL for the public client).
   */
  limiter?: RateLimiter;
  /** Skip `GET /account/limits` and use this budget (tests, tools). */
  budget?: RateBudget;
  /** Structured log sink for rare events (rate limited after retries). */
  log?: (entry: Record<string, unknown>) => void;
}

export interface KalshiCredentials {
  apiKeyId: string;
  /** The parsed key; PEMs are parsed once by whoever loads the credential, never per request. */
  privateKey: KeyObject;
  /** e.g. "https://external-api.kalshi.com/trade-api/v2" */
  restBaseUrl: string;
}

export type KalshiClientOptions = KalshiCredentials & KalshiClientTuning;

type Transport = Pick<KalshiTransport, "request" | "restBaseUrl">;

const cutoffCache = new Map<string, { value: HistoricalCutoff; at: number }>();

/** Public market data: what anyone can read, signed or not. */
function marketDataApi(t: Transport, clock: KalshiClock) {
  const get = <S extends z.ZodType>(spec: Omit<RequestSpec<S>, "method">) =>
    t.request({ method: "GET", ...spec });

  const api = {
    /** GET /exchange/status */
    getExchangeStatus: (signal?: AbortSignal): Promise<ExchangeStatus> =>
      get({ route: "/exchange/status", schema: ExchangeStatusSchema, signal }),

    /** GET /markets: one page (follow `cursor`). */
    listMarkets: (query: MarketsQuery = {}, signal?: AbortSignal): Promise<MarketList> =>
      get({ route: "/markets", query: { ...query }, schema: MarketListSchema, signal }),

    /** GET /markets/{ticker} */
    getMarket: async (ticker: string, signal?: AbortSignal): Promise<Market> =>
      (
        await get({
          route: "/markets/{ticker}",
          params: { ticker },
          schema: MarketResponseSchema,
          signal,
        })
      ).market,

    /** GET /historical/markets/{ticker}: a market settled before the historical cutoff. */
    getHistoricalMarket: async (ticker: string, signal?: AbortSignal): Promise<Market> =>
      (
        await get({
          route: "/historical/markets/{ticker}",
          params: { ticker },
          schema: MarketResponseSchema,
          signal,
        })
      ).market,

    /** GET /events */
    listEvents: (query: EventsQuery = {}, signal?: AbortSignal): Promise<EventList> =>
      get({ route: "/events", query: { ...query }, schema: EventListSchema, signal }),

    /** GET /events/{event_ticker}: the event and its markets. */
    getEvent: (
      eventTicker: string,
      query: { with_nested_markets?: boolean } = {},
      signal?: AbortSignal,
    ): Promise<EventResponse> =>
      get({
        route: "/events/{event_ticker}",
        params: { event_ticker: eventTicker },
        query: { ...query },
        schema: EventResponseSchema,
        signal,
      }),

    /** GET /series */
    listSeries: (query: SeriesQuery = {}, signal?: AbortSignal): Promise<SeriesList> =>
      get({ route: "/series", query: { ...query }, schema: SeriesListSchema, signal }),

    /** GET /series/{series_ticker} */
    getSeries: async (seriesTicker: string, signal?: AbortSignal): Promise<Series> =>
      (
        await get({
          route: "/series/{series_ticker}",
          params: { series_ticker: seriesTicker },
          schema: SeriesResponseSchema,
          signal,
        })
      ).series,

    /** GET /multivariate_event_collections (public) */
    listCollections: (
      query: CollectionsQuery = {},
      signal?: AbortSignal,
    ): Promise<CollectionList> =>
      get({
        route: "/multivariate_event_collections",
        query: { ...query },
        schema: CollectionListSchema,
        signal,
      }),

    /** GET /multivariate_event_collections/{collection_ticker} (public) */
    getCollection: async (ticker: string, signal?: AbortSignal): Promise<Collection> =>
      (
        await get({
          route: "/multivariate_event_collections/{collection_ticker}",
          params: { collection_ticker: ticker },
          schema: CollectionResponseSchema,
          signal,
        })
      ).multivariate_contract,

    /** GET /markets/{ticker}/orderbook */
    getOrderbook: (
      ticker: string,
      query: { depth?: number } = {},
      signal?: AbortSignal,
    ): Promise<OrderbookResponse> =>
      get({
        route: "/markets/{ticker}/orderbook",
        params: { ticker },
        query: { ...query },
        schema: OrderbookResponseSchema,
        signal,
      }),

    /** GET /markets/orderbooks: several books at once. */
    getOrderbooks: (
      tickers: readonly string[],
      signal?: AbortSignal,
    ): Promise<OrderbooksResponse> =>
      get({
        route: "/markets/orderbooks",
        query: { tickers },
        schema: OrderbooksResponseSchema,
        signal,
      }),

    /** GET /markets/trades */
    listTrades: (query: TradesQuery = {}, signal?: AbortSignal): Promise<TradeList> =>
      get({ route: "/markets/trades", query: { ...query }, schema: TradeListSchema, signal }),

    /** GET /historical/trades: trades older than the cutoff. */
    listHistoricalTrades: (query: TradesQuery = {}, signal?: AbortSignal): Promise<TradeList> =>
      get({ route: "/historical/trades", query: { ...query }, schema: TradeListSchema, signal }),

    /** GET /historical/cutoff, cached for a minute per exchange. */
    getHistoricalCutoff: async (signal?: AbortSignal): Promise<HistoricalCutoff> => {
      const cached = cutoffCache.get(t.restBaseUrl);
      if (cached && clock.now() - cached.at < CUTOFF_TTL_MS) return cached.value;
      const value = await get({
        route: "/historical/cutoff",
        schema: HistoricalCutoffSchema,
        signal,
      });
      cutoffCache.set(t.restBaseUrl, { value, at: clock.now() });
      return value;
    },

    /**
     * Candlesticks of one market over [start_ts, end_ts]. Markets that settled
     * before `GET /historical/cutoff` live only under /historical/...: when the
     * range reaches back past the cutoff both tiers are asked and merged (the
     * live answer wins on a shared period), so callers never need to know.
     */
    getMarketCandlesticks: async (
      ticker: string,
      query: CandlesticksQuery,
      signal?: AbortSignal,
    ): Promise<CandlesticksResponse> => {
      const live = () =>
        get({
          route: "/series/{series_ticker}/markets/{ticker}/candlesticks",
          params: { series_ticker: query.series_ticker, ticker },
          query: {
            start_ts: query.start_ts,
            end_ts: query.end_ts,
            period_interval: query.period_interval,
          },
          schema: CandlesticksResponseSchema,
          signal,
        });
      const cutoff = await api.getHistoricalCutoff(signal).catch(() => undefined);
      const cutoffSeconds = cutoff
        ? Math.floor(Date.parse(cutoff.market_settled_ts) / 1000)
        : undefined;
      if (cutoffSeconds === undefined || query.start_ts >= cutoffSeconds) {
        const answer = await live();
        return { ticker, candlesticks: answer.candlesticks };
      }
      const historical = get({
        route: "/historical/markets/{ticker}/candlesticks",
        params: { ticker },
        query: {
          start_ts: query.start_ts,
          end_ts: Math.min(query.end_ts, cutoffSeconds),
          period_interval: query.period_interval,
        },
        schema: HistoricalCandlesticksResponseSchema,
        signal,
      }).then((answer) => answer.candlesticks.map(fromHistoricalCandle));
      const [liveResult, historicalResult] = await Promise.allSettled([live(), historical]);
      if (liveResult.status === "rejected" && historicalResult.status === "rejected") {
        throw liveResult.reason;
      }
      for (const result of [liveResult, historicalResult]) {
        // A tier that does not know the market is fine; anything else is a real failure.
        if (result.status === "rejected" && !isNotFound(result.reason)) throw result.reason;
      }
      const byPeriod = new Map<number, Candlestick>();
      if (historicalResult.status === "fulfilled") {
        for (const candle of historicalResult.value) byPeriod.set(candle.end_period_ts, candle);
      }
      if (liveResult.status === "fulfilled") {
        for (const candle of liveResult.value.candlesticks)
          byPeriod.set(candle.end_period_ts, candle);
      }
      return {
        ticker,
        candlesticks: [...byPeriod.values()].sort((a, b) => a.end_period_ts - b.end_period_ts),
      };
    },
  };
  return api;
}

export type KalshiMarketDataClient = ReturnType<typeof marketDataApi>;

function isNotFound(error: unknown): boolean {
  return error instanceof KalshiError && error.status === 404;
}

function fromHistoricalCandle(
  candle: z.output<typeof HistoricalCandlesticksResponseSchema>["candlesticks"][number],
): Candlestick {
  const ohlc = (v: { open: string; low: string; high: string; close: string }) => ({
    open_dollars: v.open,
    low_dollars: v.low,
    high_dollars: v.high,
    close_dollars: v.close,
  });
  return {
    end_period_ts: candle.end_period_ts,
    yes_bid: ohlc(candle.yes_bid),
    yes_ask: ohlc(candle.yes_ask),
    price: {
      open_dollars: candle.price.open,
      low_dollars: candle.price.low,
      high_dollars: candle.price.high,
      close_dollars: candle.price.close,
      mean_dollars: candle.price.mean,
      previous_dollars: candle.price.previous,
    },
    volume_fp: candle.volume,
    open_interest_fp: candle.open_interest,
  };
}

/** How far back to look for an order by client_order_id after an ambiguous create. */
const DEDUP_LOOKBACK_SECONDS = 3_600;
/** Pages of GET /portfolio/orders to scan for it (newest first; it is almost always on page 1). */
const DEDUP_MAX_PAGES = 5;

/** How far the exchange's clock may lag ours when matching a transfer by its time. */
const TRANSFER_CLOCK_SKEW_SECONDS = 5;

/**
 * Kalshi's docs list no 409 for transfers; the simulator answers a reused
 * client_transfer_id with 409 TRANSFER_ALREADY_EXISTS (see
 * docs/simulator-error-codes.md). Any other 409 is a different refusal.
 */
function isTransferAlreadyExists(error: unknown): error is KalshiError {
  return (
    error instanceof KalshiError &&
    error.status === 409 &&
    error.code.toUpperCase() === "TRANSFER_ALREADY_EXISTS"
  );
}

function clientTransferIdReused(cause: KalshiError, clientTransferId: string): KalshiError {
  return new KalshiError({
    status: 409,
    code: LOCAL_ERROR_CODES.clientTransferIdReused,
    message: `client_transfer_id ${clientTransferId} was already used by another transfer; nothing was moved. Send this transfer with a new client_transfer_id.`,
    method: cause.method,
    path: cause.path,
    attempts: cause.attempts,
    deliveredAttempts: cause.deliveredAttempts,
    cause,
  });
}

/** No answer, or a 5xx: the exchange may or may not have done the work. */
function mayHaveLanded(error: unknown): boolean {
  return error instanceof KalshiError && (error.status === 0 || error.status >= 500);
}

function isOrderAlreadyExists(error: unknown): error is KalshiError {
  return (
    error instanceof KalshiError &&
    error.status === 409 &&
    error.code.toUpperCase() === "ORDER_ALREADY_EXISTS"
  );
}

/** The V2 create body from our validated input (client_order_id already decided). */
function createOrderWire(input: CreateOrderInput, clientOrderId: string) {
  return {
    ticker: input.ticker,
    client_order_id: clientOrderId,
    side: input.side,
    count: input.count,
    price: input.price,
    time_in_force: input.time_in_force,
    self_trade_prevention_type: input.self_trade_prevention_type,
    expiration_time: input.expiration_time,
    post_only: input.post_only,
    reduce_only: input.reduce_only,
    cancel_order_on_pause: input.cancel_order_on_pause,
    subaccount: input.subaccount,
    order_group_id: input.order_group_id,
  };
}

/** Authenticated endpoints: the trader's own portfolio, orders, RFQs and subaccounts. */
function tradingApi(t: Transport, clock: KalshiClock, owner: string) {
  const findOrderByClientId = async (
    clientOrderId: string,
    input: { ticker: string; subaccount?: number },
    signal?: AbortSignal,
  ): Promise<Order | undefined> => {
    let cursor: string | undefined;
    for (let page = 0; page < DEDUP_MAX_PAGES; page += 1) {
      const list: OrderList = await t.request({
        method: "GET",
        route: "/portfolio/orders",
        query: {
          ticker: input.ticker,
          subaccount: input.subaccount,
          min_ts: Math.floor(clock.now() / 1000) - DEDUP_LOOKBACK_SECONDS,
          limit: 200,
          cursor,
        },
        schema: OrderListSchema,
        signal,
      });
      const found = list.orders.find((order) => order.client_order_id === clientOrderId);
      if (found || !list.cursor) return found;
      cursor = list.cursor;
    }
    return undefined;
  };

  /**
   * The transfer an ambiguous earlier attempt made, if any. Kalshi's transfer
   * list does not show client_transfer_id, so it is matched on subaccounts,
   * amount and time: created no earlier than this request began (less
   * TRANSFER_CLOCK_SKEW_SECONDS for the clocks' disagreement).
   */
  const findLandedTransfer = async (
    input: TransferInput,
    startedAtMs: number,
    signal?: AbortSignal,
  ) => {
    const since = Math.floor(startedAtMs / 1000) - TRANSFER_CLOCK_SKEW_SECONDS;
    const list = await t.request({
      method: "GET",
      route: "/portfolio/subaccounts/transfers",
      query: { limit: 100 },
      schema: SubaccountTransferListSchema,
      signal,
    });
    return list.transfers.find(
      (transfer) =>
        transfer.from_subaccount === input.from_subaccount &&
        transfer.to_subaccount === input.to_subaccount &&
        transfer.amount_cents === input.amount_cents &&
        transfer.created_ts >= since,
    );
  };

  const api = {
    /** GET /portfolio/balance (cents). */
    getBalance: (query: BalanceQuery = {}, signal?: AbortSignal): Promise<Balance> =>
      t.request({
        method: "GET",
        route: "/portfolio/balance",
        query: { ...query },
        schema: BalanceSchema,
        signal,
      }),

    /** GET /portfolio/positions */
    getPositions: (query: PositionsQuery = {}, signal?: AbortSignal): Promise<Positions> =>
      t.request({
        method: "GET",
        route: "/portfolio/positions",
        query: { ...query },
        schema: PositionsSchema,
        signal,
      }),

    /** GET /portfolio/fills */
    listFills: (query: FillsQuery = {}, signal?: AbortSignal): Promise<FillList> =>
      t.request({
        method: "GET",
        route: "/portfolio/fills",
        query: { ...query },
        schema: FillListSchema,
        signal,
      }),

    /** GET /portfolio/settlements */
    listSettlements: (
      query: SettlementsQuery = {},
      signal?: AbortSignal,
    ): Promise<SettlementList> =>
      t.request({
        method: "GET",
        route: "/portfolio/settlements",
        query: { ...query },
        schema: SettlementListSchema,
        signal,
      }),

    /** GET /portfolio/orders */
    listOrders: (query: OrdersQuery = {}, signal?: AbortSignal): Promise<OrderList> =>
      t.request({
        method: "GET",
        route: "/portfolio/orders",
        query: { ...query },
        schema: OrderListSchema,
        signal,
      }),

    /** GET /historical/fills: the caller's fills older than the cutoff (no subaccount filter upstream). */
    listHistoricalFills: (
      query: Omit<FillsQuery, "subaccount" | "order_id"> = {},
      signal?: AbortSignal,
    ): Promise<FillList> =>
      t.request({
        method: "GET",
        route: "/historical/fills",
        query: { ...query },
        schema: FillListSchema,
        signal,
      }),

    /** GET /historical/orders: the caller's finished orders older than the cutoff. */
    listHistoricalOrders: (
      query: Pick<OrdersQuery, "ticker" | "min_ts" | "max_ts" | "limit" | "cursor"> = {},
      signal?: AbortSignal,
    ): Promise<OrderList> =>
      t.request({
        method: "GET",
        route: "/historical/orders",
        query: { ...query },
        schema: OrderListSchema,
        signal,
      }),

    /** GET /portfolio/orders/{order_id} */
    getOrder: async (orderId: string, signal?: AbortSignal): Promise<Order> =>
      (
        await t.request({
          method: "GET",
          route: "/portfolio/orders/{order_id}",
          params: { order_id: orderId },
          schema: OrderResponseSchema,
          signal,
        })
      ).order,

    /** GET /portfolio/orders/queue_positions – contracts ahead of each resting order of one market. */
    getQueuePositions: async (
      query: QueuePositionsQuery,
      signal?: AbortSignal,
    ): Promise<QueuePositions> =>
      t.request({
        method: "GET",
        route: "/portfolio/orders/queue_positions",
        query: { market_tickers: query.ticker, subaccount: query.subaccount },
        schema: QueuePositionsSchema,
        signal,
      }),

    /**
     * Places a limit order (POST /portfolio/events/orders) at most once.
     * A client_order_id is always sent (a fresh uuid unless the caller gave
     * one) and reused on every retry, which makes the create safe to retry on
     * timeouts and 5xx. If Kalshi answers 409 ORDER_ALREADY_EXISTS, the order
     * holding that id is looked up: if it is this very order (an earlier
     * attempt or submit landed) it is returned with `deduplicated: true`; if
     * it differs in anything (see order-dedupe.ts) the answer is a 409
     * `client_order_id_reused` and nothing is placed.
     */
    placeOrder: async (input: CreateOrderInput, signal?: AbortSignal): Promise<PlacedOrder> => {
      const clientOrderId = input.client_order_id ?? randomUUID();
      try {
        const created = await t.request({
          method: "POST",
          route: "/portfolio/events/orders",
          body: createOrderWire(input, clientOrderId),
          schema: CreateOrderResponseSchema,
          idempotent: true,
          signal,
        });
        rememberSentOrder(owner, clientOrderId, input);
        return {
          ...created,
          client_order_id: created.client_order_id ?? clientOrderId,
          deduplicated: false,
        };
      } catch (error) {
        // It may have landed: what was sent is what the id now names.
        if (mayHaveLanded(error)) rememberSentOrder(owner, clientOrderId, input);
        if (!isOrderAlreadyExists(error)) throw error;
        const existing = await findOrderByClientId(clientOrderId, input, signal);
        if (!existing) throw clientOrderIdReused(error, clientOrderId, []);
        const differences = orderDifferences(existing, input, firstSentOrder(owner, clientOrderId));
        if (differences.length > 0) throw clientOrderIdReused(error, clientOrderId, differences);
        return {
          order_id: existing.order_id,
          client_order_id: clientOrderId,
          fill_count: existing.fill_count_fp,
          remaining_count: existing.remaining_count_fp,
          ts_ms: existing.created_time ? Date.parse(existing.created_time) : clock.now(),
          deduplicated: true,
        };
      }
    },

    /**
     * POST /portfolio/events/orders/batched. Every order gets a
     * client_order_id; the batch is not retried on 5xx or timeouts (a replay
     * would be answered per order with ORDER_ALREADY_EXISTS), only on 429.
     */
    batchCreateOrders: (
      input: BatchCreateOrdersInput,
      signal?: AbortSignal,
    ): Promise<BatchCreateOrdersResponse> =>
      t.request({
        method: "POST",
        route: "/portfolio/events/orders/batched",
        body: {
          orders: input.orders.map((order) =>
            createOrderWire(order, order.client_order_id ?? randomUUID()),
          ),
        },
        items: input.orders.length,
        schema: BatchCreateOrdersResponseSchema,
        signal,
      }),

    /** POST /portfolio/events/orders/{order_id}/amend: new price and/or total count. */
    amendOrder: (
      orderId: string,
      input: AmendOrderInput,
      signal?: AbortSignal,
    ): Promise<AmendOrderResponse> =>
      t.request({
        method: "POST",
        route: "/portfolio/events/orders/{order_id}/amend",
        params: { order_id: orderId },
        body: {
          ticker: input.ticker,
          side: input.side,
          price: input.price,
          count: input.count,
          updated_client_order_id: input.updated_client_order_id,
        },
        schema: AmendOrderResponseSchema,
        signal,
      }),

    /** POST /portfolio/events/orders/{order_id}/decrease */
    decreaseOrder: (
      orderId: string,
      input: DecreaseOrderInput,
      signal?: AbortSignal,
    ): Promise<DecreaseOrderResponse> =>
      t.request({
        method: "POST",
        route: "/portfolio/events/orders/{order_id}/decrease",
        params: { order_id: orderId },
        body: { reduce_by: input.reduce_by, reduce_to: input.reduce_to },
        schema: DecreaseOrderResponseSchema,
        signal,
      }),

    /** DELETE /portfolio/events/orders/{order_id} */
    cancelOrder: (
      orderId: string,
      query: { subaccount?: number } = {},
      signal?: AbortSignal,
    ): Promise<CancelOrderResponse> =>
      t.request({
        method: "DELETE",
        route: "/portfolio/events/orders/{order_id}",
        params: { order_id: orderId },
        query: { ...query },
        schema: CancelOrderResponseSchema,
        signal,
      }),

    /** DELETE /portfolio/events/orders/batched */
    batchCancelOrders: (
      input: BatchCancelOrdersInput,
      signal?: AbortSignal,
    ): Promise<BatchCancelOrdersResponse> =>
      t.request({
        method: "DELETE",
        route: "/portfolio/events/orders/batched",
        body: { orders: input.orders },
        items: input.orders.length,
        schema: BatchCancelOrdersResponseSchema,
        signal,
      }),

    // ---- order groups (write bucket, per rate_limits.md) ----

    /** GET /portfolio/order_groups */
    listOrderGroups: (
      query: { subaccount?: number } = {},
      signal?: AbortSignal,
    ): Promise<OrderGroupList> =>
      t.request({
        method: "GET",
        route: "/portfolio/order_groups",
        query: { ...query },
        schema: OrderGroupListSchema,
        signal,
      }),

    /** GET /portfolio/order_groups/{order_group_id} */
    getOrderGroup: (groupId: string, signal?: AbortSignal): Promise<OrderGroupDetail> =>
      t.request({
        method: "GET",
        route: "/portfolio/order_groups/{order_group_id}",
        params: { order_group_id: groupId },
        schema: OrderGroupDetailSchema,
        signal,
      }),

    /** POST /portfolio/order_groups/create */
    createOrderGroup: (
      input: CreateOrderGroupInput,
      signal?: AbortSignal,
    ): Promise<CreateOrderGroupResponse> =>
      t.request({
        method: "POST",
        route: "/portfolio/order_groups/create",
        body: { contracts_limit_fp: input.contracts_limit, subaccount: input.subaccount },
        schema: CreateOrderGroupResponseSchema,
        signal,
      }),

    /** DELETE /portfolio/order_groups/{order_group_id}: cancels its orders too. */
    deleteOrderGroup: (
      groupId: string,
      query: { subaccount?: number } = {},
      signal?: AbortSignal,
    ): Promise<Record<string, unknown>> =>
      t.request({
        method: "DELETE",
        route: "/portfolio/order_groups/{order_group_id}",
        params: { order_group_id: groupId },
        query: { ...query },
        schema: EmptyObjectSchema.or(NoContentSchema),
        signal,
      }),

    /** PUT /portfolio/order_groups/{order_group_id}/reset|trigger */
    orderGroupAction: (
      groupId: string,
      action: "reset" | "trigger",
      query: { subaccount?: number } = {},
      signal?: AbortSignal,
    ): Promise<Record<string, unknown>> =>
      t.request({
        method: "PUT",
        route: `/portfolio/order_groups/{order_group_id}/${action}`,
        params: { order_group_id: groupId },
        query: { ...query },
        schema: EmptyObjectSchema.or(NoContentSchema),
        signal,
      }),

    /** PUT /portfolio/order_groups/{order_group_id}/limit */
    updateOrderGroupLimit: (
      groupId: string,
      contractsLimit: string,
      query: { subaccount?: number } = {},
      signal?: AbortSignal,
    ): Promise<Record<string, unknown>> =>
      t.request({
        method: "PUT",
        route: "/portfolio/order_groups/{order_group_id}/limit",
        params: { order_group_id: groupId },
        query: { ...query },
        body: { contracts_limit_fp: contractsLimit },
        schema: EmptyObjectSchema.or(NoContentSchema),
        signal,
      }),

    // ---- RFQs and quotes (communications). Creating/deleting an RFQ is not in the
    // documented Write list, so it bills Read; the quote flow bills Write. ----

    /** GET /communications/rfqs */
    listRfqs: (
      query: Omit<RfqsQuery, "mine"> & { user_filter?: "self" } = {},
      signal?: AbortSignal,
    ): Promise<RfqList> =>
      t.request({
        method: "GET",
        route: "/communications/rfqs",
        query: { ...query },
        schema: RfqListSchema,
        signal,
      }),

    /** GET /communications/rfqs/{rfq_id} */
    getRfq: async (rfqId: string, signal?: AbortSignal): Promise<Rfq> =>
      (
        await t.request({
          method: "GET",
          route: "/communications/rfqs/{rfq_id}",
          params: { rfq_id: rfqId },
          schema: RfqResponseSchema,
          signal,
        })
      ).rfq,

    /** POST /communications/rfqs */
    createRfq: (input: CreateRfqInput, signal?: AbortSignal): Promise<CreatedId> =>
      t.request({
        method: "POST",
        route: "/communications/rfqs",
        body: {
          market_ticker: input.market_ticker,
          contracts_fp: input.contracts,
          target_cost_dollars: input.target_cost_dollars,
          rest_remainder: input.rest_remainder,
          replace_existing: input.replace_existing,
          subaccount: input.subaccount,
        },
        bucket: "read",
        schema: CreatedIdSchema,
        signal,
      }),

    /** DELETE /communications/rfqs/{rfq_id} */
    deleteRfq: (rfqId: string, signal?: AbortSignal): Promise<Record<string, never>> =>
      t.request({
        method: "DELETE",
        route: "/communications/rfqs/{rfq_id}",
        params: { rfq_id: rfqId },
        bucket: "read",
        schema: NoContentSchema,
        signal,
      }),

    /** GET /communications/quotes */
    listQuotes: (
      query: Omit<QuotesQuery, "role"> & { user_filter?: "self"; rfq_user_filter?: "self" } = {},
      signal?: AbortSignal,
    ): Promise<QuoteList> =>
      t.request({
        method: "GET",
        route: "/communications/quotes",
        query: { ...query },
        schema: QuoteListSchema,
        signal,
      }),

    /** GET /communications/quotes/{quote_id} */
    getQuote: async (quoteId: string, signal?: AbortSignal): Promise<Quote> =>
      (
        await t.request({
          method: "GET",
          route: "/communications/quotes/{quote_id}",
          params: { quote_id: quoteId },
          schema: QuoteResponseSchema,
          signal,
        })
      ).quote,

    /** POST /communications/quotes */
    createQuote: (input: CreateQuoteInput, signal?: AbortSignal): Promise<CreatedId> =>
      t.request({
        method: "POST",
        route: "/communications/quotes",
        body: { ...input },
        schema: CreatedIdSchema,
        signal,
      }),

    /** DELETE /communications/quotes/{quote_id} */
    deleteQuote: (quoteId: string, signal?: AbortSignal): Promise<Record<string, never>> =>
      t.request({
        method: "DELETE",
        route: "/communications/quotes/{quote_id}",
        params: { quote_id: quoteId },
        schema: NoContentSchema,
        signal,
      }),

    /** PUT /communications/quotes/{quote_id}/accept: the RFQ creator picks a side. */
    acceptQuote: (
      quoteId: string,
      acceptedSide: "yes" | "no",
      signal?: AbortSignal,
    ): Promise<Record<string, never>> =>
      t.request({
        method: "PUT",
        route: "/communications/quotes/{quote_id}/accept",
        params: { quote_id: quoteId },
        body: { accepted_side: acceptedSide },
        schema: NoContentSchema,
        signal,
      }),

    /** PUT /communications/quotes/{quote_id}/confirm: the maker confirms an accepted quote. */
    confirmQuote: (quoteId: string, signal?: AbortSignal): Promise<Record<string, never>> =>
      t.request({
        method: "PUT",
        route: "/communications/quotes/{quote_id}/confirm",
        params: { quote_id: quoteId },
        body: {},
        schema: NoContentSchema,
        signal,
      }),

    /** POST /multivariate_event_collections/{collection_ticker}: create (or find) the combo market for these legs. */
    createComboMarket: (
      collectionTicker: string,
      input: CreateComboInput,
      signal?: AbortSignal,
    ): Promise<ComboMarket> =>
      t.request({
        method: "POST",
        route: "/multivariate_event_collections/{collection_ticker}",
        params: { collection_ticker: collectionTicker },
        body: { selected_markets: input.selected_markets },
        // Same legs, same market: safe to retry.
        idempotent: true,
        schema: ComboMarketResponseSchema,
        signal,
      }),

    // ---- subaccounts ----

    /** POST /portfolio/subaccounts */
    createSubaccount: (signal?: AbortSignal): Promise<CreateSubaccountResponse> =>
      t.request({
        method: "POST",
        route: "/portfolio/subaccounts",
        body: {},
        bucket: "read",
        schema: CreateSubaccountResponseSchema,
        signal,
      }),

    /** GET /portfolio/subaccounts/balances */
    getSubaccountBalances: (signal?: AbortSignal): Promise<SubaccountBalances> =>
      t.request({
        method: "GET",
        route: "/portfolio/subaccounts/balances",
        schema: SubaccountBalancesSchema,
        signal,
      }),

    /** GET /portfolio/subaccounts/netting */
    getSubaccountNetting: (signal?: AbortSignal): Promise<NettingConfigs> =>
      t.request({
        method: "GET",
        route: "/portfolio/subaccounts/netting",
        schema: NettingConfigsSchema,
        signal,
      }),
    /** GET /portfolio/subaccounts/transfers */
    listSubaccountTransfers: (
      query: TransfersQuery = {},
      signal?: AbortSignal,
    ): Promise<SubaccountTransferList> =>
      t.request({
        method: "GET",
        route: "/portfolio/subaccounts/transfers",
        query: { ...query },
        schema: SubaccountTransferListSchema,
        signal,
      }),

    /**
     * POST /portfolio/subaccounts/transfer. `client_transfer_id` makes it
     * idempotent, so it is generated when absent and the request may be
     * retried. A duplicate-id 409 counts as success only when an earlier send
     * of this request could have landed (not one answered 429) AND the
     * transfer list shows it; otherwise it is `client_transfer_id_reused`
     * (or Kalshi's own error for any other 409).
     */
    transferBetweenSubaccounts: async (
      input: TransferInput,
      signal?: AbortSignal,
    ): Promise<{ client_transfer_id: string }> => {
      const clientTransferId = input.client_transfer_id ?? randomUUID();
      const startedAt = clock.now();
      try {
        await t.request({
          method: "POST",
          route: "/portfolio/subaccounts/transfer",
          body: {
            client_transfer_id: clientTransferId,
            from_subaccount: input.from_subaccount,
            to_subaccount: input.to_subaccount,
            amount_cents: input.amount_cents,
          },
          bucket: "read",
          idempotent: true,
          schema: EmptyObjectSchema.or(NoContentSchema),
          signal,
        });
      } catch (error) {
        if (!isTransferAlreadyExists(error)) throw error;
        const earlierMayHaveLanded = error.deliveredAttempts > 1;
        if (earlierMayHaveLanded && (await findLandedTransfer(input, startedAt, signal))) {
          return { client_transfer_id: clientTransferId };
        }
        throw clientTransferIdReused(error, clientTransferId);
      }
      return { client_transfer_id: clientTransferId };
    },

    // ---- account ----

    /** GET /account/limits: usage tier and bucket sizes. */
    getAccountLimits: (signal?: AbortSignal): Promise<AccountLimits> =>
      t.request({ method: "GET", route: "/account/limits", schema: AccountLimitsSchema, signal }),

    /** GET /account/endpoint_costs */
    getEndpointCosts: (signal?: AbortSignal): Promise<EndpointCosts> =>
      t.request({
        method: "GET",
        route: "/account/endpoint_costs",
        schema: EndpointCostsSchema,
        signal,
      }),
  };
  return api;
}

export type KalshiClient = KalshiMarketDataClient & ReturnType<typeof tradingApi>;

function transportOptions(tuning: KalshiClientTuning) {
  return {
    clock: tuning.clock ?? systemClock,
    random: tuning.random ?? Math.random,
    fetch: tuning.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: tuning.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...tuning.retry },
    maxQueueWaitMs: tuning.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS,
    log:
      tuning.log ??
      ((entry: Record<string, unknown>) => {
        console.warn(JSON.stringify(entry));
      }),
  };
}

/**
 * A client acting with one trader's API key. Cheap to create (route handlers
 * make one per request): the rate limiter and the account's limits are cached
 * per credential for the life of the process.
 */
export function createKalshiClient(options: KalshiClientOptions): KalshiClient {
  const base = transportOptions(options);
  const restBaseUrl = options.restBaseUrl.replace(/\/+$/, "");
  const limiter = options.limiter ?? limiterFor(`${restBaseUrl}|${options.apiKeyId}`, base.clock);
  if (options.budget) limiter.apply(options.budget);
  const auth = { apiKeyId: options.apiKeyId, privateKey: options.privateKey };

  // Limits are read with their own transport that skips budget loading (no recursion)
  // and does not retry much: failing here only means running on Basic defaults.
  const bootstrap = new KalshiTransport({
    ...base,
    restBaseUrl,
    auth,
    limiter: new RateLimiter(base.clock),
    retry: { ...base.retry, maxAttempts: 2 },
  });
  const loadBudget = async (): Promise<RateBudget> => {
    const [limits, costs] = await Promise.all([
      bootstrap.request({ method: "GET", route: "/account/limits", schema: AccountLimitsSchema }),
      bootstrap.request({
        method: "GET",
        route: "/account/endpoint_costs",
        schema: EndpointCostsSchema,
      }),
    ]);
    const budget = budgetFromAccount(limits, costs);
    // The two reads above were billed to this key's Read bucket at the exchange too.
    limiter.read.reserve(
      costOf(budget, "GET", "/account/limits") + costOf(budget, "GET", "/account/endpoint_costs"),
    );
    return budget;
  };

  const transport = new KalshiTransport({
    ...base,
    restBaseUrl,
    auth,
    limiter,
    loadBudget: options.budget ? undefined : loadBudget,
  });
  return {
    ...marketDataApi(transport, base.clock),
    ...tradingApi(transport, base.clock, `${restBaseUrl}|${options.apiKeyId}`),
  };
}

const publicClients = new Map<string, KalshiMarketDataClient>();

/**
 * An unsigned client for public market data (markets, events, series, books,
 * trades, candlesticks, exchange status). Pass tuning to get a fresh one;
 * without it the process-wide client of this base URL is reused so its read
 * bucket paces every public call together.
 */
export function createPublicKalshiClient(
  restBaseUrl: string,
  tuning?: KalshiClientTuning,
): KalshiMarketDataClient {
  const url = restBaseUrl.replace(/\/+$/, "");
  if (tuning === undefined) {
    const cached = publicClients.get(url);
    if (cached) return cached;
  }
  const base = transportOptions(tuning ?? {});
  const limiter = tuning?.limiter ?? limiterFor(`${url}|public`, base.clock);
  if (tuning?.budget) limiter.apply(tuning.budget);
  const client = marketDataApi(
    new KalshiTransport({ ...base, restBaseUrl: url, limiter }),
    base.clock,
  );
  if (tuning === undefined) publicClients.set(url, client);
  return client;
}

/** Forgets cached public clients and cutoffs (tests only). */
export function resetKalshiClientCachesForTests(): void {
  publicClients.clear();
  cutoffCache.clear();
}
