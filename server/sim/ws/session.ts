/**
 * One authenticated WebSocket connection: its subscriptions (sids from 1,
 * one seq counter per sid), the four commands, and the routing of exchange
 * events to the connection's subscriptions.
 */
import type { WebSocket } from "ws";
import { formatCount } from "@/lib/fixed-point";
import type { SimEvent } from "@/server/sim/bus";
import type { ApiKeyRecord, MarketRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import {
  eventLifecycleMsg,
  fillMsg,
  isMultivariateTicker,
  marketLifecycleMsg,
  marketPositionMsg,
  orderbookDeltaMsg,
  orderbookSnapshotMsg,
  tickerMsg,
  tradeMsg,
  userOrderMsg,
  type WireMsg,
} from "@/server/sim/ws/messages";
import {
  commandEnvelope,
  isChannel,
  isUpdateAction,
  isUuid,
  MARKET_FILTERED_CHANNELS,
  subscribeParams,
  unsubscribeParams,
  updateSubscriptionParams,
  WS_ERRORS,
  WsCommandError,
  type Channel,
  type MarketSelection,
  type OutboundType,
  type SubscribeParams,
  type UpdateSubscriptionParams,
} from "@/server/sim/ws/protocol";

export interface SessionOptions {
  /** Above this many bytes queued on the socket, a subscription that wants to send is ended with error 25. */
  maxBufferedBytes: number;
}

interface Subscription {
  sid: number;
  channel: Channel;
  /** Every market (no filter given, or a channel without market filters). */
  allMarkets: boolean;
  /** Markets chosen by ticker, in the order they were added. */
  tickers: Set<string>;
  /** Markets chosen by id (ticker channel only). */
  marketIds: Set<string>;
  /** Last seq used on this sid; data messages with seq, `ok` and `unsubscribed` take the next. */
  seq: number;
  useYesPrice: boolean;
  skipTickerAck: boolean;
  /** `communications` sharding: deliver only markets whose hash falls in this shard. */
  shard: { factor: number; key: number } | null;
}

/** The markets a command names, resolved and checked. */
interface ResolvedMarkets {
  tickers: string[];
  marketIds: string[];
}

type Frame = { type: OutboundType } & { [key: string]: unknown };

export class WsSession {
  private readonly subs = new Map<number, Subscription>();
  private lastSid = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly state: SimState,
    readonly user: UserRecord,
    readonly apiKey: ApiKeyRecord,
    private readonly options: SessionOptions,
  ) {}

  // ------------------------------------------------------------- commands

  /** Parses and runs one inbound text frame; every failure becomes an `error` frame. */
  handleFrame(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.sendError(undefined, new WsCommandError(1));
      return;
    }
    const envelope = commandEnvelope.safeParse(json);
    if (!envelope.success) {
      this.sendError(salvageId(json), new WsCommandError(1));
      return;
    }
    // id 0 means "no id" (AsyncAPI commandId).
    const id = envelope.data.id === 0 ? undefined : envelope.data.id;
    const { cmd, params } = envelope.data;
    try {
      switch (cmd) {
        case "subscribe":
          this.subscribe(id, parseParams(subscribeParams, params));
          break;
        case "unsubscribe":
          this.unsubscribe(id, parseParams(unsubscribeParams, params).sids);
          break;
        case "update_subscription":
          this.updateSubscription(id, parseParams(updateSubscriptionParams, params));
          break;
        case "list_subscriptions":
          this.send({
            ...(id === undefined ? {} : { id }),
            type: "ok",
            msg: [...this.subs.values()].map((sub) => ({ channel: sub.channel, sid: sub.sid })),
          });
          break;
        default:
          throw new WsCommandError(5);
      }
    } catch (error) {
      if (error instanceof WsCommandError) {
        this.sendError(id, error);
        return;
      }
      console.error(
        JSON.stringify({
          at: "sim.ws",
          what: "command failed",
          cmd,
          userId: this.user.userId,
          error: String(error),
        }),
      );
      this.sendError(id, new WsCommandError(17));
    }
  }

  private subscribe(id: number | undefined, params: SubscribeParams): void {
    const channels = params.channels;
    if (!channels || channels.length === 0) throw new WsCommandError(3);
    const unique = [...new Set(channels)];
    const unknown = unique.find((name) => !isChannel(name));
    if (unknown !== undefined) throw new WsCommandError(8);
    const wanted = unique as Channel[];

    checkSelectionShape(params);
    const hasTickers =
      params.market_ticker !== undefined || (params.market_tickers?.length ?? 0) > 0;
    const hasIds = params.market_id !== undefined || (params.market_ids?.length ?? 0) > 0;
    for (const channel of wanted) {
      if (channel === "orderbook_delta" && !hasTickers) throw new WsCommandError(14);
      if (hasIds && MARKET_FILTERED_CHANNELS.has(channel) && channel !== "ticker")
        throw new WsCommandError(11);
    }
    // Channels without market filters ignore the market fields, so only check them when one is used.
    const markets = wanted.some((channel) => MARKET_FILTERED_CHANNELS.has(channel))
      ? this.resolveMarkets(params)
      : { tickers: [], marketIds: [] };
    if (wanted.includes("communications")) checkSharding(params);

    // Everything is valid: no channel of a failing command gets subscribed.
    for (const channel of wanted) {
      const filtered = MARKET_FILTERED_CHANNELS.has(channel) && (hasTickers || hasIds);
      const existing = [...this.subs.values()].find((sub) => sub.channel === channel);
      if (existing) {
        this.resubscribe(id, existing, filtered ? markets : null, params);
        continue;
      }
      this.lastSid += 1;
      const sub: Subscription = {
        sid: this.lastSid,
        channel,
        allMarkets: !filtered,
        tickers: new Set(filtered ? markets.tickers : []),
        marketIds: new Set(filtered && channel === "ticker" ? markets.marketIds : []),
        seq: 0,
        useYesPrice: channel === "orderbook_delta" && (params.use_yes_price ?? false),
        skipTickerAck: params.skip_ticker_ack ?? false,
        shard:
          channel === "communications" && params.shard_factor !== undefined
            ? { factor: params.shard_factor, key: params.shard_key ?? 0 }
            : null,
      };
      this.subs.set(sub.sid, sub);
      this.send({
        ...(id === undefined ? {} : { id }),
        type: "subscribed",
        msg: { channel, sid: sub.sid },
      });
      if (channel === "orderbook_delta") this.sendSnapshots(sub, markets.tickers);
      if (channel === "ticker" && params.send_initial_snapshot)
        this.sendTickers(sub, this.marketsOf(markets));
    }
  }

  /**
   * Subscribing again to a channel this connection already holds is
   * idempotent (Kalshi, Oct 2025): new markets join the existing sid, known
   * ones change nothing, and the reply is an `ok` for that sid with the full
   * market list. A filterless subscribe widens the sid to every market.
   * Subscribe-time options of the first subscription (use_yes_price,
   * skip_ticker_ack) are kept.
   */
  private resubscribe(
    id: number | undefined,
    sub: Subscription,
    markets: ResolvedMarkets | null,
    params: SubscribeParams,
  ): void {
    if (markets === null) {
      sub.allMarkets = true;
      this.sendOk(id, sub);
      return;
    }
    const added = this.addMarkets(sub, markets);
    this.sendOk(id, sub);
    if (sub.channel === "orderbook_delta") this.sendSnapshots(sub, added.tickers);
    if (sub.channel === "ticker" && params.send_initial_snapshot)
      this.sendTickers(sub, this.marketsOf(added));
  }

  private unsubscribe(id: number | undefined, sids: number[] | undefined): void {
    if (!sids || sids.length === 0) throw new WsCommandError(4);
    for (const sid of sids) {
      const sub = this.subs.get(sid);
      if (!sub) {
        this.sendError(id, new WsCommandError(7));
        continue;
      }
      this.subs.delete(sid);
      this.send({
        ...(id === undefined ? {} : { id }),
        sid,
        seq: this.nextSeq(sub),
        type: "unsubscribed",
      });
    }
  }

  private updateSubscription(id: number | undefined, params: UpdateSubscriptionParams): void {
    const sid =
      params.sid !== undefined && params.sids === undefined
        ? params.sid
        : params.sid === undefined && params.sids?.length === 1
          ? params.sids[0]
          : undefined;
    if (sid === undefined) throw new WsCommandError(12);
    if (params.action === undefined) throw new WsCommandError(15);
    const sub = this.subs.get(sid);
    if (!sub) throw new WsCommandError(7);
    const action = params.action;
    if (!isUpdateAction(action)) throw new WsCommandError(13);
    if (action === "get_snapshot") {
      if (sub.channel !== "orderbook_delta") throw new WsCommandError(13);
      // get_snapshot takes market_tickers only.
      if (
        params.market_ticker !== undefined ||
        params.market_id !== undefined ||
        params.market_ids !== undefined
      ) {
        throw new WsCommandError(11);
      }
      if (!params.market_tickers || params.market_tickers.length === 0)
        throw new WsCommandError(14);
      const { tickers } = this.resolveMarkets({ market_tickers: params.market_tickers });
      const outside = tickers.find((ticker) => !sub.tickers.has(ticker));
      if (outside !== undefined) throw new WsCommandError(11, { marketTicker: outside });
      this.sendSnapshots(sub, tickers);
      this.sendOk(id, sub);
      return;
    }
    if (!MARKET_FILTERED_CHANNELS.has(sub.channel)) throw new WsCommandError(13);
    checkSelectionShape(params);
    const hasTickers =
      params.market_ticker !== undefined || (params.market_tickers?.length ?? 0) > 0;
    const hasIds = params.market_id !== undefined || (params.market_ids?.length ?? 0) > 0;
    if (!hasTickers && !hasIds) throw new WsCommandError(14);
    if (hasIds && sub.channel !== "ticker") throw new WsCommandError(11);
    const markets = this.resolveMarkets(params);

    if (action === "add_markets") {
      const added = sub.allMarkets ? { tickers: [], marketIds: [] } : this.addMarkets(sub, markets);
      this.sendOk(id, sub);
      if (sub.channel === "orderbook_delta") this.sendSnapshots(sub, added.tickers);
      if (sub.channel === "ticker" && params.send_initial_snapshot)
        this.sendTickers(sub, this.marketsOf(added));
      return;
    }
    // delete_markets: an every-market subscription has no list to remove from.
    if (sub.allMarkets) throw new WsCommandError(11);
    for (const ticker of markets.tickers) sub.tickers.delete(ticker);
    for (const marketId of markets.marketIds) sub.marketIds.delete(marketId);
    this.sendOk(id, sub);
  }

  // ----------------------------------------------------------- data routing

  /** Turns one exchange event into messages for every matching subscription. */
  onEvent(event: SimEvent): void {
    for (const sub of [...this.subs.values()]) {
      if (!this.subs.has(sub.sid)) continue;
      switch (event.kind) {
        case "book_delta": {
          if (sub.channel !== "orderbook_delta" || !sub.tickers.has(event.ticker)) break;
          const market = this.state.market(event.ticker);
          if (!market) break;
          const own = event.order.userId === this.user.userId ? event.order : undefined;
          this.deliver(
            sub,
            "orderbook_delta",
            orderbookDeltaMsg({ ...event, market, ownOrder: own }, sub.useYesPrice),
            true,
          );
          break;
        }
        case "ticker": {
          if (sub.channel !== "ticker") break;
          const market = this.state.market(event.ticker);
          if (!market || !matches(sub, market)) break;
          this.deliver(sub, "ticker", tickerMsg(this.state, market, event.tsMs), false);
          break;
        }
        case "trade":
          if (sub.channel !== "trade" || !this.matchesTicker(sub, event.trade.ticker)) break;
          this.deliver(sub, "trade", tradeMsg(event.trade), false);
          break;
        case "fill":
          if (sub.channel !== "fill" || event.fill.userId !== this.user.userId) break;
          if (!this.matchesTicker(sub, event.fill.ticker)) break;
          this.deliver(
            sub,
            "fill",
            fillMsg(event.fill, this.state.market(event.fill.ticker)),
            false,
          );
          break;
        case "order":
          if (sub.channel !== "user_orders" || event.order.userId !== this.user.userId) break;
          if (!this.matchesTicker(sub, event.order.ticker)) break;
          this.deliver(sub, "user_order", userOrderMsg(event.order), false);
          break;
        case "position":
          if (sub.channel !== "market_positions" || event.position.userId !== this.user.userId)
            break;
          if (!this.matchesTicker(sub, event.position.ticker)) break;
          this.deliver(sub, "market_position", marketPositionMsg(event.position), false);
          break;
        case "market_lifecycle": {
          const channel = isMultivariateTicker(event.ticker)
            ? "multivariate_market_lifecycle"
            : "market_lifecycle_v2";
          if (sub.channel !== channel) break;
          this.deliver(
            sub,
            channel,
            marketLifecycleMsg(this.state, event.ticker, event.eventType),
            false,
          );
          break;
        }
        case "event_lifecycle": {
          const record = this.state.events.get(event.eventTicker);
          if (!record) break;
          const channel = isMultivariateTicker(event.eventTicker)
            ? "multivariate_market_lifecycle"
            : "market_lifecycle_v2";
          if (sub.channel !== channel) break;
          this.deliver(sub, "event_lifecycle", eventLifecycleMsg(this.state, record), false);
          break;
        }
        case "communications": {
          if (sub.channel !== "communications") break;
          if (sub.shard && shardOf(event.marketTicker, sub.shard.factor) !== sub.shard.key) break;
          for (const delivery of event.deliveries) {
            if (delivery.userId !== null && delivery.userId !== this.user.userId) continue;
            this.deliver(sub, event.type, delivery.msg, false);
          }
          break;
        }
        case "order_group": {
          if (sub.channel !== "order_group_updates" || event.userId !== this.user.userId) break;
          this.deliver(
            sub,
            "order_group_updates",
            {
              event_type: event.eventType,
              order_group_id: event.orderGroupId,
              ...(event.contractsLimit === null
                ? {}
                : { contracts_limit_fp: formatCount(event.contractsLimit) }),
              ts_ms: event.tsMs,
            },
            true,
          );
          break;
        }
      }
    }
  }

  /** Current subscriptions, for diagnostics and tests. */
  get subscriptionCount(): number {
    return this.subs.size;
  }

  // -------------------------------------------------------------- internals

  private matchesTicker(sub: Subscription, ticker: string): boolean {
    if (sub.allMarkets || sub.tickers.has(ticker)) return true;
    if (sub.marketIds.size === 0) return false;
    const market = this.state.market(ticker);
    return market !== undefined && sub.marketIds.has(market.marketId);
  }

  /** Adds markets to a filtered subscription; returns the ones that were new. */
  private addMarkets(sub: Subscription, markets: ResolvedMarkets): ResolvedMarkets {
    if (sub.allMarkets) return { tickers: [], marketIds: [] };
    const tickers = markets.tickers.filter((ticker) => !sub.tickers.has(ticker));
    const marketIds = markets.marketIds.filter((marketId) => !sub.marketIds.has(marketId));
    for (const ticker of tickers) sub.tickers.add(ticker);
    for (const marketId of marketIds) sub.marketIds.add(marketId);
    return { tickers, marketIds };
  }

  /** Checks every named market exists (error 16 names the first unknown one). */
  private resolveMarkets(selection: MarketSelection): ResolvedMarkets {
    const tickers = [
      ...(selection.market_ticker !== undefined ? [selection.market_ticker] : []),
      ...(selection.market_tickers ?? []),
    ];
    for (const ticker of tickers) {
      if (!this.state.markets.has(ticker)) throw new WsCommandError(16, { marketTicker: ticker });
    }
    const marketIds = [
      ...(selection.market_id !== undefined ? [selection.market_id] : []),
      ...(selection.market_ids ?? []),
    ];
    if (marketIds.length > 0) {
      const known = new Set([...this.state.markets.values()].map((market) => market.marketId));
      for (const marketId of marketIds) {
        if (!isUuid(marketId)) throw new WsCommandError(11, { marketId });
        if (!known.has(marketId)) throw new WsCommandError(16, { marketId });
      }
    }
    return { tickers: [...new Set(tickers)], marketIds: [...new Set(marketIds)] };
  }

  private marketsOf(markets: ResolvedMarkets): MarketRecord[] {
    const out: MarketRecord[] = [];
    for (const ticker of markets.tickers) {
      const market = this.state.market(ticker);
      if (market) out.push(market);
    }
    if (markets.marketIds.length > 0) {
      const ids = new Set(markets.marketIds);
      for (const market of this.state.markets.values())
        if (ids.has(market.marketId)) out.push(market);
    }
    return out;
  }

  private sendSnapshots(sub: Subscription, tickers: readonly string[]): void {
    for (const ticker of tickers) {
      const market = this.state.market(ticker);
      if (market)
        this.deliver(
          sub,
          "orderbook_snapshot",
          orderbookSnapshotMsg(this.state, market, sub.useYesPrice),
          true,
        );
    }
  }

  private sendTickers(sub: Subscription, markets: readonly MarketRecord[]): void {
    const now = this.state.now();
    for (const market of markets)
      this.deliver(sub, "ticker", tickerMsg(this.state, market, now), false);
  }

  private sendOk(id: number | undefined, sub: Subscription): void {
    const msg: WireMsg = {};
    if (!sub.skipTickerAck && !sub.allMarkets) {
      if (sub.tickers.size > 0 || sub.marketIds.size === 0) msg.market_tickers = [...sub.tickers];
      if (sub.marketIds.size > 0) msg.market_ids = [...sub.marketIds];
    }
    this.send({
      ...(id === undefined ? {} : { id }),
      sid: sub.sid,
      seq: this.nextSeq(sub),
      type: "ok",
      msg,
    });
  }

  private nextSeq(sub: Subscription): number {
    sub.seq += 1;
    return sub.seq;
  }

  /**
   * Sends a data message for `sub`, or ends the subscription with error 25
   * when the socket already holds more than the buffer limit (slow reader).
   */
  private deliver(sub: Subscription, type: OutboundType, msg: WireMsg, withSeq: boolean): void {
    if (this.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.subs.delete(sub.sid);
      // Not tied to a command, so no id; the top-level sid says which subscription ended.
      this.send({ type: "error", sid: sub.sid, msg: { code: 25, msg: WS_ERRORS[25] } });
      return;
    }
    this.send(
      withSeq ? { type, sid: sub.sid, seq: this.nextSeq(sub), msg } : { type, sid: sub.sid, msg },
    );
  }

  private sendError(id: number | undefined, error: WsCommandError): void {
    const msg: WireMsg = { code: error.code, msg: WS_ERRORS[error.code] };
    if (error.detail.marketTicker !== undefined) msg.market_ticker = error.detail.marketTicker;
    if (error.detail.marketId !== undefined) msg.market_id = error.detail.marketId;
    this.send({ ...(id === undefined ? {} : { id }), type: "error", msg });
  }

  private send(frame: Frame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
  }
}

