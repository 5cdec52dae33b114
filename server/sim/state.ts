/**
 * Everything the simulated exchange knows, in memory: reference data (series,
 * events, markets), books, orders, fills, trades, positions, users and keys.
 * Modules that change state (engine, lifecycle, routes) take a `SimState`;
 * nothing else holds exchange data.
 */
import type { Micros } from "@/lib/fixed-point";
import { SimBus } from "@/server/sim/bus";
import type { Clock } from "@/server/sim/clock";
import { OrderBook } from "@/server/sim/engine/order-book";
import { IdGenerator } from "@/server/sim/ids";
import type {
  ApiKeyRecord,
  EventRecord,
  FillRecord,
  MarketRecord,
  OrderRecord,
  PositionRecord,
  SeriesRecord,
  SettlementRecord,
  TradeRecord,
  UserRecord,
} from "@/server/sim/model";
import type { OperationJournal } from "@/server/sim/persistence/operation-journal";
import { SeededRandom } from "@/server/sim/random";
import { Retention, type RetentionLimits } from "@/server/sim/retention";

/**
 * A part of the exchange state that one module owns (market data, pauses,
 * order groups, the lifecycle schedule...). The module declares it once with
 * `statePart`; the state holds the instance (`state.part(...)`), so every
 * piece of an exchange lives and dies with its SimState and is listed in one
 * place (`partNames`) instead of hiding in module-level tables keyed by state.
 */
export interface StatePart<T> {
  readonly name: string;
  readonly create: (state: SimState) => T;
}

export function statePart<T>(name: string, create: (state: SimState) => T): StatePart<T> {
  return { name, create };
}

export interface ExchangeFlags {
  /** False during an exchange pause (maintenance): nothing may be traded or canceled. */
  exchangeActive: boolean;
  /** False during a trading pause: no new orders. */
  tradingActive: boolean;
  estimatedResumeTime: number | null;
}

export class SimState {
  readonly bus = new SimBus();
  readonly random: SeededRandom;
  /** Record ids; its counter is journaled with every operation. */
  readonly ids: IdGenerator;
  /** The journal when the exchange persists (DATA_DIR), else null: ephemeral, in memory only. */
  journal: OperationJournal | null = null;
  /** Keeps finished orders, fills and trades in memory under caps (retention.ts). */
  readonly retention: Retention;

  readonly series = new Map<string, SeriesRecord>();
  readonly events = new Map<string, EventRecord>();
  /** Insertion order is the default listing order. */
  readonly markets = new Map<string, MarketRecord>();
  readonly books = new Map<string, OrderBook>();

  readonly orders = new Map<string, OrderRecord>();
  /** Resting orders per market ticker, for close/pause sweeps. */
  readonly restingByMarket = new Map<string, Set<OrderRecord>>();
  /** `${userId}|${clientOrderId}` → order id: Kalshi rejects a reused client_order_id. */
  readonly clientOrderIds = new Map<string, string>();
  /** Newest last. */
  readonly fills: FillRecord[] = [];
  /** Newest last, across all markets. */
  readonly trades: TradeRecord[] = [];
  readonly tradesByMarket = new Map<string, TradeRecord[]>();
  /** `${userId}|${subaccount}|${ticker}` → position (listing order; look one up with `findPosition`). */
  readonly positions = new Map<string, PositionRecord>();
  /**
   * The same positions by user, then subaccount, then ticker: the engine looks
   * a position up several times per order, and this way without building a
   * key string (the ids are strings the caller already holds, hashed once).
   */
  private readonly positionIndex = new Map<string, Array<Map<string, PositionRecord> | undefined>>();
  readonly settlements: SettlementRecord[] = [];

  readonly users = new Map<string, UserRecord>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();

  readonly flags: ExchangeFlags = {
    exchangeActive: true,
    tradingActive: true,
    estimatedResumeTime: null,
  };

  private readonly parts = new Map<StatePart<unknown>, unknown>();

  /** Arrival counter: time priority and stable ordering of same-millisecond events. */
  private sequence = 0;
  /** Last time a user-visible portfolio record changed (GET /exchange/user_data_timestamp). */
  userDataTimestamp: number;

