/**
 * Everything the simulated exchange knows, in memory: reference data (series,
 * events, markets), books, orders, fills, trades, positions, users and keys.
 * Modules that change state (engine, lifecycle, routes) take a `SimState`;
 * nothing else holds exchange data.
 */
import type { Micros } from "@/lib/fixed-point";
import { SimBus } from "@/server/sim/bus";
import { ClientOrderIds } from "@/server/sim/client-order-ids";
import type { Clock } from "@/server/sim/clock";
import { OrderBook } from "@/server/sim/engine/order-book";
import { IdGenerator } from "@/server/sim/ids";
import { OrderTable } from "@/server/sim/order-table";
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
  /** False for runtime-only parts (rate-limit buckets, test pins) that snapshots leave out. */
  readonly persist: boolean;
  /** Rewires a value restored from a snapshot (bus subscriptions, module registrations). */
  readonly revive?: (value: T, state: SimState) => void;
}

export interface StatePartOptions<T> {
  persist?: boolean;
  revive?: (value: T, state: SimState) => void;
}

/** Every part declared so far, by name (unique): restore finds a part's revive hook by the stored name. */
const declaredParts = new Map<string, StatePart<unknown>>();

export function statePart<T>(
  name: string,
  create: (state: SimState) => T,
  options: StatePartOptions<T> = {},
): StatePart<T> {
  const part: StatePart<T> = {
    name,
    create,
    persist: options.persist ?? true,
    revive: options.revive,
  };
  declaredParts.set(name, part as StatePart<unknown>);
  return part;
}

export interface ExchangeFlags {
  /** False during an exchange pause (maintenance): nothing may be traded or canceled. */
  exchangeActive: boolean;
  /** False during a trading pause: no new orders. */
  tradingActive: boolean;
  estimatedResumeTime: number | null;
}

/** SimState fields that are process wiring, not exchange state (never in a snapshot). */
const RUNTIME_FIELDS: ReadonlySet<string> = new Set([
  "bus",
  "clock",
  "journal",
  "parts",
  "unrevived",
]);

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

  /** Every order in memory by id, in arrival order (finished ones until retention evicts them). */
  readonly orders: OrderTable;
  /** Resting orders per market ticker, for close/pause sweeps. */
  readonly restingByMarket = new Map<string, Set<OrderRecord>>();
  /** Orders in `restingByMarket`, all markets. */
  restingCount = 0;
  /** Client order ids in use per user: Kalshi rejects a reused client_order_id. */
  readonly clientOrderIds: ClientOrderIds;
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
  private readonly positionIndex = new Map<
    string,
    Array<Map<string, PositionRecord> | undefined>
  >();
  readonly settlements: SettlementRecord[] = [];

  readonly users = new Map<string, UserRecord>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();

  readonly flags: ExchangeFlags = {
    exchangeActive: true,
    tradingActive: true,
    estimatedResumeTime: null,
  };

  /** Part values by part name. */
  private readonly parts = new Map<string, unknown>();
  /** Parts restored from a snapshot whose module has not revived them yet (see `restoreParts`). */
  private readonly unrevived = new Set<string>();

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
    this.orders = new OrderTable(this.ids);
    this.clientOrderIds = new ClientOrderIds(this.ids, this.orders);
    this.retention = new Retention(this, retention);
    this.userDataTimestamp = clock.now();
  }

  now(): number {
    return this.clock.now();
  }

  /** The instance of `part` for this exchange, created on first use. */
  part<T>(part: StatePart<T>): T {
    let value = this.parts.get(part.name) as T | undefined;
    if (value === undefined) {
      value = part.create(this);
      this.parts.set(part.name, value);
    } else if (this.unrevived.size > 0 && this.unrevived.delete(part.name)) {
      part.revive?.(value, this);
    }
    return value;
  }

  /** The instance of `part` if it was created already (a lookup that creates nothing). */
  existingPart<T>(part: StatePart<T>): T | undefined {
    if (!this.parts.has(part.name)) return undefined;
    return this.part(part);
  }

  /** Names of the parts created so far. */
  partNames(): string[] {
    return [...this.parts.keys()];
  }

  /** The parts a snapshot keeps (all but the runtime-only ones), by name. */
  persistentParts(): Array<[string, unknown]> {
    return [...this.parts].filter(([name]) => declaredParts.get(name)?.persist !== false);
  }

  /**
   * Replaces the parts with ones restored from a snapshot. Each is revived by
   * its module's hook now when the module is loaded, else on first use.
   */
  restoreParts(parts: ReadonlyArray<readonly [string, unknown]>): void {
    this.parts.clear();
    this.unrevived.clear();
    for (const [name, value] of parts) {
      this.parts.set(name, value);
      this.unrevived.add(name);
    }
    for (const name of [...this.unrevived]) {
      const part = declaredParts.get(name);
      if (part) this.part(part);
    }
  }

  /** The state's own fields a snapshot stores (everything but runtime wiring and the parts). */
  snapshotFields(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (!RUNTIME_FIELDS.has(key)) out[key] = value;
    }
    return out;
  }

  /** Takes the fields `snapshotFields` stored (parts are restored by `restoreParts`). */
  restoreFields(fields: Readonly<Record<string, unknown>>): void {
    const target = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) {
      if (!RUNTIME_FIELDS.has(key)) target[key] = value;
    }
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

  /** Appends a trade (numbering it: `seq`); the oldest trades past the cap leave memory (retention.ts). */
  recordTrade(trade: TradeRecord): void {
    trade.seq = this.retention.evicted.trades + this.trades.length;
    this.trades.push(trade);
    let list = this.tradesByMarket.get(trade.ticker);
    if (!list) {
      list = [];
      this.tradesByMarket.set(trade.ticker, list);
    }
    list.push(trade);
    this.retention.tradeRecorded();
  }

  /** Adds a new order; finished orders past the cap leave memory (retention.ts). */
  addOrder(order: OrderRecord, orderNumber?: number, madeClientOrderId = false): void {
    // The engine passes the id number it just drew (no id string to parse on the hot path).
    this.orders.set(order.orderId, order, orderNumber);
    // An id the engine made needs no entry (client-order-ids.ts).
    if (!madeClientOrderId)
      this.clientOrderIds.set(order.userId, order.clientOrderId, order.orderId);
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
    const before = set.size;
    set.add(order);
    this.restingCount += set.size - before;
  }

  /** Stops tracking a resting order; false when it was not tracked. */
  untrackResting(order: OrderRecord): boolean {
    if (!this.restingByMarket.get(order.ticker)?.delete(order)) return false;
    this.restingCount -= 1;
    return true;
  }

  touchUserData(): void {
    this.userDataTimestamp = this.now();
  }
}
