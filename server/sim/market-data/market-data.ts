/**
 * Derived market data the REST API serves but the matching engine does not
 * keep: candlesticks and rolling 24-hour volume. One store per SimState,
 * fed incrementally from the bus ("trade" and "ticker" events) and, for the
 * seeded history, directly by the seed.
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import { marketQuote } from "@/server/sim/market-quote";
import { MarketCandles } from "@/server/sim/market-data/candles";
import type { TradeRecord } from "@/server/sim/model";
import { statePart, type SimState } from "@/server/sim/state";

const DAY_MS = 86_400_000;

/** Trades of the last 24 hours of one market, oldest first, with their running total. */
export class RollingVolume {
  private times: number[] = [];
  private counts: Centis[] = [];
  private head = 0;
  private total: Centis = 0;

  add(tMs: number, count: Centis): void {
    this.times.push(tMs);
    this.counts.push(count);
    this.total += count;
  }

  /** Contracts traded in (nowMs − 24h, nowMs]. */
  sumSince(nowMs: number): Centis {
    const cutoff = nowMs - DAY_MS;
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) {
      this.total -= this.counts[this.head] as number;
      this.head += 1;
    }
    // Drop the evicted prefix now and then so the arrays stay ~one day long.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.head = 0;
    }
    return this.total;
  }
}

export class MarketDataStore {
  private readonly candlesByMarket = new Map<string, MarketCandles>();
  private readonly volumes = new Map<string, RollingVolume>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly state: SimState) {}

  /** Starts following the bus. Idempotent. */
  attach(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.state.bus.subscribe(
      (event) => {
        if (event.kind === "trade") {
          const market = this.state.market(event.trade.ticker);
          this.recordTrade(event.trade, market?.openInterest ?? 0);
        } else if (event.kind === "ticker") {
          const quote = marketQuote(this.state, event.ticker);
          this.recordQuote(event.ticker, event.tsMs, quote.yesBid, quote.yesAsk);
        }
      },
      ["trade", "ticker"],
    );
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Candles of a market (created empty on first use). */
  candles(ticker: string): MarketCandles {
    let candles = this.candlesByMarket.get(ticker);
    if (!candles) {
      candles = new MarketCandles();
      this.candlesByMarket.set(ticker, candles);
    }
    return candles;
  }

  /** A trade (live or historical, in time order per market) with the open interest right after it. */
  recordTrade(trade: TradeRecord, openInterest: Centis): void {
    this.candles(trade.ticker).recordTrade(
      trade.createdTime,
      trade.price,
      trade.count,
      openInterest,
    );
    let volume = this.volumes.get(trade.ticker);
    if (!volume) {
      volume = new RollingVolume();
      this.volumes.set(trade.ticker, volume);
    }
    volume.add(trade.createdTime, trade.count);
  }

  /** The best YES bid/ask of a market at `tMs` (no-op when unchanged). */
  recordQuote(
    ticker: string,
    tMs: number,
    yesBid: Micros,
    yesAsk: Micros,
    openInterest?: Centis,
  ): void {
    this.candles(ticker).recordQuote(tMs, yesBid, yesAsk, openInterest);
  }

  /**
   * The market as of 24 hours ago (Kalshi's `previous_*` fields): last trade
   * price and best bid/ask then, or null when the store saw nothing that old.
   */
  dayAgo(ticker: string): { price: Micros | null; yesBid: Micros; yesAsk: Micros } | null {
    const candles = this.candlesByMarket.get(ticker);
    const candle = candles?.latestBefore(1, this.state.now() - DAY_MS + 1);
    if (!candle) return null;
    return {
      price: candle.priceClose ?? candle.previousPrice,
      yesBid: candle.bidClose,
      yesAsk: candle.askClose,
    };
  }

  /** Contracts traded in the market over the last 24 hours. */
  volume24h(ticker: string): Centis {
    return this.volumes.get(ticker)?.sumSince(this.state.now()) ?? 0;
  }
}

const STORE = statePart<{ store: MarketDataStore | null }>(
  "market-data",
  () => ({ store: null }),
  // A store restored from a snapshot follows the bus again (its subscription is not stored).
  { revive: (holder) => holder.store?.attach() },
);

/**
 * The state's market-data store, created and attached to the bus on first
 * use. The seed creates it before anything trades; when an exchange runs
 * without seed data, the first call replays the trades already recorded
 * (open interest is then only known as of now).
 */
export function marketData(state: SimState): MarketDataStore {
  const holder = state.part(STORE);
  let store = holder.store;
  if (!store) {
    store = new MarketDataStore(state);
    holder.store = store;
    for (const trade of state.trades) {
      store.recordTrade(trade, state.market(trade.ticker)?.openInterest ?? 0);
    }
    store.attach();
  }
  return store;
}
