/**
 * The RFQ desk: the state machine of getting_started/rfqs.md.
 *
 *   RFQ open ──quote──▶ quote open ──accept (requester)──▶ accepted
 *     accepted ──confirm (maker, within the confirmation window)──▶ confirmed
 *     confirmed ──execution timer──▶ executed (block trade), RFQ closed
 *     accepted ──window lapses──▶ quote cancelled, RFQ stays open
 *
 * Timers run on the exchange clock: `processTimers()` is called by
 * SimExchange.tick() and at the start of every desk operation, so a request
 * always sees the state its timestamp implies, whatever the tick cadence.
 * Nothing is reserved at accept or confirm; each party's cash is checked
 * then (400 INSUFFICIENT_BALANCE) and again at execution, where a shortfall
 * cancels the quote (`insufficient_balance`) and closes the RFQ.
 */
import { complement, ONE_DOLLAR, type Centis, type Micros } from "@/lib/fixed-point";
import { isOnGrid } from "@/lib/price-grid";
import { SimError, simErrors } from "@/server/sim/errors";
import {
  blockTradeShortfall,
  executeBlockTrade,
  type BlockTradeParty,
} from "@/server/sim/engine/block-trade";
import { requireTradableMarket } from "@/server/sim/engine/execution";
import type { MatchingEngine } from "@/server/sim/engine/matching-engine";
import type { MarketRecord, OutcomeSide } from "@/server/sim/model";
import {
  publishQuoteAccepted,
  publishQuoteCreated,
  publishQuoteExecuted,
  publishRfqCreated,
  publishRfqDeleted,
} from "@/server/sim/rfq/communications-messages";
import { rfqErrors } from "@/server/sim/rfq/rfq-errors";
import {
  bidFor,
  contractsFor,
  HVM_TIMING,
  MAX_OPEN_RFQS,
  STANDARD_TIMING,
  type QuoteCancellationReason,
  type QuoteRecord,
  type RfqCancellationReason,
  type RfqRecord,
  type RfqTiming,
} from "@/server/sim/rfq/rfq-model";
import { owns, type Viewer } from "@/server/sim/rfq/serialize-rfq";
import { contractsForBid } from "@/server/sim/rfq/sizing";
import type { SimState } from "@/server/sim/state";

export interface RfqDeskOptions {
  /**
   * How long an open RFQ lives before it expires (the docs name expiry but
   * not its length). Default one hour: long enough to shop it around, short
   * enough that forgotten RFQs do not pile up against the 100-RFQ cap.
   */
  rfqLifetimeMs?: number;
  /** Which markets use the short HVM timers. Default: combo (KXMVE…) markets, as rfqs.md says. */
  isHighVolatility?: (market: MarketRecord) => boolean;
}

export interface CreateRfqInput {
  marketTicker: string;
  contracts: Centis | null;
  targetCost: Micros | null;
  targetCostExcludesFees: boolean;
  restRemainder: boolean;
  replaceExisting: boolean;
  subaccount: number | undefined;
}

export interface CreateQuoteInput {
  rfqId: string;
  yesBid: Micros;
  noBid: Micros;
  restRemainder: boolean;
  postOnly: boolean;
  subaccount: number | undefined;
}

export interface RfqFilter {
  status?: "open" | "closed";
  marketTicker?: string;
  eventTicker?: string;
  /** Only the viewer's own RFQs. */
  self?: boolean;
  creatorUserId?: string;
  /** Only the viewer's RFQs of this subaccount. */
  subaccount?: number;
}

export interface QuoteFilter {
  status?: string;
  rfqId?: string;
  /** Quotes the viewer made. */
  self?: boolean;
  /** Quotes on RFQs the viewer made. */
  rfqSelf?: boolean;
  quoteCreatorUserId?: string;
  rfqCreatorUserId?: string;
  /** updated_ts bounds, epoch ms. */
  minUpdated?: number;
  maxUpdated?: number;
}

const ONE_HOUR_MS = 3_600_000;

/** Combo markets are HVMs (rfqs.md); the simulator names them like Kalshi, KXMVE…. */
function isComboMarket(market: MarketRecord): boolean {
  return market.ticker.startsWith("KXMVE");
}

