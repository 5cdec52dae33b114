/**
 * The market-data service: every public read the BFF routes and the pages
 * make, answered from the in-memory universe when it holds the answer, and
 * otherwise from the exchange through one coalescing, briefly caching door.
 *
 *   universe.ts   what is held (series, events, markets) and how the stream changes it
 *   loader.ts     paginated REST load and reconcile
 *   refetcher.ts  batched re-reads after lifecycle messages and implicit transitions
 *   queries.ts    lists, filters, sorts, cursors over the universe
 *   candles.ts    candles per market and period, the live one from the stream
 *   coalescer.ts  one upstream call for identical concurrent requests
 *
 * The live feed is the `tap` (a MarketTap): the gateway's shared market-data
 * connection calls it (server/main.ts wires them), or, with no gateway in the
 * process, a connection of the service's own (own-feed.ts). A dropped or
 * resynced feed triggers a reconcile once the channels flow again.
 *
 * Methods keep the signatures of the public Kalshi client so pages and
 * routes swap one for the other. Errors are KalshiErrors (404 for "not held
 * and not upstream either"), recognised across module copies by isKalshiError.
 */
import { z } from "zod";

import { applyBrowseFilters, DEFAULT_FILTERS } from "@/lib/queries/browse-filters";
import {
  OWN_MARKET_PARAMS,
  type CandlesticksQuery,
  type CandlesticksResponse,
  type EventList,
  type EventResponse,
  type EventsQuery,
  type ExchangeStatus,
  type KalshiEvent,
  type Market,
  type MarketList,
  type MarketsQuery,
  type OrderbookResponse,
  type Series,
  type SeriesList,
  type SeriesQuery,
  type TradeList,
  type TradesQuery,
} from "@/lib/schemas/market";
import type { CollectionList, CollectionsQuery, Collection } from "@/lib/schemas/collection";
import type { SearchHitKind, SearchResponse } from "@/lib/schemas/search";
import { formatCount, formatDollars, ONE_DOLLAR } from "@/lib/fixed-point";
import type { MarketTap } from "@/server/gateway/gateway";
import { readGatewayBook } from "@/server/gateway/book-registry";
import type { UpstreamChannel, UpstreamMsg } from "@/server/gateway/upstream";
import type { KalshiMarketDataClient } from "@/server/kalshi/client";
import { isKalshiError, KalshiError } from "@/server/kalshi/errors";
import { buildIndex, searchIndex, type SearchIndex } from "@/server/search/search-index";

import { CandleCache } from "./candles";
import { Coalescer } from "./coalescer";
import { loadUniverse, type LoadReport } from "./loader";
import { ForeignCursorError, isOwnCursor, UniverseQueries } from "./queries";
import { Refetcher } from "./refetcher";
import { awaitsImplicitTransition } from "./status";
import { MarketUniverse, TickerMsgSchema, TradeMsgSchema, type UniverseWriter } from "./universe";

/** Channels the service holds for every market on the shared connection. */
export const FEED_CHANNELS: readonly UpstreamChannel[] = ["ticker", "trade", "market_lifecycle_v2"];

/** How long the briefly cached answers live, ms. */
export const CACHE_TTL = {
  orderbook: 1_000,
  trades: 2_000,
  exchangeStatus: 5_000,
  unknownMarket: 10_000,
  collections: 10_000,
  seriesVolume: 30_000,
  historical: 60_000,
} as const;

/** A page waits this long for the first load before going upstream instead. */
const READY_WAIT_MS = 5_000;
/** Implicit transitions (open_time, close_time passing) are looked for this often. */
const SWEEP_MS = 1_000;
/** A market still reported before its transition is asked again after this, at most this often. */
const TRANSITION_RETRY_MS = 2_000;
const TRANSITION_ATTEMPTS = 5;
/** The search index is rebuilt from the universe at most this often. */
const SEARCH_REFRESH_MS = 60_000;

const LifecycleMsgSchema = z.looseObject({
  event_type: z.string(),
  market_ticker: z.string().min(1),
  close_ts: z.number().optional(),
});
const EventLifecycleMsgSchema = z.looseObject({ event_ticker: z.string().min(1) });

