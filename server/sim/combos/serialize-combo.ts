/** Wire shapes of collections, combo legs and lookups (kalshi-typescript models are the truth). */
import type { CollectionRecord, ComboRecord } from "@/server/sim/combos/combo-model";
import { serializeTickerPair } from "@/server/sim/combos/combo-fields";
import { isoTime } from "@/server/sim/http/serialize-market";

/** `MultivariateEventCollection` */
export function serializeCollection(collection: CollectionRecord) {
  const yesOnly = collection.associatedEvents.every((e) => e.isYesOnly);
  return {
    collection_ticker: collection.collectionTicker,
    series_ticker: collection.seriesTicker,
    exchange_index: 0,
    title: collection.title,
    description: collection.description,
    open_date: isoTime(collection.openDate),
    close_date: isoTime(collection.closeDate),
    associated_events: collection.associatedEvents.map((e) => ({
      ticker: e.ticker,
      is_yes_only: e.isYesOnly,
      size_max: e.sizeMax,
      size_min: e.sizeMin,
      active_quoters: [],
    })),
    associated_event_tickers: collection.associatedEvents.map((e) => e.ticker),
    is_ordered: collection.isOrdered,
    is_single_market_per_event: collection.associatedEvents.every((e) => e.sizeMax === 1),
    is_all_yes: yesOnly,
    size_min: collection.sizeMin,
    size_max: collection.sizeMax,
    functional_description: collection.functionalDescription,
  };
}

/** `LookupPoint` */
export function serializeLookupPoint(combo: ComboRecord) {
  return {
    event_ticker: combo.eventTicker,
    market_ticker: combo.marketTicker,
    selected_markets: combo.legs.map(serializeTickerPair),
    last_queried_ts: isoTime(combo.lastQueried),
  };
}