/** What a snapshot keeps of the desk. */
export interface RfqDeskState {
  rfqs: Map<string, RfqRecord>;
  quotes: Map<string, QuoteRecord>;
  pending: Set<QuoteRecord>;
}

export class RfqDesk {
  readonly rfqs = new Map<string, RfqRecord>();
  readonly quotes = new Map<string, QuoteRecord>();
  /** Accepted or confirmed quotes: the only ones with a running timer. */
  private readonly pending = new Set<QuoteRecord>();
  private readonly options: Required<RfqDeskOptions>;

  constructor(
    private readonly state: SimState,
    private readonly engine: MatchingEngine,
    options: RfqDeskOptions = {},
  ) {
    this.options = {
      rfqLifetimeMs: options.rfqLifetimeMs ?? ONE_HOUR_MS,
      isHighVolatility: options.isHighVolatility ?? isComboMarket,
    };
  }

  /** The desk's records, for a snapshot (options are configuration, not state). */
  exportState(): RfqDeskState {
    return { rfqs: this.rfqs, quotes: this.quotes, pending: this.pending };
  }

  /** Takes the records `exportState` gave (restored from a snapshot). */
  importState(saved: RfqDeskState): void {
    this.rfqs.clear();
    this.quotes.clear();
    this.pending.clear();
    for (const [id, rfq] of saved.rfqs) this.rfqs.set(id, rfq);
    for (const [id, quote] of saved.quotes) this.quotes.set(id, quote);
    for (const quote of saved.pending) this.pending.add(quote);
  }

  /** Changes desk options after construction (tests, start-up configuration). */
  configure(options: RfqDeskOptions): void {
    if (options.rfqLifetimeMs !== undefined) this.options.rfqLifetimeMs = options.rfqLifetimeMs;
    if (options.isHighVolatility !== undefined)
      this.options.isHighVolatility = options.isHighVolatility;
  }

  /** Confirmation window and execution timer for a market. */
  timingFor(ticker: string): RfqTiming {
    const market = this.state.market(ticker);
    return market && this.options.isHighVolatility(market) ? HVM_TIMING : STANDARD_TIMING;
  }

  // ------------------------------------------------------------------ RFQs

  /** POST /communications/rfqs */
  createRfq(viewer: Viewer, input: CreateRfqInput): RfqRecord {
    this.processTimers();
    const subaccount = this.resolveSubaccount(viewer, input.subaccount);
    if ((input.contracts === null) === (input.targetCost === null)) {
      throw simErrors.invalidParameters(
        "give exactly one of contracts_fp (or contracts) and target_cost_dollars",
      );
    }
    if (input.contracts !== null && input.contracts < 1) {
      throw simErrors.invalidParameters("contracts_fp: must be at least 0.01 contracts");
    }
    if (input.targetCost !== null && input.targetCost <= 0) {
      throw simErrors.invalidParameters("target_cost_dollars: must be more than $0");
    }
    if (input.targetCostExcludesFees && input.targetCost === null) {
      throw simErrors.invalidParameters(
        "target_cost_excludes_fees: only valid together with a target cost",
      );
    }
    const market = requireTradableMarket(this.state, input.marketTicker);

    const existing = this.openRfqsOf(viewer.userId).filter((r) => r.marketTicker === market.ticker);
    if (existing.length > 0) {
      if (!input.replaceExisting) throw rfqErrors.openRfqExists(market.ticker);
      // A confirmed quote binds both parties: such an RFQ cannot be replaced.
      if (existing.some((r) => this.hasConfirmedQuote(r)))
        throw rfqErrors.openRfqExists(market.ticker);
    }
    const openAfterReplace = this.openRfqsOf(viewer.userId).length - existing.length;
    if (openAfterReplace >= MAX_OPEN_RFQS) throw rfqErrors.tooManyOpen(MAX_OPEN_RFQS);
    for (const old of existing) this.closeRfq(old, "replaced");

    const now = this.state.now();
    const rfq: RfqRecord = {
      id: this.state.newId(),
      userId: viewer.userId,
      subaccount,
      marketTicker: market.ticker,
      eventTicker: market.eventTicker,
      contracts: input.contracts,
      targetCost: input.targetCost,
      targetCostExcludesFees: input.targetCostExcludesFees,
      restRemainder: input.restRemainder,
      status: "open",
      cancellationReason: null,
      createdTime: now,
      updatedTime: now,
      cancelledTime: null,
      expiresTime: now + this.options.rfqLifetimeMs,
    };
    this.rfqs.set(rfq.id, rfq);
    publishRfqCreated(this.state, rfq);
    return rfq;
  }

