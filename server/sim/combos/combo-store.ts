/**
 * The exchange's collections and the combo markets created in them, one
 * store per exchange (a part of its SimState, like the other modules' state).
 * Creating a combo validates every leg first and changes nothing on
 * a refusal; the same legs (in any order) always find the same market.
 */
import { ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import { priceRangesFor } from "@/lib/price-grid";
import { simErrors, SimError } from "@/server/sim/errors";
import type { ComboLeg, CollectionRecord, ComboRecord } from "@/server/sim/combos/combo-model";
import type { Outcome } from "@/server/sim/lifecycle/determination";
import { registerOutcomeSource } from "@/server/sim/lifecycle/outcome-sources";
import type { EventRecord, MarketRecord, SeriesRecord } from "@/server/sim/model";
import { statePart, type SimState } from "@/server/sim/state";

export class ComboStore {
  readonly collections = new Map<string, CollectionRecord>();
  /** Combo market ticker → combo. */
  readonly combos = new Map<string, ComboRecord>();
  /** `${collection}|${canonical legs}` → combo market ticker. */
  private readonly byLegs = new Map<string, string>();

  constructor(private readonly state: SimState) {}

  addCollection(collection: CollectionRecord, series: SeriesRecord): void {
    if (!this.state.series.has(series.ticker)) this.state.series.set(series.ticker, series);
    this.collections.set(collection.collectionTicker, collection);
  }

  /** The collection, or 404 as Kalshi answers an unknown ticker. */
  collection(ticker: string): CollectionRecord {
    const collection = this.collections.get(ticker);
    if (!collection) throw simErrors.notFound(`multivariate event collection ${ticker}`);
    return collection;
  }

  /** unopened, open or closed at `now` (the list endpoint's `status` filter). */
  statusOf(collection: CollectionRecord, now = this.state.now()): "unopened" | "open" | "closed" {
    if (now < collection.openDate) return "unopened";
    return now >= collection.closeDate ? "closed" : "open";
  }

  comboOf(marketTicker: string): ComboRecord | undefined {
    return this.combos.get(marketTicker);
  }

  /**
   * POST /multivariate_event_collections/{ticker}: the combo market for these
   * legs, created on first use. Throws (having changed nothing) on bad legs.
   */
  createOrFind(collectionTicker: string, selected: readonly ComboLeg[]): ComboRecord {
    const collection = this.collection(collectionTicker);
    const legs = this.validateLegs(collection, selected);
    const key = legKey(collection.collectionTicker, legs);
    const now = this.state.now();
    const existing = this.byLegs.get(key);
    if (existing !== undefined) {
      const combo = this.combos.get(existing) as ComboRecord;
      combo.lastQueried = now;
      return combo;
    }
    const combo = this.listCombo(collection, legs, key);
    this.byLegs.set(key, combo.marketTicker);
    this.combos.set(combo.marketTicker, combo);
    return combo;
  }

  /** PUT …/lookup: the combo already created for these legs, or 404. */
  lookup(collectionTicker: string, selected: readonly ComboLeg[]): ComboRecord {
    const collection = this.collection(collectionTicker);
    const legs = canonical(this.shapeLegs(collection, selected));
    const ticker = this.byLegs.get(legKey(collection.collectionTicker, legs));
    if (ticker === undefined) {
      throw simErrors.notFound(
        "market for these selected_markets (create it first with POST /multivariate_event_collections/{collection_ticker})",
      );
    }
    const combo = this.combos.get(ticker) as ComboRecord;
    combo.lastQueried = this.state.now();
    return combo;
  }

  /** GET …/lookup: combos of the collection created or looked up within the last `lookbackMs`. */
  lookupHistory(collectionTicker: string, lookbackMs: number): ComboRecord[] {
    const collection = this.collection(collectionTicker);
    const since = this.state.now() - lookbackMs;
    return [...this.combos.values()]
      .filter((c) => c.collectionTicker === collection.collectionTicker && c.lastQueried >= since)
      .sort((a, b) => b.lastQueried - a.lastQueried);
  }

  /**
   * The combo's fair value: the product of its legs' (latent) probabilities,
   * as if they were independent. Undefined for a market that is no combo.
   */
  fairValue(marketTicker: string): Micros | undefined {
    const combo = this.combos.get(marketTicker);
    if (!combo) return undefined;
    let p = 1;
    for (const leg of combo.legs) {
      const market = this.state.market(leg.marketTicker);
      const yes = market ? market.fairValue / ONE_DOLLAR : 0.5;
      p *= leg.side === "yes" ? yes : 1 - yes;
    }
    return Math.round(p * ONE_DOLLAR);
  }

  /**
   * The combo's outcome from its legs: no as soon as any leg resolved against
   * its side, yes once every leg resolved with it, null while undecided.
   * Undefined for a market that is no combo.
   */
  outcome(marketTicker: string): Outcome | null | undefined {
    const combo = this.combos.get(marketTicker);
    if (!combo) return undefined;
    let undecided = false;
    for (const leg of combo.legs) {
      const won = legResult(this.state.market(leg.marketTicker), leg);
      if (won === false) return { result: "no", settlementValue: 0 };
      if (won === null) undecided = true;
    }
    return undecided ? null : { result: "yes", settlementValue: ONE_DOLLAR };
  }

  /** Checks structure only (sizes, sides, membership); tradability is checked on create. */
  private shapeLegs(collection: CollectionRecord, selected: readonly ComboLeg[]): ComboLeg[] {
    const count = selected.length;
    if (count < collection.sizeMin || count > collection.sizeMax) {
      throw simErrors.invalidParameters(
        `selected_markets: ${collection.collectionTicker} takes ${collection.sizeMin} to ${collection.sizeMax} legs, got ${count}`,
      );
    }
    const seen = new Set<string>();
    const perEvent = new Map<string, number>();
    selected.forEach((leg, i) => {
      const at = `selected_markets[${i}]`;
      const associated = collection.associatedEvents.find((e) => e.ticker === leg.eventTicker);
      if (!associated) {
        throw simErrors.invalidParameters(
          `${at}.event_ticker: ${leg.eventTicker} is not an event of collection ${collection.collectionTicker}`,
        );
      }
      const market = this.state.market(leg.marketTicker);
      if (!market || market.eventTicker !== leg.eventTicker) {
        throw simErrors.invalidParameters(
          `${at}.market_ticker: ${leg.marketTicker} is not a market of event ${leg.eventTicker}`,
        );
      }
      if (market.marketType !== "binary") {
        throw simErrors.invalidParameters(`${at}.market_ticker: only binary markets can be legs`);
      }
      if (associated.isYesOnly && leg.side !== "yes") {
        throw simErrors.invalidParameters(
          `${at}.side: event ${leg.eventTicker} takes only the yes side in this collection`,
        );
      }
      if (seen.has(leg.marketTicker)) {
        throw simErrors.invalidParameters(`${at}: ${leg.marketTicker} is selected twice`);
      }
      seen.add(leg.marketTicker);
      const n = (perEvent.get(leg.eventTicker) ?? 0) + 1;
      perEvent.set(leg.eventTicker, n);
      if (associated.sizeMax !== null && n > associated.sizeMax) {
        throw simErrors.invalidParameters(
          `${at}: at most ${associated.sizeMax} leg(s) from event ${leg.eventTicker}`,
        );
      }
    });
    for (const associated of collection.associatedEvents) {
      const n = perEvent.get(associated.ticker) ?? 0;
      if (associated.sizeMin !== null && n > 0 && n < associated.sizeMin) {
        throw simErrors.invalidParameters(
          `selected_markets: at least ${associated.sizeMin} legs from event ${associated.ticker}`,
        );
      }
    }
    return selected.map((leg) => ({ ...leg }));
  }

  private validateLegs(collection: CollectionRecord, selected: readonly ComboLeg[]): ComboLeg[] {
    const status = this.statusOf(collection);
    if (status !== "open") {
      throw simErrors.invalidParameters(
        `collection ${collection.collectionTicker} is ${status}; combos can be created only while it is open`,
      );
    }
    const legs = canonical(this.shapeLegs(collection, selected));
    const now = this.state.now();
    legs.forEach((leg) => {
      const market = this.state.market(leg.marketTicker) as MarketRecord;
      if (market.status !== "active" || now >= market.closeTime) {
        throw simErrors.marketInactive(market.ticker, market.status);
      }
    });
    return legs;
  }

  /** Lists the combo's event and market on the exchange (state.events/markets). */
  private listCombo(collection: CollectionRecord, legs: ComboLeg[], key: string): ComboRecord {
    const { state } = this;
    const now = state.now();
    const hash = fnv(`${state.seed}|${key}`);
    let eventTicker = `${collection.seriesTicker}-S${hash}`;
    for (let n = 2; state.events.has(eventTicker); n += 1) {
      eventTicker = `${collection.seriesTicker}-S${hash}${n}`;
    }
    const marketTicker = `${eventTicker}-${fnv(key).slice(0, 5)}`;
    const markets = legs.map((leg) => state.market(leg.marketTicker) as MarketRecord);
    const series = state.series.get(collection.seriesTicker);
    if (!series) throw new SimError(500, "internal_server_error", "collection series missing");
    const title = legs
      .map((leg, i) => legLabel(markets[i] as MarketRecord, state.events.get(leg.eventTicker), leg))
      .join(" + ");
    const event: EventRecord = {
      eventTicker,
      seriesTicker: collection.seriesTicker,
      title: collection.title,
      subTitle: title,
      category: series.category,
      mutuallyExclusive: false,
      collateralReturnType: "",
      strikeDate: null,
      strikePeriod: "",
      availableOnBrokers: false,
      marketTickers: [marketTicker],
      imageUrl: "",
      competition: null,
      lastUpdatedTs: now,
    };
    const market: MarketRecord = {
      ticker: marketTicker,
      eventTicker,
      seriesTicker: collection.seriesTicker,
      marketId: state.newId(),
      marketType: "binary",
      title,
      subtitle: "",
      yesSubTitle: title,
      noSubTitle: title,
      rulesPrimary: `If every leg resolves as selected (${title}), then the market resolves to Yes. If any leg resolves otherwise, it resolves to No.`,
      rulesSecondary: "Each leg resolves under the rules of its own market.",
      createdTime: now,
      updatedTime: now,
      openTime: now,
      // Trading stops when the first leg stops trading: later, its outcome would be known.
      closeTime: Math.min(...markets.map((m) => m.closeTime)),
      expectedExpirationTime: Math.max(...markets.map((m) => m.expectedExpirationTime)),
      latestExpirationTime: Math.max(...markets.map((m) => m.latestExpirationTime)),
      settlementTimerSeconds: Math.max(...markets.map((m) => m.settlementTimerSeconds)),
      status: "active",
      result: "",
      settlementValue: null,
      determinationTime: null,
      settlementTime: null,
      canCloseEarly: false,
      strikeType: "custom",
      floorStrike: null,
      capStrike: null,
      priceLevelStructure: "linear_cent",
      priceRanges: priceRangesFor("linear_cent"),
      fairValue: 0,
      lastPrice: null,
      previousPrice: null,
      previousYesBid: null,
      previousYesAsk: null,
      volume: 0,
      dollarVolume: 0,
      openInterest: 0,
      notionalValue: ONE_DOLLAR,
      exchangeIndex: 0,
    };
    const combo: ComboRecord = {
      collectionTicker: collection.collectionTicker,
      eventTicker,
      marketTicker,
      legs,
      createdTime: now,
      lastQueried: now,
    };
    state.events.set(eventTicker, event);
    state.markets.set(marketTicker, market);
    // Registered before the fair value is read (it looks the combo up).
    this.combos.set(marketTicker, combo);
    market.fairValue = this.fairValue(marketTicker) ?? 0;
    state.bus.publish({ kind: "event_lifecycle", eventTicker, tsMs: now });
    state.bus.publish({
      kind: "market_lifecycle",
      ticker: marketTicker,
      eventType: "created",
      tsMs: now,
    });
    return combo;
  }
}

/** Whether the leg came true: true, false, or null while its market is undetermined. */
export function legResult(market: MarketRecord | undefined, leg: ComboLeg): boolean | null {
  if (!market || market.settlementValue === null || market.result === "") return null;
  const yesWon = market.settlementValue >= ONE_DOLLAR / 2;
  return leg.side === "yes" ? yesWon : !yesWon;
}

function canonical(legs: ComboLeg[]): ComboLeg[] {
  return [...legs].sort((a, b) => (a.marketTicker < b.marketTicker ? -1 : 1));
}

function legKey(collectionTicker: string, legs: readonly ComboLeg[]): string {
  return `${collectionTicker}|${legs.map((l) => `${l.marketTicker}:${l.side}`).join(",")}`;
}

function legLabel(market: MarketRecord, event: EventRecord | undefined, leg: ComboLeg): string {
  const what = market.yesSubTitle || market.title;
  const where = event?.title ? `${event.title}: ` : "";
  return leg.side === "yes" ? `${where}${what}` : `${where}not ${what}`;
}

/** 32-bit FNV-1a as 8 upper-case hex digits: short, stable tickers. */
function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

const COMBOS = statePart(
  "combos",
  (state) => {
    // Combos resolve from their legs, never from the seeded draw.
    registerOutcomeSource(comboOutcomeSource);
    return new ComboStore(state);
  },
  { revive: () => registerOutcomeSource(comboOutcomeSource) },
);

/** The state's combo store, created on first use. */
export function comboStore(state: SimState): ComboStore {
  return state.part(COMBOS);
}

function comboOutcomeSource(state: SimState, market: MarketRecord): Outcome | null | undefined {
  return state.existingPart(COMBOS)?.outcome(market.ticker);
}

/** The combo behind a market, if it is one (no store is created for a plain lookup). */
export function comboOf(state: SimState, marketTicker: string): ComboRecord | undefined {
  return state.existingPart(COMBOS)?.comboOf(marketTicker);
}
