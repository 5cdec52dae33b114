/**
 * Reference-data fields Kalshi publishes that the core records in model.ts do
 * not carry (they matter to no engine rule): a market's early-close condition, event images and colours,
 * series update times. Kept beside the state, keyed by ticker, so the seed
 * and the lifecycle can set them and the serializers read them.
 */
import { statePart, type SimState } from "@/server/sim/state";

export interface MarketExtras {
  earlyCloseCondition?: string;
  /** When the underlying event happened (epoch ms), once known. */
  occurrenceTime?: number;
  /** Display colour of the market within its event (`color_code` on event metadata). */
  colorCode?: string;
  imageUrl?: string;
}

export interface EventExtras {
  featuredImageUrl?: string;
  competitionScope?: string;
  productMetadata?: Record<string, unknown>;
}

export interface SeriesExtras {
  /** Last metadata change, epoch ms (`last_updated_ts`). */
  lastUpdatedTs?: number;
}

interface Extras {
  markets: Map<string, MarketExtras>;
  events: Map<string, EventExtras>;
  series: Map<string, SeriesExtras>;
}

const EXTRAS = statePart<Extras>("reference-extras", () => ({
  markets: new Map(),
  events: new Map(),
  series: new Map(),
}));

function extrasOf(state: SimState): Extras {
  return state.part(EXTRAS);
}

const EMPTY = Object.freeze({});

export function marketExtras(state: SimState, ticker: string): Readonly<MarketExtras> {
  return extrasOf(state).markets.get(ticker) ?? EMPTY;
}

/** Merges `patch` into the market's extras. */
export function setMarketExtras(state: SimState, ticker: string, patch: MarketExtras): void {
  const map = extrasOf(state).markets;
  map.set(ticker, { ...map.get(ticker), ...patch });
}

export function eventExtras(state: SimState, eventTicker: string): Readonly<EventExtras> {
  return extrasOf(state).events.get(eventTicker) ?? EMPTY;
}

export function setEventExtras(state: SimState, eventTicker: string, patch: EventExtras): void {
  const map = extrasOf(state).events;
  map.set(eventTicker, { ...map.get(eventTicker), ...patch });
}

export function seriesExtras(state: SimState, seriesTicker: string): Readonly<SeriesExtras> {
  return extrasOf(state).series.get(seriesTicker) ?? EMPTY;
}

export function setSeriesExtras(state: SimState, seriesTicker: string, patch: SeriesExtras): void {
  const map = extrasOf(state).series;
  map.set(seriesTicker, { ...map.get(seriesTicker), ...patch });
}