  /** DELETE /communications/rfqs/{rfq_id} */
  deleteRfq(viewer: Viewer, rfqId: string): RfqRecord {
    this.processTimers();
    const rfq = this.rfqs.get(rfqId);
    if (!rfq || !owns(viewer, rfq.userId, rfq.subaccount)) throw rfqErrors.rfqNotFound(rfqId);
    if (rfq.status === "closed") throw rfqErrors.rfqClosed(rfq.id, this.closedWhy(rfq));
    if (this.hasConfirmedQuote(rfq)) {
      throw simErrors.invalidParameters(
        `RFQ ${rfqId} has a confirmed quote awaiting execution; neither party can withdraw`,
      );
    }
    this.closeRfq(rfq, "deleted");
    return rfq;
  }

  /** GET /communications/rfqs/{rfq_id}: RFQs are public (they are broadcast to every maker). */
  getRfq(rfqId: string): RfqRecord {
    this.processTimers();
    const rfq = this.rfqs.get(rfqId);
    if (!rfq) throw rfqErrors.rfqNotFound(rfqId);
    return rfq;
  }

  /** GET /communications/rfqs, newest first. */
  listRfqs(viewer: Viewer, filter: RfqFilter): RfqRecord[] {
    this.processTimers();
    const out: RfqRecord[] = [];
    for (const rfq of this.rfqs.values()) {
      if (filter.status !== undefined && rfq.status !== filter.status) continue;
      if (filter.marketTicker !== undefined && rfq.marketTicker !== filter.marketTicker) continue;
      if (filter.eventTicker !== undefined && rfq.eventTicker !== filter.eventTicker) continue;
      if (filter.self && !owns(viewer, rfq.userId, rfq.subaccount)) continue;
      if (filter.creatorUserId !== undefined && rfq.userId !== filter.creatorUserId) continue;
      if (
        filter.subaccount !== undefined &&
        (!owns(viewer, rfq.userId, rfq.subaccount) || rfq.subaccount !== filter.subaccount)
      ) {
        continue;
      }
      out.push(rfq);
    }
    return out.reverse();
  }

  // ---------------------------------------------------------------- quotes