// ------------------------------------------------------------------ helpers

function matches(sub: Subscription, market: MarketRecord): boolean {
  return sub.allMarkets || sub.tickers.has(market.ticker) || sub.marketIds.has(market.marketId);
}

/** The command id of a frame that failed to parse, when the id itself is usable. */
function salvageId(json: unknown): number | undefined {
  if (typeof json !== "object" || json === null || !("id" in json)) return undefined;
  const id = (json as { id: unknown }).id;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Missing params → 2; params of the wrong shape or field types → 1. */
function parseParams<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  params: unknown,
): T {
  if (params === undefined || params === null) throw new WsCommandError(2);
  if (typeof params !== "object" || Array.isArray(params)) throw new WsCommandError(1);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new WsCommandError(1);
  return parsed.data;
}

/** market_ticker and market_tickers (or market_id and market_ids, or tickers and ids) together → 11. */
function checkSelectionShape(selection: MarketSelection): void {
  const tickerForms =
    Number(selection.market_ticker !== undefined) + Number(selection.market_tickers !== undefined);
  const idForms =
    Number(selection.market_id !== undefined) + Number(selection.market_ids !== undefined);
  if (tickerForms > 1 || idForms > 1 || (tickerForms > 0 && idForms > 0))
    throw new WsCommandError(11);
}

/**
 * The shard a market's communications fall in: a stable FNV-1a hash of the
 * ticker modulo the factor (Kalshi says "consistent hashing" without the
 * function, so any stable spread is faithful).
 */
export function shardOf(marketTicker: string, factor: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < marketTicker.length; i += 1) {
    hash ^= marketTicker.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % factor;
}

/** Kalshi's communications sharding checks, codes 19-22. */
function checkSharding(params: SubscribeParams): void {
  const { shard_factor: factor, shard_key: key } = params;
  if (key !== undefined && factor === undefined) throw new WsCommandError(20);
  if (factor === undefined) return;
  if (factor <= 0) throw new WsCommandError(19);
  if (factor > 100) throw new WsCommandError(22);
  if (key !== undefined && (key < 0 || key >= factor)) throw new WsCommandError(21);
}