/** The universe as plain data (a cluster leader's snapshot). */
export interface UniverseSnapshot {
  series: Series[];
  events: KalshiEvent[];
  markets: Array<{ market: Market; liveAt: number; restAt: number }>;
}

/** A change a cluster leader publishes for the followers' universes. */
export type UniverseOp =
  | { op: "series"; series: Series }
  | { op: "event"; event: KalshiEvent }
  | { op: "market"; market: Market; at: number }
  | { op: "remove-market"; ticker: string }
  | { op: "remove-event"; ticker: string }
  | { op: "loaded"; report: LoadReport };

export type MarketDataLog = (
  level: "info" | "warn" | "error",
  fields: Record<string, unknown>,
) => void;

export interface MarketDataServiceOptions {
  /** The public client of the configured exchange (its read bucket paces every call). */
  client: KalshiMarketDataClient;
  /** False: no universe, every read goes upstream through the coalescer. */
  enabled: boolean;
  reconcileMs: number;
  settledRetentionMs: number;
  now?: () => number;
  log?: MarketDataLog;
}

export interface MarketDataStats {
  state: "off" | "loading" | "ready" | "failed";
  feed: "connected" | "down" | "none";
  loads: number;
  lastLoad: LoadReport | null;
  /** Upstream REST calls the service made itself (loads, refetches, coalesced reads). */
  upstreamCalls: number;
  coalescer: Coalescer["stats"];
  universe: { series: number; events: number; markets: number };
}

export class MarketDataService {
  readonly universe: MarketUniverse;
  readonly queries: UniverseQueries;
  readonly coalescer: Coalescer;
  readonly candles: CandleCache;
  readonly refetcher: Refetcher;
  /** The live feed: hand this to the gateway (or own-feed.ts). */
  readonly tap: MarketTap;

  private readonly client: KalshiMarketDataClient;
  private readonly now: () => number;
  private readonly log: MarketDataLog;
  private state: MarketDataStats["state"];
  private feed: MarketDataStats["feed"] = "none";
  private readyPromise: Promise<void>;
  private resolveReady: () => void = () => {};
  private loading: Promise<LoadReport> | null = null;
  private loads = 0;
  private lastLoad: LoadReport | null = null;
  private ownCalls = 0;
  /** After a drop or resync: the channels still to come back before reconciling. */
  private awaiting: Set<UpstreamChannel> | null = null;
  private readonly transitionAsks = new Map<string, { at: number; attempts: number }>();
  private readonly unknownAsked = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private search: { index: SearchIndex; version: number } | null = null;
  private stopped = false;
  private started = false;
  /**
   * "single": one process does everything. In a cluster (server/cluster) the
   * "leader" loads, reconciles and re-reads, publishing every change through
   * `writer`; a "follower" only applies what the leader publishes.
   */
  private role: "single" | "leader" | "follower" = "single";
  private writer: UniverseWriter;
  private readonly reconciledHooks: Array<(report: LoadReport) => void> = [];
  private readonly stopHooks: Array<() => void> = [];