  /** POST /communications/quotes */
  createQuote(viewer: Viewer, input: CreateQuoteInput): QuoteRecord {
    this.processTimers();
    const subaccount = this.resolveSubaccount(viewer, input.subaccount);
    const rfq = this.rfqs.get(input.rfqId);
    if (!rfq) throw rfqErrors.rfqNotFound(input.rfqId);
    if (rfq.status === "closed") throw rfqErrors.rfqClosed(rfq.id, this.closedWhy(rfq));
    if (rfq.userId === viewer.userId)
      throw simErrors.invalidParameters("rfq_id: you cannot quote your own RFQ");
    const market = requireTradableMarket(this.state, rfq.marketTicker);
    if (input.yesBid === 0 && input.noBid === 0) {
      throw simErrors.invalidParameters(
        'yes_bid and no_bid: at most one side may be "0" (declined)',
      );
    }
    for (const [field, bid] of [
      ["yes_bid", input.yesBid],
      ["no_bid", input.noBid],
    ] as const) {
      if (bid !== 0 && !isOnGrid(bid, market.priceRanges)) {
        throw simErrors.invalidParameters(
          `${field}: not on ${market.ticker}'s price grid (${market.priceLevelStructure}; see the market's price_ranges)`,
        );
      }
    }
    if (input.yesBid + input.noBid > ONE_DOLLAR) {
      throw simErrors.invalidParameters("yes_bid + no_bid must not exceed $1");
    }
    const series = this.state.series.get(market.seriesTicker);
    const yesContracts = contractsForBid(rfq, series, input.yesBid);
    const noContracts = contractsForBid(rfq, series, input.noBid);
    if (yesContracts === 0 && noContracts === 0) {
      throw simErrors.invalidParameters(
        "the RFQ's target cost buys less than 0.01 contracts at these prices",
      );
    }
    const previous = [...this.quotesOf(rfq)].find(
      (q) => q.userId === viewer.userId && q.status !== "cancelled",
    );
    if (previous && previous.status !== "open") {
      throw simErrors.invalidParameters(
        `your quote ${previous.id} on this RFQ is ${previous.status}; it can no longer be replaced`,
      );
    }
    if (previous) this.cancelQuote(previous, "replaced");

    const now = this.state.now();
    const quote: QuoteRecord = {
      id: this.state.newId(),
      rfqId: rfq.id,
      userId: viewer.userId,
      subaccount,
      marketTicker: rfq.marketTicker,
      yesBid: input.yesBid,
      noBid: input.noBid,
      yesContracts,
      noContracts,
      restRemainder: input.restRemainder,
      postOnly: input.postOnly,
      status: "open",
      acceptedSide: null,
      cancellationReason: null,
      createdTime: now,
      updatedTime: now,
      acceptedTime: null,
      confirmedTime: null,
      executedTime: null,
      cancelledTime: null,
      rfqCreatorOrderId: null,
      rfqCreatorClientOrderId: null,
      creatorOrderId: null,
      creatorClientOrderId: null,
    };
    this.quotes.set(quote.id, quote);
    publishQuoteCreated(this.state, quote, rfq);
    return quote;
  }

  /** DELETE /communications/quotes/{quote_id} (and the RFQ-scoped path): the maker withdraws before confirming. */
  deleteQuote(viewer: Viewer, quoteId: string, rfqId?: string): QuoteRecord {
    this.processTimers();
    const quote = this.visibleQuote(viewer, quoteId, rfqId);
    if (!owns(viewer, quote.userId, quote.subaccount)) throw rfqErrors.quoteNotFound(quoteId);
    if (quote.status !== "open" && quote.status !== "accepted") {
      throw simErrors.invalidParameters(
        quote.status === "confirmed"
          ? `quote ${quoteId} is confirmed; neither party can withdraw`
          : `quote ${quoteId} is already ${quote.status}`,
      );
    }
    this.cancelQuote(quote, "deleted");
    return quote;
  }

  /** A quote the viewer is a party to, with its RFQ; 404 for anyone else. */
  getQuote(
    viewer: Viewer,
    quoteId: string,
    rfqId?: string,
  ): { quote: QuoteRecord; rfq: RfqRecord } {
    this.processTimers();
    const quote = this.visibleQuote(viewer, quoteId, rfqId);
    return { quote, rfq: this.rfqOf(quote) };
  }

  /** GET /communications/quotes: quotes the viewer made or received, newest first. */
  listQuotes(viewer: Viewer, filter: QuoteFilter): Array<{ quote: QuoteRecord; rfq: RfqRecord }> {
    this.processTimers();
    const out: Array<{ quote: QuoteRecord; rfq: RfqRecord }> = [];
    for (const quote of this.quotes.values()) {
      const rfq = this.rfqOf(quote);
      const isMaker = owns(viewer, quote.userId, quote.subaccount);
      const isRequester = owns(viewer, rfq.userId, rfq.subaccount);
      if (!isMaker && !isRequester) continue;
      if (filter.self && !isMaker) continue;
      if (filter.rfqSelf && !isRequester) continue;
      if (filter.status !== undefined && quote.status !== filter.status) continue;
      if (filter.rfqId !== undefined && quote.rfqId !== filter.rfqId) continue;
      if (filter.quoteCreatorUserId !== undefined && quote.userId !== filter.quoteCreatorUserId)
        continue;
      if (filter.rfqCreatorUserId !== undefined && rfq.userId !== filter.rfqCreatorUserId) continue;
      if (filter.minUpdated !== undefined && quote.updatedTime < filter.minUpdated) continue;
      if (filter.maxUpdated !== undefined && quote.updatedTime > filter.maxUpdated) continue;
      out.push({ quote, rfq });
    }
    return out.reverse();
  }

