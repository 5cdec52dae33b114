/**
 * Bots that keep the simulated exchange alive: one market maker that holds a
 * two-sided post-only ladder around each active market's drifting fair value,
 * and a few takers that cross the spread with immediate-or-cancel orders.
 *
 * Everything acts through the matching engine like any client (so books,
 * trades, tickers, candles and WebSocket channels all move), draws from a
 * SeededRandom derived from the exchange seed (same seed, same steps, same
 * orders), and advances only when `step()` is called: the timer in
 * start-bots.ts calls it in production, tests call it directly with a
 * ManualClock. A rejected or failed action is counted and skipped; nothing a
 * bot does may throw out of `step()`.
 */
import { ONE_CENT, type Centis, type Micros } from "@/lib/fixed-point";
import { nextPrice, snapToGrid, tickAt, type PriceRange } from "@/lib/price-grid";
import { createAccount, topUpBalance } from "@/server/sim/accounts";
import { SimError } from "@/server/sim/errors";
import type { SimExchange } from "@/server/sim/exchange";
import type { BookSide, MarketRecord, OrderRecord, UserRecord } from "@/server/sim/model";
import { SeededRandom } from "@/server/sim/random";
import { seedInfo } from "@/server/sim/seed/seed-exchange";
import { setFairValue } from "@/server/sim/market-fair-value";

export interface BotOptions {
  /** Multiplier on bot activity; 1 = default pace (one step every 250 ms). Must be > 0. */
  rate?: number;
  /** Time between steps at rate 1, ms. Default 250. */
  intervalMs?: number;
  /** Ladder depth per side. Default 5. */
  levels?: number;
  /** Quote with this account. Default: the seed's market maker (seedInfo), else the bot account resting the most orders, else a new bot account. */
  makerUserId?: string;
  /** Chance per step that a taker crosses the spread somewhere. Default 0.3 (≈1.2 trades/s at 4 steps/s). */
  takerProbability?: number;
  /** Chance per step that a given market's fair value moves. Default 0.025 (≈ every 10 s per market). */
  fairValueMoveProbability?: number;
}

export interface BotStatus {
  running: boolean;
  rate: number;
  interval_ms: number;
  steps: number;
  idle_steps: number;
  taker_orders: number;
  trades: number;
  requotes: number;
  orders_placed: number;
  orders_canceled: number;
  fair_value_moves: number;
  /** Engine rejections by error code (post-only crosses and the like are expected). */
  rejections: Record<string, number>;
  maker_user_id: string;
  taker_user_ids: string[];
}

/** $100M per bot account: far more than a ladder ever reserves, far inside exact micro-dollar range. */
const BOT_BALANCE_CENTS = 10_000_000_000;
/** Top an adopted bot account up when its free cash falls below $100k (ladders reserve a few thousand dollars). */
const MAKER_CASH_FLOOR: Micros = 100_000 * 1_000_000;
const MAKER_TOP_UP: Micros = 10_000_000 * 1_000_000;
/** Fair values stay inside [2¢, 98¢] so both sides of a ladder fit on the grid. */
const FAIR_MIN: Micros = 2 * ONE_CENT;
const FAIR_MAX: Micros = 98 * ONE_CENT;
/** Requotes per step beyond the round-robin one: bounds the CPU a burst of moves can take. */
const MAX_REQUOTES_PER_STEP = 6;
const TAKER_ACCOUNTS = 2;

interface MarketBotState {
  /** The fair value the walk is gently pulled back to (the seed's value). */
  anchor: Micros;
  dirty: boolean;
}

interface DesiredQuote {
  side: BookSide;
  price: Micros;
  count: Centis;
}

export class MarketBots {
  readonly options: Required<Omit<BotOptions, "makerUserId">>;
  running = false;
  private readonly random: SeededRandom;
  private readonly maker: UserRecord;
  private readonly takers: UserRecord[] = [];
  private readonly markets = new Map<string, MarketBotState>();
  private roundRobin = 0;
  private readonly stats = {
    steps: 0,
    idleSteps: 0,
    takerOrders: 0,
    trades: 0,
    requotes: 0,
    ordersPlaced: 0,
    ordersCanceled: 0,
    fairValueMoves: 0,
  };
  private readonly rejections: Record<string, number> = {};
  private readonly loggedFailures = new Set<string>();

