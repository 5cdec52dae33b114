/**
 * The bots' walk of a market's latent fair value, journaled. The fair value
 * is never on the wire, but determination draws a market's outcome against
 * it, so a move the journal did not have would resolve a replayed market
 * differently from the live run.
 */
import type { Micros } from "@/lib/fixed-point";
import type { SimState } from "@/server/sim/state";

export function setFairValue(state: SimState, ticker: string, value: Micros): void {
  const apply = () => {
    const market = state.market(ticker);
    if (market) market.fairValue = value;
  };
  if (state.journal) state.journal.call("markets.setFairValue", [ticker, value], apply);
  else apply();
}