  /** PUT …/accept: the requester takes one side of a quote; the maker must then confirm. */
  acceptQuote(viewer: Viewer, quoteId: string, side: OutcomeSide, rfqId?: string): QuoteRecord {
    this.processTimers();
    const quote = this.visibleQuote(viewer, quoteId, rfqId);
    const rfq = this.rfqOf(quote);
    if (!owns(viewer, rfq.userId, rfq.subaccount)) throw rfqErrors.quoteNotFound(quoteId);
    if (rfq.status === "closed") throw rfqErrors.rfqClosed(rfq.id, this.closedWhy(rfq));
    if (quote.status !== "open") {
      throw simErrors.invalidParameters(
        `quote ${quoteId} is ${quote.status} and cannot be accepted`,
      );
    }
    const busy = [...this.quotesOf(rfq)].find(
      (q) => q.status === "accepted" || q.status === "confirmed",
    );
    if (busy) {
      throw simErrors.invalidParameters(
        `RFQ ${rfq.id} already has quote ${busy.id} ${busy.status}`,
      );
    }
    const count = contractsFor(quote, side);
    if (bidFor(quote, side) === 0 || count === 0) {
      throw simErrors.invalidParameters(`accepted_side: the quote declines the ${side} side`);
    }
    requireTradableMarket(this.state, rfq.marketTicker);
    const { requester, price } = this.partiesOf(quote, rfq, side);
    this.requireFunds(requester, rfq.marketTicker, price, count, "taker");

    const now = this.state.now();
    quote.status = "accepted";
    quote.acceptedSide = side;
    quote.acceptedTime = now;
    quote.updatedTime = now;
    rfq.updatedTime = now;
    this.pending.add(quote);
    publishQuoteAccepted(this.state, quote, rfq);
    return quote;
  }

  /** PUT …/confirm: the maker locks the trade within the confirmation window; execution follows the timer. */
  confirmQuote(viewer: Viewer, quoteId: string, rfqId?: string): QuoteRecord {
    this.processTimers();
    const quote = this.visibleQuote(viewer, quoteId, rfqId);
    if (!owns(viewer, quote.userId, quote.subaccount)) throw rfqErrors.quoteNotFound(quoteId);
    const rfq = this.rfqOf(quote);
    if (quote.status !== "accepted") {
      if (quote.cancellationReason === "confirmation_timeout") {
        throw simErrors.invalidParameters(
          `quote ${quoteId}: the confirmation window lapsed and the quote was cancelled`,
        );
      }
      if (rfq.status === "closed" && quote.status === "cancelled") {
        throw rfqErrors.rfqClosed(rfq.id, this.closedWhy(rfq));
      }
      throw simErrors.invalidParameters(
        `quote ${quoteId} is ${quote.status}; only an accepted quote can be confirmed`,
      );
    }
    const side = quote.acceptedSide ?? "yes";
    const { maker, price } = this.partiesOf(quote, rfq, side);
    this.requireFunds(maker, rfq.marketTicker, price, contractsFor(quote, side), "maker");
    const now = this.state.now();
    quote.status = "confirmed";
    quote.confirmedTime = now;
    quote.updatedTime = now;
    return quote;
  }

  // ---------------------------------------------------------------- timers

  /** Lapses confirmation windows, executes confirmed quotes whose timer ran out, expires RFQs. */
  processTimers(): void {
    const now = this.state.now();
    for (const quote of [...this.pending]) {
      const timing = this.timingFor(quote.marketTicker);
      if (quote.status === "accepted" && quote.acceptedTime !== null) {
        if (now >= quote.acceptedTime + timing.confirmationWindowMs)
          this.cancelQuote(quote, "confirmation_timeout");
      } else if (quote.status === "confirmed" && quote.confirmedTime !== null) {
        if (now >= quote.confirmedTime + timing.executionTimerMs) this.execute(quote);
      } else {
        this.pending.delete(quote);
      }
    }
    for (const rfq of this.rfqs.values()) {
      if (rfq.status !== "open") continue;
      const market = this.state.market(rfq.marketTicker);
      if (!market || market.status !== "active" || now >= market.closeTime) {
        this.closeRfq(rfq, "market_closed", true);
      } else if (now >= rfq.expiresTime && !this.hasConfirmedQuote(rfq)) {
        // A confirmed quote is binding: the RFQ lives until it executes.
        this.closeRfq(rfq, "expired");
      }
    }
  }

