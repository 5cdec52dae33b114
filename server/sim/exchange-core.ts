/**
 * What the lifecycle and seed modules need of an exchange: its state, its
 * matching engine and its time compression. `SimExchange` (exchange.ts)
 * implements it; those modules import this type instead of the class so the
 * exchange can import them without an import cycle.
 */
import type { MatchingEngine } from "@/server/sim/engine/matching-engine";
import type { SimState } from "@/server/sim/state";

export interface ExchangeCore {
  readonly state: SimState;
  readonly engine: MatchingEngine;
  readonly timeScale: number;
}