  constructor(private readonly options: MarketDataServiceOptions) {
    this.client = options.client;
    this.now = options.now ?? Date.now;
    this.log =
      options.log ??
      ((level, fields) => {
        const line = JSON.stringify({
          level,
          at: "server/market-data",
          time: new Date().toISOString(),
          ...fields,
        });
        if (level === "info") console.log(line);
        else console.error(line);
      });
    this.state = options.enabled ? "loading" : "off";
    this.universe = new MarketUniverse(this.now);
    this.writer = this.universe;
    this.queries = new UniverseQueries(this.universe, this.now);
    this.coalescer = new Coalescer(this.now);
    this.candles = new CandleCache(
      this.coalescer,
      (ticker, query) => this.upstream(() => this.client.getMarketCandlesticks(ticker, query)),
      this.now,
    );
    this.refetcher = new Refetcher(this.client, this.universe, {
      now: this.now,
      log: this.log,
      onCall: () => {
        this.ownCalls += 1;
      },
      writer: () => this.writer,
    });
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    this.tap = {
      channels: FEED_CHANNELS,
      onConnection: (state) => this.onConnection(state),
      onSubscribed: (channel) => this.onSubscribed(channel),
      onResync: (channel) => this.onResync(channel),
      onData: (channel, type, msg) => this.onData(channel, type, msg),
    };
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  get isReady(): boolean {
    return this.state === "ready";
  }

  /** Loads the universe (retrying with backoff until it succeeds) and starts the timers. */
  start(): void {
    if (!this.options.enabled || this.started) return;
    this.started = true;
    if (this.role !== "follower") this.lead();
  }

  /**
   * Joins a cluster as a follower: changes come from the leader (applyOp,
   * importUniverse) until setRole("leader"); as leader, changes go to `writer`.
   */
  joinCluster(writer: UniverseWriter): void {
    this.role = "follower";
    this.writer = writer;
  }

  /** Leads (loads, reconciles, re-reads) or follows, in a cluster. */
  setRole(role: "leader" | "follower"): void {
    if (this.role === role || this.role === "single") return;
    this.role = role;
    if (!this.started) return;
    if (role === "leader") this.lead();
    else this.follow();
  }

  get clusterRole(): "single" | "leader" | "follower" {
    return this.role;
  }

  /** Runs `hook` after every reconcile (the cluster leader writes its snapshot then). */
  onReconciled(hook: (report: LoadReport) => void): void {
    this.reconciledHooks.push(hook);
  }

  private lead(): void {
    if (this.timers.length > 0) return;
    if (this.isReady) void this.reconcile("took the lead").catch(() => undefined);
    else void this.firstLoad();
    const sweep = setInterval(() => this.sweep(), SWEEP_MS);
    const reconcile = setInterval(() => {
      if (this.state === "ready") void this.reconcile("interval").catch(() => undefined);
    }, this.options.reconcileMs);
    sweep.unref();
    reconcile.unref();
    this.timers.push(sweep, reconcile);
  }

  private follow(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  // ------------------------------------------------------- cluster state

  /** The universe as plain data (the cluster leader's snapshot for new instances). */
  exportUniverse(): UniverseSnapshot {
    const u = this.universe;
    return {
      series: [...u.series.values()].sort((a, b) => a.index - b.index).map((e) => e.series),
      events: [...u.events.values()]
        .filter((entry) => u.hasEventRecord(entry.event.event_ticker))
        .sort((a, b) => a.index - b.index)
        .map((entry) => entry.event),
      markets: [...u.markets.values()]
        .sort((a, b) => a.index - b.index)
        .map((entry) => ({ market: entry.market, liveAt: entry.liveAt, restAt: entry.restAt })),
    };
  }

  /** Replaces the universe with a snapshot; answers from memory when it was complete (`ready`). */
  importUniverse(snapshot: UniverseSnapshot, ready = true): void {
    const u = this.universe;
    u.clear();
    for (const series of snapshot.series) u.upsertSeries(series);
    for (const event of snapshot.events) u.upsertEvent(event);
    for (const { market, liveAt, restAt } of snapshot.markets) {
      u.upsertMarket(market, restAt);
      u.setLiveAt(market.ticker, liveAt);
    }
    this.search = null;
    if (ready) this.markReady();
  }

  /** One change the cluster leader published. */
  applyOp(op: UniverseOp): void {
    const u = this.universe;
    switch (op.op) {
      case "series":
        u.upsertSeries(op.series);
        return;
      case "event":
        u.upsertEvent(op.event);
        return;
      case "market":
        u.upsertMarket(op.market, op.at);
        return;
      case "remove-market":
        u.removeMarket(op.ticker);
        return;
      case "remove-event":
        u.removeEvent(op.ticker);
        return;
      case "loaded":
        this.loads += 1;
        this.lastLoad = op.report;
        this.search = null;
        this.markReady();
        return;
      default: {
        const exhaustive: never = op;
        return exhaustive;
      }
    }
  }

  private markReady(): void {
    this.state = "ready";
    this.resolveReady();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.refetcher.stop();
    for (const hook of this.stopHooks.splice(0)) hook();
  }

  /** Runs `hook` when the service stops (its own feed connection closes then). */
  onStop(hook: () => void): void {
    this.stopHooks.push(hook);
  }

  /** Resolves when the first load is done (never rejects; see state). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Re-reads everything from REST now (or joins the reload in progress). */
  reconcile(reason: string): Promise<LoadReport> {
    this.loading ??= loadUniverse(this.client, this.universe, {
      settledRetentionMs: this.options.settledRetentionMs,
      now: this.now,
      writer: this.writer,
    })
      .then((report) => {
        this.loads += 1;
        this.ownCalls += report.calls;
        this.lastLoad = report;
        this.search = null;
        this.coalescer.invalidatePrefix("market ");
        for (const hook of this.reconciledHooks) hook(report);
        this.log("info", {
          msg: "market-data universe reconciled",
          reason,
          ...report,
        });
        return report;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  stats(): MarketDataStats {
    return {
      state: this.state,
      feed: this.feed,
      loads: this.loads,
      lastLoad: this.lastLoad,
      upstreamCalls: this.ownCalls,
      coalescer: { ...this.coalescer.stats },
      universe: this.universe.counts,
    };
  }

  // ------------------------------------------------------------------ reads

  /** GET /markets: from memory (every filter and sort of the browse page), else upstream. */
  async listMarkets(query: MarketsQuery = {}, signal?: AbortSignal): Promise<MarketList> {
    if (
      query.mve_filter !== "only" &&
      query.min_settled_ts === undefined &&
      isOwnCursor(query.cursor) &&
      (await this.memoryReady())
    ) {
      let held: MarketList;
      try {
        held = this.queries.listMarkets(query);
      } catch (error) {
        if (!(error instanceof ForeignCursorError)) throw error;
        throw invalidCursor("/markets");
      }
      if (query.tickers === undefined) return held;
      return this.withUnheld(query, held, signal);
    }
    const upstreamQuery: MarketsQuery = { ...query };
    for (const param of OWN_MARKET_PARAMS) delete upstreamQuery[param];
    const answer = await this.cached(
      `markets ${JSON.stringify(upstreamQuery)}`,
      CACHE_TTL.orderbook,
      () => this.client.listMarkets(upstreamQuery),
      signal,
    );
    if (query.sort === undefined && query.category === undefined && query.closing === undefined)
      return answer;
    // Upstream has no sort or category: applied to this page, as the browser once did.
    const categoryOfSeries = new Map(
      [...this.universe.series.values()].map(({ series }) => [series.ticker, series.category]),
    );
    return {
      ...answer,
      markets: applyBrowseFilters(
        answer.markets,
        {
          ...DEFAULT_FILTERS,
          sort: query.sort ?? DEFAULT_FILTERS.sort,
          category: query.category,
          closing: query.closing,
        },
        { now: this.now(), categoryOfSeries },
      ),
    };
  }

  /**
   * A lookup by ticker: the tickers the universe does not hold (combos,
   * markets settled before the retention window) are read upstream, and the
   * answer keeps the order asked for.
   */
  private async withUnheld(
    query: MarketsQuery,
    held: MarketList,
    signal: AbortSignal | undefined,
  ): Promise<MarketList> {
    const asked = (query.tickers ?? "")
      .split(",")
      .map((ticker) => ticker.trim())
      .filter(Boolean);
    const missing = asked.filter((ticker) => !this.universe.markets.has(ticker));
    if (missing.length === 0) return held;
    const upstreamQuery: MarketsQuery = { ...query, tickers: missing.join(",") };
    for (const param of OWN_MARKET_PARAMS) delete upstreamQuery[param];
    const fetched = await this.cached(
      `markets ${JSON.stringify(upstreamQuery)}`,
      CACHE_TTL.orderbook,
      () => this.client.listMarkets(upstreamQuery),
      signal,
    );
    const byTicker = new Map(
      [...held.markets, ...fetched.markets].map((market) => [market.ticker, market]),
    );
    const limit = query.limit ?? 100;
    const markets = asked.flatMap((ticker) => {
      const market = byTicker.get(ticker);
      return market ? [market] : [];
    });
    return { markets: markets.slice(0, limit), cursor: "" };
  }

  /** One market from whichever tier holds it (GET /markets/{t}, then /historical/markets/{t}). */
  async getMarket(ticker: string, signal?: AbortSignal): Promise<Market> {
    if (await this.memoryReady()) {
      const held = this.universe.market(ticker);
      if (held) return held;
    }
    return this.cached(
      `market ${ticker}`,
      CACHE_TTL.unknownMarket,
      async () => {
        try {
          return await this.client.getMarket(ticker);
        } catch (error) {
          if (!(isKalshiError(error) && error.status === 404)) throw error;
          return this.client.getHistoricalMarket(ticker);
        }
      },
      signal,
    );
  }

  async getEvent(
    eventTicker: string,
    query: { with_nested_markets?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<EventResponse> {
    if (await this.memoryReady()) {
      const held = this.queries.getEvent(eventTicker, query.with_nested_markets ?? false);
      if (held) return held;
    }
    return this.cached(
      `event ${eventTicker} ${query.with_nested_markets === true}`,
      CACHE_TTL.unknownMarket,
      () => this.client.getEvent(eventTicker, query),
      signal,
    );
  }

  async listEvents(query: EventsQuery = {}, signal?: AbortSignal): Promise<EventList> {
    if (query.tickers === undefined && isOwnCursor(query.cursor) && (await this.memoryReady())) {
      try {
        return this.queries.listEvents(query);
      } catch (error) {
        if (!(error instanceof ForeignCursorError)) throw error;
        throw invalidCursor("/events");
      }
    }
    return this.cached(
      `events ${JSON.stringify(query)}`,
      CACHE_TTL.orderbook,
      () => this.client.listEvents(query),
      signal,
    );
  }

  async listSeries(query: SeriesQuery = {}, signal?: AbortSignal): Promise<SeriesList> {
    if (!query.include_volume && (await this.memoryReady()))
      return { series: this.queries.listSeries(query) };
    return this.cached(
      `series ${JSON.stringify(query)}`,
      CACHE_TTL.seriesVolume,
      () => this.client.listSeries(query),
      signal,
    );
  }

  async getSeries(seriesTicker: string, signal?: AbortSignal): Promise<Series> {
    if (await this.memoryReady()) {
      const held = this.universe.series.get(seriesTicker);
      if (held) return held.series;
    }
    return this.cached(
      `series-one ${seriesTicker}`,
      CACHE_TTL.seriesVolume,
      () => this.client.getSeries(seriesTicker),
      signal,
    );
  }

  /** Categories with their series counts (the browse page's chips). */
  async categories(): Promise<Array<{ category: string; series: number }>> {
    if (await this.memoryReady()) return this.queries.categories();
    const { series } = await this.listSeries();
    const counts = new Map<string, number>();
    for (const s of series) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, count]) => ({ category, series: count }));
  }

  /** The book: the gateway's live copy when a browser watches it, else upstream (briefly cached). */
  async getOrderbook(
    ticker: string,
    query: { depth?: number } = {},
    signal?: AbortSignal,
  ): Promise<OrderbookResponse> {
    const depth = query.depth !== undefined && query.depth > 0 ? query.depth : 0;
    const live = readGatewayBook(ticker);
    if (live) {
      const bids = depth > 0 ? live.bids.slice(0, depth) : live.bids;
      const asks = depth > 0 ? live.asks.slice(0, depth) : live.asks;
      return {
        orderbook_fp: {
          yes_dollars: [...bids]
            .reverse()
            .map(([price, size]) => [formatDollars(price), formatCount(size)] as [string, string]),
          no_dollars: [...asks]
            .reverse()
            .map(
              ([price, size]) =>
                [formatDollars(ONE_DOLLAR - price), formatCount(size)] as [string, string],
            ),
        },
      };
    }
    return this.cached(
      `orderbook ${ticker} ${depth}`,
      CACHE_TTL.orderbook,
      () => this.client.getOrderbook(ticker, query),
      signal,
    );
  }

  async listTrades(query: TradesQuery = {}, signal?: AbortSignal): Promise<TradeList> {
    return this.cached(
      `trades ${query.ticker ?? "*"} ${JSON.stringify(query)}`,
      CACHE_TTL.trades,
      () => this.client.listTrades(query),
      signal,
    );
  }

  getMarketCandlesticks(
    ticker: string,
    query: CandlesticksQuery,
    signal?: AbortSignal,
  ): Promise<CandlesticksResponse> {
    if (!this.options.enabled || this.feed !== "connected")
      return this.cached(
        `candles-direct ${ticker} ${JSON.stringify(query)}`,
        CACHE_TTL.orderbook,
        () => this.client.getMarketCandlesticks(ticker, query),
        signal,
      );
    return this.candles.get(ticker, query, signal);
  }

  getExchangeStatus(signal?: AbortSignal): Promise<ExchangeStatus> {
    return this.cached(
      "exchange-status",
      CACHE_TTL.exchangeStatus,
      () => this.client.getExchangeStatus(),
      signal,
    );
  }

  listCollections(query: CollectionsQuery = {}, signal?: AbortSignal): Promise<CollectionList> {
    return this.cached(
      `collections ${JSON.stringify(query)}`,
      CACHE_TTL.collections,
      () => this.client.listCollections(query),
      signal,
    );
  }

  getCollection(ticker: string, signal?: AbortSignal): Promise<Collection> {
    return this.cached(
      `collection ${ticker}`,
      CACHE_TTL.collections,
      () => this.client.getCollection(ticker),
      signal,
    );
  }

  /** Full-text search over the held series, events and markets; null when not ready (use the REST-built index). */
  async searchHeld(query: {
    q: string;
    limit?: number;
    kind?: SearchHitKind;
  }): Promise<SearchResponse | null> {
    if (!(await this.memoryReady())) return null;
    const now = this.now();
    if (
      !this.search ||
      (this.search.version !== this.universe.version &&
        now - this.search.index.builtAt > SEARCH_REFRESH_MS)
    ) {
      const series = this.queries.listSeries();
      const events = [...this.universe.events.values()]
        .filter((entry) => this.universe.hasEventRecord(entry.event.event_ticker))
        .map((entry) => ({
          ...entry.event,
          markets: this.universe.marketsOfEvent(entry.event.event_ticker).map((m) => m.market),
        }));
      this.search = { index: buildIndex(series, events, now), version: this.universe.version };
    }
    const index = this.search.index;
    return {
      hits: searchIndex(index, query.q, { limit: query.limit, kind: query.kind }),
      indexed: index.docs.length,
      refreshed_at: new Date(index.builtAt).toISOString(),
    };
  }

  // ------------------------------------------------------------------- feed

  private onConnection(state: "open" | "down"): void {
    if (state === "open") {
      this.feed = "connected";
      return;
    }
    if (this.feed === "connected")
      this.log("warn", { msg: "market-data feed lost; will reconcile when it is back" });
    this.feed = "down";
    // Trades may be missed from here on: the live candles are rebuilt from REST.
    this.candles.invalidate();
    this.coalescer.clear();
    this.awaiting = new Set(FEED_CHANNELS);
  }

  private onSubscribed(channel: UpstreamChannel): void {
    this.feed = "connected";
    if (!this.awaiting) return;
    this.awaiting.delete(channel);
    if (this.awaiting.size > 0) return;
    this.awaiting = null;
    if (this.state === "ready" && this.role !== "follower")
      void this.reconcile("feed resubscribed").catch(() => undefined);
  }

  private onResync(channel: UpstreamChannel): void {
    // A gap or an ended subscription: messages were lost; reconcile once it flows again.
    this.awaiting ??= new Set();
    this.awaiting.add(channel);
    if (channel === "trade") this.candles.invalidate();
  }

  private onData(channel: UpstreamChannel, type: string, msg: UpstreamMsg): void {
    if (this.stopped || !this.options.enabled) return;
    if (type === "ticker") {
      const parsed = TickerMsgSchema.safeParse(msg);
      if (!parsed.success) return;
      const tick = parsed.data;
      const held = this.universe.applyTicker(tick);
      this.coalescer.invalidatePrefix(`orderbook ${tick.market_ticker} `);
      this.candles.applyTicker(
        tick.market_ticker,
        {
          bid: canonical(tick.yes_bid_dollars),
          ask: canonical(tick.yes_ask_dollars),
          openInterest: tick.open_interest_fp,
        },
        this.now(),
      );
      if (!held) this.askUnknown(tick.market_ticker);
      return;
    }
    if (type === "trade") {
      const parsed = TradeMsgSchema.safeParse(msg);
      if (!parsed.success) return;
      const trade = parsed.data;
      this.universe.applyTrade(trade);
      const at = trade.ts_ms ?? (trade.ts !== undefined ? trade.ts * 1000 : this.now());
      this.candles.applyTrade(trade.market_ticker, trade.yes_price_dollars, trade.count_fp, at);
      this.coalescer.invalidatePrefix(`trades ${trade.market_ticker} `);
      this.coalescer.invalidatePrefix("trades * ");
      return;
    }
    if (type === "market_lifecycle_v2") {
      const parsed = LifecycleMsgSchema.safeParse(msg);
      if (!parsed.success || isMultivariate(parsed.data.market_ticker)) return;
      const { event_type: eventType, market_ticker: ticker, close_ts: closeTs } = parsed.data;
      if (eventType === "close_date_updated" && closeTs !== undefined)
        this.universe.applyCloseTime(ticker, closeTs);
      this.coalescer.invalidate(`market ${ticker}`);
      if (this.role !== "follower") this.refetcher.market(ticker);
      return;
    }
    if (type === "event_lifecycle") {
      const parsed = EventLifecycleMsgSchema.safeParse(msg);
      if (!parsed.success || isMultivariate(parsed.data.event_ticker)) return;
      if (this.role !== "follower") this.refetcher.event(parsed.data.event_ticker);
    }
    void channel;
  }

  /** A ticker for a market not held: its creation was missed (or it is on its way). */
  private askUnknown(ticker: string): void {
    if (this.state !== "ready" || this.role === "follower" || isMultivariate(ticker)) return;
    const last = this.unknownAsked.get(ticker);
    const now = this.now();
    if (last !== undefined && now - last < this.options.reconcileMs) return;
    this.unknownAsked.set(ticker, now);
    if (this.unknownAsked.size > 10_000) this.unknownAsked.clear();
    this.refetcher.market(ticker);
  }

  /** Markets whose open_time or close_time passed (no message says so): read them again. */
  private sweep(): void {
    if (this.state !== "ready") return;
    const now = this.now();
    for (const [ticker, entry] of this.universe.markets) {
      if (
        !awaitsImplicitTransition(
          { status: entry.market.status, closeMs: entry.closeMs },
          entry.openMs,
          now,
        )
      ) {
        this.transitionAsks.delete(ticker);
        continue;
      }
      const asked = this.transitionAsks.get(ticker);
      if (asked && (now - asked.at < TRANSITION_RETRY_MS || asked.attempts >= TRANSITION_ATTEMPTS))
        continue;
      this.transitionAsks.set(ticker, { at: now, attempts: (asked?.attempts ?? 0) + 1 });
      this.refetcher.market(ticker);
    }
  }

  // ---------------------------------------------------------------- helpers

  private async firstLoad(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt += 1) {
      try {
        await this.reconcile("start");
        this.markReady();
        return;
      } catch (error) {
        this.state = "failed";
        const delay = Math.min(30_000, 1_000 * 2 ** attempt);
        this.log("error", {
          msg: "market-data load failed; reads go upstream until it succeeds",
          error: error instanceof Error ? error.message : String(error),
          retryInMs: delay,
        });
        // Pages stop waiting: they go upstream meanwhile.
        this.resolveReady();
        if (this.role === "follower") return;
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  /** True when reads may be answered from memory (waits a moment for the first load). */
  private async memoryReady(): Promise<boolean> {
    if (!this.options.enabled) return false;
    if (this.state === "ready") return true;
    if (this.state === "failed") return false;
    await Promise.race([
      this.readyPromise,
      new Promise((resolve) => setTimeout(resolve, READY_WAIT_MS).unref()),
    ]);
    return this.isReady;
  }

  private cached<T>(
    key: string,
    ttlMs: number,
    fetch: () => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    return this.coalescer.get(key, ttlMs, () => this.upstream(fetch), signal);
  }

  private upstream<T>(fetch: () => Promise<T>): Promise<T> {
    this.ownCalls += 1;
    return fetch();
  }
}

function isMultivariate(ticker: string): boolean {
  return ticker.startsWith("KXMVE");
}

function canonical(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  return /^\d+(\.\d+)?$/.test(text) ? text : undefined;
}

function invalidCursor(path: string): KalshiError {
  return new KalshiError({
    status: 400,
    code: "invalid_cursor",
    message: "cursor: not a cursor this server handed out (start from the first page)",
    method: "GET",
    path,
    attempts: 0,
  });
}