  // ------------------------------------------------------------- internals

  private execute(quote: QuoteRecord): void {
    const rfq = this.rfqOf(quote);
    const market = this.state.market(rfq.marketTicker);
    const { flags } = this.state;
    // During a pause nothing trades; the execution waits for trading to resume.
    if (!flags.exchangeActive || !flags.tradingActive) return;
    if (!market || market.status !== "active" || this.state.now() >= market.closeTime) {
      this.closeRfq(rfq, "market_closed", true);
      return;
    }
    const side = quote.acceptedSide ?? "yes";
    const count = contractsFor(quote, side);
    const { requester, maker, price } = this.partiesOf(quote, rfq, side);
    const requesterShort =
      blockTradeShortfall(this.state, requester, rfq.marketTicker, price, count, "taker") > 0;
    const makerShort =
      blockTradeShortfall(this.state, maker, rfq.marketTicker, price, count, "maker") > 0;
    const now = this.state.now();

    if (requesterShort || makerShort) {
      this.cancelQuote(quote, "insufficient_balance");
      this.closeRfq(rfq, "insufficient_balance");
      // The side that could pay enters its order on the book when it asked to rest the remainder.
      if (!requesterShort && rfq.restRemainder)
        this.rest(requester, rfq.marketTicker, price, count, false);
      if (!makerShort && quote.restRemainder)
        this.rest(maker, rfq.marketTicker, price, count, quote.postOnly);
      return;
    }

    const result = executeBlockTrade(this.state, {
      ticker: rfq.marketTicker,
      price,
      count,
      taker: requester,
      maker,
    });
    quote.status = "executed";
    quote.executedTime = now;
    quote.updatedTime = now;
    quote.rfqCreatorOrderId = result.takerOrder.orderId;
    quote.rfqCreatorClientOrderId = result.takerOrder.clientOrderId;
    quote.creatorOrderId = result.makerOrder.orderId;
    quote.creatorClientOrderId = result.makerOrder.clientOrderId;
    this.pending.delete(quote);
    publishQuoteExecuted(this.state, quote, rfq);
    rfq.status = "closed";
    rfq.updatedTime = now;
    for (const other of this.quotesOf(rfq)) {
      if (other !== quote && (other.status === "open" || other.status === "accepted")) {
        this.cancelQuote(other, "rfq_closed");
      }
    }
    publishRfqDeleted(this.state, rfq);
  }

  /** Places a resting remainder order; a rejection (post-only cross, pause) just means nothing rests. */
  private rest(
    party: BlockTradeParty,
    ticker: string,
    price: Micros,
    count: Centis,
    postOnly: boolean,
  ): void {
    try {
      this.engine.placeOrder({
        userId: party.userId,
        subaccount: party.subaccount,
        ticker,
        side: party.side,
        price,
        count,
        timeInForce: "good_till_canceled",
        postOnly,
      });
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      console.error(
        JSON.stringify({
          at: "sim.rfq",
          what: "remainder not rested",
          ticker,
          userId: party.userId,
          code: error.code,
        }),
      );
    }
  }

  /**
   * Who trades what: accepting `side` hits the maker's bid on that side, so
   * the maker buys that outcome at the bid and the requester the other
   * outcome at $1 − bid. `price` is the trade's YES price.
   */
  private partiesOf(
    quote: QuoteRecord,
    rfq: RfqRecord,
    side: OutcomeSide,
  ): { requester: BlockTradeParty; maker: BlockTradeParty; price: Micros } {
    const bid = bidFor(quote, side);
    const makerSide = side === "yes" ? "bid" : "ask";
    return {
      price: side === "yes" ? bid : complement(bid),
      maker: { userId: quote.userId, subaccount: quote.subaccount, side: makerSide },
      requester: {
        userId: rfq.userId,
        subaccount: rfq.subaccount,
        side: makerSide === "bid" ? "ask" : "bid",
      },
    };
  }