  constructor(
    private readonly exchange: SimExchange,
    options: BotOptions = {},
  ) {
    const rate = options.rate ?? 1;
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new RangeError(`bot rate must be a positive number, got ${rate}`);
    this.options = {
      rate,
      intervalMs: options.intervalMs ?? 250,
      levels: Math.max(1, Math.min(options.levels ?? 5, 20)),
      takerProbability: options.takerProbability ?? 0.3,
      fairValueMoveProbability: options.fairValueMoveProbability ?? 0.025,
    };
    const { state } = exchange;
    // Own generator: bot choices do not depend on how many ids HTTP clients drew from state.random.
    this.random = new SeededRandom((state.seed ^ 0x0b075eed) | 0);
    this.maker = this.resolveMaker(options.makerUserId);
    for (let i = 0; i < TAKER_ACCOUNTS; i += 1) {
      this.takers.push(
        createAccount(state, { balanceCents: BOT_BALANCE_CENTS, isBot: true, tier: "premier" }),
      );
    }
  }

  get makerUserId(): string {
    return this.maker.userId;
  }

  get takerUserIds(): string[] {
    return this.takers.map((t) => t.userId);
  }

  /** Runs `n` bot steps synchronously (never throws). */
  step(n = 1): void {
    for (let i = 0; i < n; i += 1) {
      try {
        this.stepOnce();
      } catch (error) {
        this.failed("step", error);
      }
    }
  }

  status(): BotStatus {
    return {
      running: this.running,
      rate: this.options.rate,
      interval_ms: Math.round(this.options.intervalMs / this.options.rate),
      steps: this.stats.steps,
      idle_steps: this.stats.idleSteps,
      taker_orders: this.stats.takerOrders,
      trades: this.stats.trades,
      requotes: this.stats.requotes,
      orders_placed: this.stats.ordersPlaced,
      orders_canceled: this.stats.ordersCanceled,
      fair_value_moves: this.stats.fairValueMoves,
      rejections: { ...this.rejections },
      maker_user_id: this.maker.userId,
      taker_user_ids: this.takerUserIds,
    };
  }

  // ------------------------------------------------------------------ step

  private stepOnce(): void {
    const { state } = this.exchange;
    this.stats.steps += 1;
    if (!state.flags.exchangeActive || !state.flags.tradingActive) {
      // Pauses: the engine would refuse everything; quote again when trading resumes.
      this.stats.idleSteps += 1;
      for (const bot of this.markets.values()) bot.dirty = true;
      return;
    }
    const active = this.activeMarkets();
    if (active.length === 0) {
      this.stats.idleSteps += 1;
      return;
    }
    if (this.maker.isBot && state.balance(this.maker, 0) < MAKER_CASH_FLOOR) {
      topUpBalance(state, this.maker.userId, 0, MAKER_TOP_UP);
    }

    for (const market of active) {
      const bot = this.botState(market);
      if (this.random.chance(this.options.fairValueMoveProbability)) {
        if (this.moveFairValue(market, bot)) bot.dirty = true;
      }
    }

    let requoted = 0;
    for (const market of active) {
      if (requoted >= MAX_REQUOTES_PER_STEP) break;
      const bot = this.botState(market);
      if (!bot.dirty) continue;
      this.requote(market, bot);
      requoted += 1;
    }
    // One market per step is refreshed regardless, repairing books users or pauses disturbed.
    const refresh = active[this.roundRobin % active.length];
    this.roundRobin += 1;
    if (refresh) this.requote(refresh, this.botState(refresh));

    if (this.random.chance(this.options.takerProbability)) this.take(active);
  }

  private activeMarkets(): MarketRecord[] {
    const now = this.exchange.state.now();
    const out: MarketRecord[] = [];
    for (const market of this.exchange.state.markets.values()) {
      if (market.status === "active" && now < market.closeTime) out.push(market);
    }
    return out;
  }

  private botState(market: MarketRecord): MarketBotState {
    let bot = this.markets.get(market.ticker);
    if (!bot) {
      if (!(market.fairValue >= FAIR_MIN && market.fairValue <= FAIR_MAX)) {
        setFairValue(
          this.exchange.state,
          market.ticker,
          clamp(market.fairValue > 0 ? market.fairValue : 50 * ONE_CENT, FAIR_MIN, FAIR_MAX),
        );
      }
      bot = { anchor: market.fairValue, dirty: true };
      this.markets.set(market.ticker, bot);
    }
    return bot;
  }

