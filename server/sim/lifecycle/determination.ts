/**
 * Automatic outcomes for markets the clock determines. Each draw comes from a
 * generator seeded by the exchange seed and the market (or event) ticker, so
 * one seed always resolves one market the same way, whatever traffic came
 * before. A binary market resolves YES with probability equal to its fair
 * value (the latent probability the bots quote around); in a mutually
 * exclusive event exactly one market resolves YES, picked with weights equal
 * to the fair values; a scalar market settles at its fair value plus noise.
 */
import { ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import type { EventRecord, MarketRecord } from "@/server/sim/model";
import { SeededRandom } from "@/server/sim/random";
import { statePart, type SimState } from "@/server/sim/state";

export interface Outcome {
  result: "yes" | "no" | "scalar";
  /** Payout per YES contract. */
  settlementValue: Micros;
}

/** Scalar settlement values land on 0.0001 so every wire field shows them exactly. */
const SCALAR_STEP: Micros = 100;
/** Standard deviation of a scalar market's settlement around its fair value. */
const SCALAR_NOISE = 0.05;

/** 32-bit FNV-1a of `text`, mixed with the exchange seed. */
function seedFor(seed: number, text: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The winner picked for each mutually exclusive event, so its markets agree however they are determined. */
const WINNERS = statePart<Map<string, string>>("event-winners", () => new Map());

function winnerMap(state: SimState): Map<string, string> {
  return state.part(WINNERS);
}

/** The mutually exclusive event a market belongs to, when it has siblings. */
export function exclusiveEventOf(state: SimState, market: MarketRecord): EventRecord | undefined {
  const event = state.events.get(market.eventTicker);
  return event?.mutuallyExclusive && event.marketTickers.length > 1 ? event : undefined;
}

/** The sibling that already resolved YES, if any. */
export function resolvedYesSibling(state: SimState, event: EventRecord): string | undefined {
  return event.marketTickers.find((t) => state.market(t)?.result === "yes");
}

/**
 * The event's YES market: one already determined yes, else the recorded pick
 * while it is still undecided, else a fresh pick among the undecided markets
 * weighted by fair value. Undefined when every market already resolved no.
 */
function eventWinner(state: SimState, event: EventRecord): string | undefined {
  const decided = resolvedYesSibling(state, event);
  if (decided !== undefined) return decided;
  const map = winnerMap(state);
  const picked = map.get(event.eventTicker);
  if (picked !== undefined && state.market(picked)?.result === "") return picked;
  const candidates = event.marketTickers
    .map((t) => state.market(t))
    .filter((m): m is MarketRecord => m !== undefined && m.result === "");
  if (candidates.length === 0) return undefined;
  // A re-pick (the earlier pick was forced to no) must not repeat the same draw.
  const attempt = picked === undefined ? "" : `#${picked}`;
  const random = new SeededRandom(seedFor(state.seed, `${event.eventTicker}${attempt}`));
  const weights = candidates.map((m) => Math.max(m.fairValue, 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let target = random.next() * total;
  let winner = candidates[candidates.length - 1] as MarketRecord;
  for (let i = 0; i < candidates.length; i += 1) {
    target -= weights[i] as number;
    if (target < 0) {
      winner = candidates[i] as MarketRecord;
      break;
    }
  }
  map.set(event.eventTicker, winner.ticker);
  return winner.ticker;
}

/**
 * Keeps the event's pick in line with a forced outcome: a forced YES becomes
 * the pick (siblings then resolve no); a forced NO on the picked market makes
 * the next automatic determination pick again among the undecided ones.
 */
export function recordForcedOutcome(
  state: SimState,
  market: MarketRecord,
  result: Outcome["result"],
): void {
  const event = exclusiveEventOf(state, market);
  if (!event) return;
  const map = winnerMap(state);
  if (result === "yes") map.set(event.eventTicker, market.ticker);
}

/** Decides the outcome of `market` from its fair value and the seeded draw. */
export function autoOutcome(state: SimState, market: MarketRecord): Outcome {
  const event = exclusiveEventOf(state, market);
  if (event) {
    const yes = eventWinner(state, event) === market.ticker;
    return { result: yes ? "yes" : "no", settlementValue: yes ? ONE_DOLLAR : 0 };
  }
  const random = new SeededRandom(seedFor(state.seed, market.ticker));
  if (market.marketType === "scalar") {
    const raw = market.fairValue + random.gaussian() * SCALAR_NOISE * ONE_DOLLAR;
    const clamped = Math.min(Math.max(raw, 0), ONE_DOLLAR);
    return { result: "scalar", settlementValue: Math.round(clamped / SCALAR_STEP) * SCALAR_STEP };
  }
  const yes = random.next() * ONE_DOLLAR < market.fairValue;
  return { result: yes ? "yes" : "no", settlementValue: yes ? ONE_DOLLAR : 0 };
}