  private requireFunds(
    party: BlockTradeParty,
    ticker: string,
    price: Micros,
    count: Centis,
    role: "taker" | "maker",
  ): void {
    const short = blockTradeShortfall(this.state, party, ticker, price, count, role);
    if (short > 0) {
      const user = this.state.users.get(party.userId);
      const available = user ? this.state.balance(user, party.subaccount) : 0;
      throw rfqErrors.insufficientBalance(available + short, available);
    }
  }

  private closeRfq(rfq: RfqRecord, reason: RfqCancellationReason, includeConfirmed = false): void {
    const now = this.state.now();
    rfq.status = "closed";
    rfq.cancellationReason = reason;
    rfq.cancelledTime = now;
    rfq.updatedTime = now;
    for (const quote of this.quotesOf(rfq)) {
      const live = quote.status === "open" || quote.status === "accepted";
      if (live || (includeConfirmed && quote.status === "confirmed"))
        this.cancelQuote(quote, "rfq_closed");
    }
    publishRfqDeleted(this.state, rfq);
  }

  private cancelQuote(quote: QuoteRecord, reason: QuoteCancellationReason): void {
    const now = this.state.now();
    quote.status = "cancelled";
    quote.cancellationReason = reason;
    quote.cancelledTime = now;
    quote.updatedTime = now;
    this.pending.delete(quote);
  }

  private *quotesOf(rfq: RfqRecord): Generator<QuoteRecord> {
    for (const quote of this.quotes.values()) if (quote.rfqId === rfq.id) yield quote;
  }

  private hasConfirmedQuote(rfq: RfqRecord): boolean {
    for (const quote of this.quotesOf(rfq)) if (quote.status === "confirmed") return true;
    return false;
  }

  private openRfqsOf(userId: string): RfqRecord[] {
    return [...this.rfqs.values()].filter((r) => r.userId === userId && r.status === "open");
  }

  private closedWhy(rfq: RfqRecord): string {
    return rfq.cancellationReason ?? "executed";
  }

  private rfqOf(quote: QuoteRecord): RfqRecord {
    const rfq = this.rfqs.get(quote.rfqId);
    if (!rfq) throw new SimError(500, "internal_server_error", `quote ${quote.id} has no RFQ`);
    return rfq;
  }

  /** The quote when the viewer is its maker or its RFQ's creator (and it belongs to `rfqId` when given). */
  private visibleQuote(viewer: Viewer, quoteId: string, rfqId?: string): QuoteRecord {
    const quote = this.quotes.get(quoteId);
    if (!quote || (rfqId !== undefined && quote.rfqId !== rfqId))
      throw rfqErrors.quoteNotFound(quoteId);
    const rfq = this.rfqOf(quote);
    // Quotes are private between the two parties: anyone else is told it does not exist.
    if (
      !owns(viewer, quote.userId, quote.subaccount) &&
      !owns(viewer, rfq.userId, rfq.subaccount)
    ) {
      throw rfqErrors.quoteNotFound(quoteId);
    }
    return quote;
  }

  /** The subaccount to act in: a restricted key's own, else the requested one (default primary), which must exist. */
  private resolveSubaccount(viewer: Viewer, requested: number | undefined): number {
    if (viewer.lockedSubaccount !== null) {
      if (requested !== undefined && requested !== viewer.lockedSubaccount) {
        throw simErrors.forbidden(
          `this API key is restricted to subaccount ${viewer.lockedSubaccount}`,
        );
      }
      return viewer.lockedSubaccount;
    }
    const subaccount = requested ?? 0;
    const user = this.state.users.get(viewer.userId);
    if (!user) throw simErrors.unauthorized("unknown user");
    if (subaccount > user.subaccountCount) {
      throw simErrors.invalidParameters(`subaccount: subaccount ${subaccount} does not exist`);
    }
    return subaccount;
  }
}
