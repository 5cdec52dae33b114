/**
 * Where a market's automatic outcome comes from. By default the seeded draw
 * (determination.ts); a module whose markets resolve from other markets (the
 * combos of server/sim/combos) registers a source that answers for its own
 * markets, or says "not yet" (null) while the inputs are still undecided, and
 * the lifecycle retries on a later tick.
 */
import { autoOutcome, type Outcome } from "@/server/sim/lifecycle/determination";
import type { MarketRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

/** An outcome, null (the market is this source's but cannot be decided yet), or undefined (not this source's). */
export type OutcomeSource = (state: SimState, market: MarketRecord) => Outcome | null | undefined;

const sources = new Set<OutcomeSource>();

/** Adds a source (idempotent). */
export function registerOutcomeSource(source: OutcomeSource): void {
  sources.add(source);
}

/** The outcome to determine `market` with now, or null to wait. */
export function outcomeFor(state: SimState, market: MarketRecord): Outcome | null {
  for (const source of sources) {
    const outcome = source(state, market);
    if (outcome !== undefined) return outcome;
  }
  return autoOutcome(state, market);
}
