/**
 * Batched re-reads of single markets and events after the stream said they
 * changed (a lifecycle message, a new event, a close time that passed):
 * tickers gathered over BATCH_MS go upstream together, up to 1,000 markets in
 * one `GET /markets?tickers=…` and 100 events in one `GET /events?tickers=…`.
 * A market announced as `created` may not be readable at once (Kalshi's
 * lifecycle FAQ): it is asked for again with backoff before being given up.
 */
import type { KalshiMarketDataClient } from "@/server/kalshi/client";

import { loadEvents } from "./loader";
import type { MarketUniverse, UniverseWriter } from "./universe";

const BATCH_MS = 100;
const MAX_TICKERS = 1_000;
/** A market that is expected but not yet listed is asked for at most this many times. */
const MAX_ATTEMPTS = 5;

export interface RefetchOptions {
  now: () => number;
  log: (level: "info" | "warn" | "error", fields: Record<string, unknown>) => void;
  /** Counts upstream calls (the service's statistics). */
  onCall: () => void;
  /** Where changes go (the universe, or a cluster's publisher). */
  writer: () => UniverseWriter;
}

export class Refetcher {
  private readonly markets = new Map<string, number>(); // ticker → attempt
  private readonly events = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Tickers asked for at least once and not yet answered (tests wait on this). */
  pending = 0;

  constructor(
    private readonly client: KalshiMarketDataClient,
    private readonly universe: MarketUniverse,
    private readonly options: RefetchOptions,
  ) {}

  market(ticker: string, attempt = 0): void {
    if (this.stopped) return;
    if (!this.markets.has(ticker)) this.markets.set(ticker, attempt);
    this.schedule(BATCH_MS);
  }

  event(eventTicker: string): void {
    if (this.stopped) return;
    this.events.add(eventTicker);
    this.schedule(BATCH_MS);
  }

  /** Resolves once nothing is queued or in flight. */
  async settled(): Promise<void> {
    while (this.timer || this.running || this.markets.size > 0 || this.events.size > 0) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delay: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) {
        this.schedule(BATCH_MS);
        return;
      }
      this.running = this.flush()
        .catch((error: unknown) =>
          this.options.log("warn", {
            msg: "market-data refetch failed; the reconcile will catch up",
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => {
          this.running = null;
          if (this.markets.size > 0 || this.events.size > 0) this.schedule(BATCH_MS);
        });
    }, delay);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    const events = [...this.events];
    this.events.clear();
    const batch = [...this.markets].slice(0, MAX_TICKERS);
    for (const [ticker] of batch) this.markets.delete(ticker);
    this.pending = batch.length + events.length;

    if (batch.length > 0) {
      const at = this.options.now();
      this.options.onCall();
      const answer = await this.client.listMarkets({
        tickers: batch.map(([ticker]) => ticker).join(","),
        limit: MAX_TICKERS,
      });
      const found = new Set<string>();
      for (const market of answer.markets) {
        found.add(market.ticker);
        this.options.writer().upsertMarket(market, at);
        if (!this.universe.hasEventRecord(market.event_ticker)) events.push(market.event_ticker);
      }
      for (const [ticker, attempt] of batch) {
        if (found.has(ticker)) continue;
        if (attempt + 1 < MAX_ATTEMPTS) {
          // Not readable yet (just created) or gone: ask again later, backing off.
          const delay = 500 * 2 ** attempt;
          setTimeout(() => this.market(ticker, attempt + 1), delay).unref();
        } else if (this.universe.markets.has(ticker)) {
          // No longer on the live tier (archived): the universe stops holding it.
          this.options.writer().removeMarket(ticker);
        }
      }
    }
    const missing = [...new Set(events)];
    if (missing.length > 0) {
      const calls = await loadEvents(this.client, this.options.writer(), missing);
      for (let i = 0; i < calls; i += 1) this.options.onCall();
      // A new event from a series we have never seen: read that series too.
      for (const eventTicker of missing) {
        const series = this.universe.events.get(eventTicker)?.event.series_ticker;
        if (series && !this.universe.series.has(series)) {
          this.options.onCall();
          this.options.writer().upsertSeries(await this.client.getSeries(series));
        }
      }
    }
    this.pending = 0;
  }
}