  // ------------------------------------------------------------ fair value

  /** One step of the walk: a tick-sized move (0.5¢ minimum), pulled back toward the anchor. Returns whether it moved. */
  private moveFairValue(market: MarketRecord, bot: MarketBotState): boolean {
    const ranges = market.priceRanges;
    const fv = market.fairValue;
    const unit = Math.max(safeTick(fv, ranges), ONE_CENT / 2);
    const pull = clamp((bot.anchor - fv) / (40 * ONE_CENT), -0.3, 0.3);
    const up = this.random.chance(0.5 + pull);
    const size = this.random.chance(0.8) ? 1 : 2;
    const target = clamp(fv + (up ? 1 : -1) * unit * size, FAIR_MIN, FAIR_MAX);
    // Snap toward the old value, so a move never overshoots its own size.
    const snapped = snapToGrid(target, ranges, up ? "down" : "up") ?? fv;
    if (snapped === fv) return false;
    setFairValue(this.exchange.state, market.ticker, snapped);
    this.stats.fairValueMoves += 1;
    return true;
  }

  // ---------------------------------------------------------------- maker

  /** The ladder the maker wants on this market now: best bid below and best ask above fair value. */
  private desiredLadder(market: MarketRecord): DesiredQuote[] {
    const ranges = market.priceRanges;
    const fv = snapToGrid(market.fairValue, ranges, "down") ?? market.fairValue;
    const gap = Math.max(safeTick(fv, ranges), ONE_CENT / 2);
    const fractional = allowsFractional(market);
    const quotes: DesiredQuote[] = [];
    let bid = nextPrice(fv, ranges, "down");
    let ask = nextPrice(fv, ranges, "up");
    for (let level = 0; level < this.options.levels; level += 1) {
      if (bid !== null) {
        quotes.push({ side: "bid", price: bid, count: this.quoteSize(level, fractional) });
        bid = snapToGrid(bid - gap, ranges, "down");
      }
      if (ask !== null) {
        quotes.push({ side: "ask", price: ask, count: this.quoteSize(level, fractional) });
        ask = snapToGrid(ask + gap, ranges, "up");
      }
    }
    return quotes;
  }

  /** 10–60 contracts at the top, deeper levels larger; fractional sizes on fractional markets. */
  private quoteSize(level: number, fractional: boolean): Centis {
    const contracts = this.random.int(10, 60) + level * this.random.int(0, 40);
    const extra = fractional && this.random.chance(0.5) ? this.random.int(1, 99) : 0;
    return contracts * 100 + extra;
  }

  /**
   * Cancels the maker's orders that are no longer on the ladder (or nearly
   * filled) and places what is missing. Orders already at a wanted price keep
   * their queue priority.
   */
  private requote(market: MarketRecord, bot: MarketBotState): void {
    const { state, engine } = this.exchange;
    bot.dirty = false;
    this.stats.requotes += 1;
    const desired = this.desiredLadder(market);
    const wanted = new Map<string, DesiredQuote>();
    for (const quote of desired) wanted.set(`${quote.side}|${quote.price}`, quote);

    const mine: OrderRecord[] = [];
    for (const order of state.restingByMarket.get(market.ticker) ?? []) {
      if (order.userId === this.maker.userId) mine.push(order);
    }
    const covered = new Set<string>();
    for (const order of mine) {
      const key = `${order.side}|${order.price}`;
      const quote = wanted.get(key);
      // Keep a wanted level unless takers ate most of it; then replace it at full size.
      if (quote && !covered.has(key) && order.remainingCount * 4 >= quote.count) {
        covered.add(key);
        continue;
      }
      this.attempt("cancel", () => {
        engine.cancelOrder(this.maker.userId, order.orderId, "user");
        this.stats.ordersCanceled += 1;
      });
    }
    for (const quote of desired) {
      if (covered.has(`${quote.side}|${quote.price}`)) continue;
      this.attempt("quote", () => {
        engine.placeOrder({
          userId: this.maker.userId,
          ticker: market.ticker,
          side: quote.side,
          price: quote.price,
          count: quote.count,
          timeInForce: "good_till_canceled",
          postOnly: true,
          selfTradePrevention: "maker",
        });
        this.stats.ordersPlaced += 1;
      });
    }
  }

  // ---------------------------------------------------------------- taker

