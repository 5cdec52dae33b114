/**
 * The seeded collections: one per sports day (that day's football games,
 * with the live New York temperature events as extra legs) and one across
 * the economics releases (CPI and the Fed decision). Built from whatever the
 * catalog listed as active, so they follow the seed and the clock.
 */
import type { AssociatedEventRecord, CollectionRecord } from "@/server/sim/combos/combo-model";
import { comboStore } from "@/server/sim/combos/combo-store";
import type { EventRecord, MarketRecord, SeriesRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

function comboSeries(ticker: string, title: string, category: string): SeriesRecord {
  return {
    ticker,
    title,
    category,
    tags: ["Combos"],
    frequency: "custom",
    feeType: "quadratic",
    feeMultiplier: 1,
    // A combo settles from its legs, each under its own market's source.
    settlementSources: [{ name: "The legs' own settlement sources", url: "https://kalshi.com/" }],
    contractUrl: "",
    contractTermsUrl: "",
    additionalProhibitions: [],
  };
}

/** Events of a series with at least one market open for trading now. */
function liveEvents(state: SimState, seriesTicker: string): EventRecord[] {
  const now = state.now();
  return [...state.events.values()].filter(
    (event) =>
      event.seriesTicker === seriesTicker &&
      event.marketTickers.some((t) => {
        const m = state.market(t);
        return m !== undefined && m.status === "active" && now < m.closeTime;
      }),
  );
}

function lastClose(state: SimState, events: EventRecord[]): number {
  const closes = events.flatMap((e) =>
    e.marketTickers.map((t) => state.market(t)).filter((m): m is MarketRecord => m !== undefined),
  );
  return Math.max(...closes.map((m) => m.closeTime));
}

const oneLegEach = (event: EventRecord): AssociatedEventRecord => ({
  ticker: event.eventTicker,
  isYesOnly: false,
  sizeMax: 1,
  sizeMin: null,
});

/** Adds the seeded collections to a freshly seeded exchange. */
export function seedCollections(state: SimState): void {
  const store = comboStore(state);
  const now = state.now();
  const weather = liveEvents(state, "KXHIGHNY");

  const gamesByDay = new Map<string, EventRecord[]>();
  for (const game of liveEvents(state, "KXNFLGAME")) {
    const day = (game.eventTicker.split("-")[1] ?? "").slice(0, 7);
    gamesByDay.set(day, [...(gamesByDay.get(day) ?? []), game]);
  }
  for (const [day, games] of gamesByDay) {
    const events = [...games, ...weather];
    const collection: CollectionRecord = {
      collectionTicker: `KXMVEGAMEDAY-${day}`,
      seriesTicker: "KXMVEGAMEDAY",
      title: `Game day combos ${day}`,
      description: "Combine the day's football winners with the New York high temperature.",
      openDate: now,
      closeDate: lastClose(state, events),
      associatedEvents: events.map(oneLegEach),
      isOrdered: false,
      sizeMin: 2,
      sizeMax: Math.min(4, events.length),
      functionalDescription:
        "Pick 2 to 4 legs, at most one market per event, yes or no side each. The combo resolves Yes if every leg resolves as picked, No otherwise.",
    };
    store.addCollection(collection, comboSeries("KXMVEGAMEDAY", "Game day combos", "Sports"));
  }

  const releases = [...liveEvents(state, "KXCPI"), ...liveEvents(state, "KXFEDDECISION")];
  if (releases.length >= 2) {
    store.addCollection(
      {
        collectionTicker: "KXMVEECONREL",
        seriesTicker: "KXMVEECONREL",
        title: "Economic releases combos",
        description: "Combine the next CPI print with the Fed's rate decision.",
        openDate: now,
        closeDate: lastClose(state, releases),
        associatedEvents: releases.map(oneLegEach),
        isOrdered: false,
        sizeMin: 2,
        sizeMax: releases.length,
        functionalDescription:
          "Pick one market per release (yes or no). The combo resolves Yes if every leg resolves as picked, No otherwise.",
      },
      comboSeries("KXMVEECONREL", "Economic releases combos", "Economics"),
    );
  }
}
