/**
 * Turns the seed catalog's plain descriptions (series, events, markets with
 * a probability and a lifecycle stage) into the exchange's records, and
 * remembers for each market how its history should be backfilled.
 */
import { ONE_DOLLAR } from "@/lib/fixed-point";
import type { FeeType } from "@/lib/fees";
import { priceRangesFor, type PriceLevelStructure } from "@/lib/price-grid";
import {
  setEventExtras,
  setMarketExtras,
  setSeriesExtras,
} from "@/server/sim/market-data/reference-extras";
import type { EventRecord, MarketRecord, SeriesRecord, StrikeType } from "@/server/sim/model";
import { probabilityToPrice } from "@/server/sim/seed/probability";
import type { SimState } from "@/server/sim/state";

/** Where a seeded event is in its life when the exchange starts. */
export type SeedLifecycle = "initialized" | "active" | "closed" | "determined" | "finalized";

export interface SeriesSpec {
  ticker: string;
  title: string;
  category: string;
  tags: string[];
  frequency: string;
  feeType: FeeType;
  feeMultiplier: number;
  settlementSources: { name: string; url: string }[];
  additionalProhibitions?: string[];
  productMetadata?: Record<string, unknown>;
}

export interface MarketSpec {
  /** Ticker suffix after the event ticker: "B84.5" → "KXHIGHNY-25AUG21-B84.5". */
  suffix: string;
  title: string;
  yesSubTitle: string;
  /** Defaults to yesSubTitle, as Kalshi does for most markets. */
  noSubTitle?: string;
  rulesPrimary: string;
  rulesSecondary: string;
  strikeType: StrikeType;
  floorStrike?: number | null;
  capStrike?: number | null;
  /**
   * Current chance of YES. For active markets the fair value; for closed
   * markets the level their history converges to.
   */
  probability: number;
  /** Outcome, for determined and finalized events. */
  result?: "yes" | "no";
  colorCode?: string;
}

export interface HistoryPlan {
  /** Average time between historical trades. */
  meanGapMs: number;
  /** Standard deviation of the log-odds walk per √hour. */
  volatility: number;
}

export interface EventSpec {
  series: SeriesRecord;
  eventTicker: string;
  title: string;
  subTitle: string;
  mutuallyExclusive: boolean;
  strikeDate: number | null;
  strikePeriod?: string;
  lifecycle: SeedLifecycle;
  createdTime: number;
  openTime: number;
  closeTime: number;
  expectedExpirationTime: number;
  latestExpirationTime: number;
  /** When the result became known (determined and finalized events). */
  determinationTime?: number;
  settlementTimerSeconds: number;
  canCloseEarly: boolean;
  earlyCloseCondition?: string;
  priceLevelStructure: PriceLevelStructure;
  competition?: string;
  competitionScope?: string;
  /** The observed outcome ("87", "0.3"...), for determined and finalized events. */
  expirationValue?: string;
  occurrenceTime?: number;
  /** How to backfill trades; null for events without history (not yet open). */
  history: HistoryPlan | null;
  markets: MarketSpec[];
}

/** A market that gets seeded history, and where its prices must end up. */
export interface BackfillPlan {
  market: MarketRecord;
  startMs: number;
  endMs: number;
  /** Probability the walk ends on (the current fair value, or the settled outcome's level). */
  targetProbability: number;
  meanGapMs: number;
  volatility: number;
}

const CONTRACT_BASE = "https://sim.kalshi-dashboard.local/contracts";

export function addSeries(state: SimState, spec: SeriesSpec, updatedMs: number): SeriesRecord {
  const series: SeriesRecord = {
    ticker: spec.ticker,
    title: spec.title,
    category: spec.category,
    tags: spec.tags,
    frequency: spec.frequency,
    feeType: spec.feeType,
    feeMultiplier: spec.feeMultiplier,
    settlementSources: spec.settlementSources,
    contractUrl: `${CONTRACT_BASE}/${spec.ticker}.pdf`,
    contractTermsUrl: `${CONTRACT_BASE}/${spec.ticker}-terms.pdf`,
    additionalProhibitions: spec.additionalProhibitions ?? [],
    productMetadata: spec.productMetadata,
  };
  state.series.set(series.ticker, series);
  setSeriesExtras(state, series.ticker, { lastUpdatedTs: updatedMs });
  return series;
}

/** How long before the end of a market's history the backfill starts. */
const HISTORY_SPAN_MS = 3.25 * 86_400_000;