  /** One IOC order crossing the spread on a random market, leaning toward fair value. */
  private take(active: MarketRecord[]): void {
    const market = this.random.pick(active);
    const book = this.exchange.state.book(market.ticker);
    const bestBid = book.bestBid();
    const bestAsk = book.bestAsk();
    if (!bestBid && !bestAsk) return;
    const mid = bestBid && bestAsk ? (bestBid.price + bestAsk.price) / 2 : market.fairValue;
    // Cheap relative to fair value → buy more often, rich → sell more often.
    const lean = clamp((market.fairValue - mid) / (10 * ONE_CENT), -0.3, 0.3);
    let side: BookSide = this.random.chance(0.5 + lean) ? "bid" : "ask";
    if (side === "bid" && !bestAsk) side = "ask";
    if (side === "ask" && !bestBid) side = "bid";
    const target = side === "bid" ? bestAsk : bestBid;
    if (!target) return;
    let price = target.price;
    // Sometimes sweep one more level.
    if (this.random.chance(0.2)) {
      const next = side === "bid" ? book.asks : book.bids;
      let index = 0;
      for (const level of next.iterate()) {
        if (index === 1) {
          price = level.price;
          break;
        }
        index += 1;
      }
    }
    const count = this.takerSize(market);
    const taker = this.random.pick(this.takers);
    this.stats.takerOrders += 1;
    this.attempt("take", () => {
      const result = this.exchange.engine.placeOrder({
        userId: taker.userId,
        ticker: market.ticker,
        side,
        price,
        count,
        timeInForce: "immediate_or_cancel",
      });
      if (result.fillCount > 0) {
        this.stats.trades += result.fills.length;
        this.botState(market).dirty = true;
      }
    });
  }

  /** Mostly small tickets (1–5 contracts), now and then up to 40; fractional on fractional markets. */
  private takerSize(market: MarketRecord): Centis {
    if (allowsFractional(market) && this.random.chance(0.4)) {
      return this.random.int(1, 1500);
    }
    const r = this.random.next();
    return (1 + Math.floor(39 * r * r * r)) * 100;
  }

  // -------------------------------------------------------------- helpers

  private resolveMaker(makerUserId: string | undefined): UserRecord {
    const { state } = this.exchange;
    if (makerUserId !== undefined) {
      const user = state.users.get(makerUserId);
      if (!user) throw new RangeError(`bot maker account ${makerUserId} does not exist`);
      return user;
    }
    const seeded = seedInfo(state)?.makerUserId;
    const seededUser = seeded === undefined ? undefined : state.users.get(seeded);
    if (seededUser) return seededUser;
    // Otherwise adopt the bot account resting the most orders (someone's initial ladders).
    const restingByUser = new Map<string, number>();
    for (const set of state.restingByMarket.values()) {
      for (const order of set)
        restingByUser.set(order.userId, (restingByUser.get(order.userId) ?? 0) + 1);
    }
    let best: UserRecord | undefined;
    let bestCount = 0;
    for (const user of state.users.values()) {
      const count = restingByUser.get(user.userId) ?? 0;
      if (user.isBot && count > bestCount) {
        best = user;
        bestCount = count;
      }
    }
    return (
      best ??
      createAccount(state, { balanceCents: BOT_BALANCE_CENTS, isBot: true, tier: "premier" })
    );
  }

  /** Runs one engine action; a SimError is an expected rejection (counted), anything else is logged once per kind. */
  private attempt(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      if (error instanceof SimError) {
        this.rejections[error.code] = (this.rejections[error.code] ?? 0) + 1;
        return;
      }
      this.failed(what, error);
    }
  }

  private failed(what: string, error: unknown): void {
    const key = `${what}:${String(error)}`;
    this.rejections.internal = (this.rejections.internal ?? 0) + 1;
    if (this.loggedFailures.has(key)) return;
    this.loggedFailures.add(key);
    console.error(JSON.stringify({ at: "sim.bots", what: `${what} failed`, error: String(error) }));
  }
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** Tick above `price` on this grid, or 1¢ when no band covers it. */
function safeTick(price: Micros, ranges: readonly PriceRange[]): Micros {
  try {
    return tickAt(price, ranges, "up");
  } catch {
    return ONE_CENT;
  }
}

/** Fractional counts on the sub-penny deci_cent market (the seed's fractional showcase). */
function allowsFractional(market: MarketRecord): boolean {
  return market.priceLevelStructure === "deci_cent";
}