  constructor(
    readonly clock: Clock,
    readonly seed: number,
    retention: Partial<RetentionLimits> = {},
  ) {
    this.random = new SeededRandom(seed);
    this.ids = new IdGenerator(seed);
    this.retention = new Retention(this, retention);
    this.userDataTimestamp = clock.now();
  }

  now(): number {
    return this.clock.now();
  }

  /** The instance of `part` for this exchange, created on first use. */
  part<T>(part: StatePart<T>): T {
    let value = this.parts.get(part) as T | undefined;
    if (value === undefined) {
      value = part.create(this);
      this.parts.set(part, value);
    }
    return value;
  }

  /** The instance of `part` if it was created already (a lookup that creates nothing). */
  existingPart<T>(part: StatePart<T>): T | undefined {
    return this.parts.get(part) as T | undefined;
  }

  /** Names of the parts created so far. */
  partNames(): string[] {
    return [...this.parts.keys()].map((part) => part.name);
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  newId(): string {
    return this.ids.next();
  }

  /** The market, or undefined. */
  market(ticker: string): MarketRecord | undefined {
    return this.markets.get(ticker);
  }

  book(ticker: string): OrderBook {
    let book = this.books.get(ticker);
    if (!book) {
      book = new OrderBook(ticker);
      this.books.set(ticker, book);
    }
    return book;
  }

  positionKey(userId: string, subaccount: number, ticker: string): string {
    return `${userId}|${subaccount}|${ticker}`;
  }

  /** The position record, or undefined when the account never had one in that market. */
  findPosition(userId: string, subaccount: number, ticker: string): PositionRecord | undefined {
    return this.positionIndex.get(userId)?.[subaccount]?.get(ticker);
  }

  /** The position record, created empty on first use. */
  position(userId: string, subaccount: number, ticker: string): PositionRecord {
    let position = this.findPosition(userId, subaccount, ticker);
    if (!position) {
      position = {
        userId,
        subaccount,
        ticker,
        position: 0,
        cost: 0,
        realizedPnl: 0,
        feesPaid: 0,
        totalTraded: 0,
        volume: 0,
        lastUpdated: this.now(),
      };
      this.insertPosition(position);
    }
    return position;
  }

  /** Adds a position record to the listing and the index (a new one, or one restored from a snapshot). */
  insertPosition(position: PositionRecord): void {
    const { userId, subaccount, ticker } = position;
    this.positions.set(this.positionKey(userId, subaccount, ticker), position);
    let bySubaccount = this.positionIndex.get(userId);
    if (!bySubaccount) {
      bySubaccount = [];
      this.positionIndex.set(userId, bySubaccount);
    }
    let byTicker = bySubaccount[subaccount];
    if (!byTicker) {
      byTicker = new Map();
      bySubaccount[subaccount] = byTicker;
    }
    byTicker.set(ticker, position);
  }

  /** Free cash of one subaccount. */
  balance(user: UserRecord, subaccount: number): Micros {
    return user.balances.get(subaccount) ?? 0;
  }

  adjustBalance(user: UserRecord, subaccount: number, by: Micros): void {
    user.balances.set(subaccount, this.balance(user, subaccount) + by);
  }

  recordTrade(trade: TradeRecord): void {
    this.trades.push(trade);
    let list = this.tradesByMarket.get(trade.ticker);
    if (!list) {
      list = [];
      this.tradesByMarket.set(trade.ticker, list);
    }
    list.push(trade);
    this.retention.tradeRecorded(list);
  }

  /** Adds a new order; finished orders past the cap leave memory (retention.ts). */
  addOrder(order: OrderRecord, clientKey: string): void {
    this.orders.set(order.orderId, order);
    this.clientOrderIds.set(clientKey, order.orderId);
    this.retention.orderAdded();
  }

  recordFill(fill: FillRecord): void {
    this.fills.push(fill);
    this.retention.fillRecorded();
  }

  trackResting(order: OrderRecord): void {
    let set = this.restingByMarket.get(order.ticker);
    if (!set) {
      set = new Set();
      this.restingByMarket.set(order.ticker, set);
    }
    set.add(order);
  }

  untrackResting(order: OrderRecord): void {
    this.restingByMarket.get(order.ticker)?.delete(order);
  }

  touchUserData(): void {
    this.userDataTimestamp = this.now();
  }
}