export function addEvent(state: SimState, spec: EventSpec, plans: BackfillPlan[]): EventRecord {
  const now = state.now();
  const event: EventRecord = {
    eventTicker: spec.eventTicker,
    seriesTicker: spec.series.ticker,
    title: spec.title,
    subTitle: spec.subTitle,
    category: spec.series.category,
    mutuallyExclusive: spec.mutuallyExclusive,
    collateralReturnType: spec.mutuallyExclusive ? "MECNET" : "",
    strikeDate: spec.strikeDate,
    strikePeriod: spec.strikePeriod ?? "",
    availableOnBrokers: false,
    marketTickers: [],
    imageUrl: `/images/series/${spec.series.ticker}.webp`,
    competition: spec.competition ?? null,
    lastUpdatedTs: spec.createdTime,
  };
  state.events.set(event.eventTicker, event);
  if (spec.competitionScope !== undefined) {
    setEventExtras(state, event.eventTicker, { competitionScope: spec.competitionScope });
  }

  const ranges = priceRangesFor(spec.priceLevelStructure);
  const settled = spec.lifecycle === "determined" || spec.lifecycle === "finalized";
  const determinationTime = settled ? (spec.determinationTime ?? spec.closeTime) : null;
  const settlementTime =
    spec.lifecycle === "finalized" && determinationTime !== null
      ? determinationTime + spec.settlementTimerSeconds * 1000
      : null;
  const lastChange = Math.min(now, settlementTime ?? determinationTime ?? spec.createdTime);

  for (const m of spec.markets) {
    const ticker = `${spec.eventTicker}-${m.suffix}`;
    const result = settled ? (m.result ?? "no") : "";
    const fair = probabilityToPrice(m.probability, ranges);
    const market: MarketRecord = {
      ticker,
      eventTicker: event.eventTicker,
      seriesTicker: spec.series.ticker,
      marketId: state.newId(),
      marketType: "binary",
      title: m.title,
      subtitle: "",
      yesSubTitle: m.yesSubTitle,
      noSubTitle: m.noSubTitle ?? m.yesSubTitle,
      rulesPrimary: m.rulesPrimary,
      rulesSecondary: m.rulesSecondary,
      createdTime: spec.createdTime,
      updatedTime: lastChange,
      openTime: spec.openTime,
      closeTime: spec.closeTime,
      expectedExpirationTime: spec.expectedExpirationTime,
      latestExpirationTime: spec.latestExpirationTime,
      settlementTimerSeconds: spec.settlementTimerSeconds,
      status: spec.lifecycle,
      result,
      settlementValue: result === "" ? null : result === "yes" ? ONE_DOLLAR : 0,
      determinationTime,
      settlementTime,
      ...(settled && spec.expirationValue !== undefined
        ? { expirationValue: spec.expirationValue }
        : {}),
      canCloseEarly: spec.canCloseEarly,
      strikeType: m.strikeType,
      floorStrike: m.floorStrike ?? null,
      capStrike: m.capStrike ?? null,
      priceLevelStructure: spec.priceLevelStructure,
      priceRanges: ranges,
      fairValue: fair,
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
    state.markets.set(ticker, market);
    event.marketTickers.push(ticker);
    setMarketExtras(state, ticker, {
      colorCode: m.colorCode,
      ...(spec.earlyCloseCondition !== undefined
        ? { earlyCloseCondition: spec.earlyCloseCondition }
        : {}),
      ...(settled && spec.occurrenceTime !== undefined
        ? { occurrenceTime: spec.occurrenceTime }
        : {}),
    });

    if (spec.history && spec.lifecycle !== "initialized") {
      const endMs = spec.lifecycle === "active" ? now : Math.min(spec.closeTime, now);
      const startMs = Math.max(spec.openTime, endMs - HISTORY_SPAN_MS);
      if (endMs > startMs) {
        plans.push({
          market,
          startMs,
          endMs,
          targetProbability: settled ? settledLevel(state, result === "yes") : m.probability,
          meanGapMs: spec.history.meanGapMs,
          volatility: spec.history.volatility,
        });
      }
    }
  }
  return event;
}

/** Where a market trades just before close once the outcome is all but known. */
function settledLevel(state: SimState, yes: boolean): number {
  const edge = 0.01 + state.random.next() * 0.03;
  return yes ? 1 - edge : edge;
}
