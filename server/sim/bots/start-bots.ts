/** Placeholder until the bots module lands. */
import type { SimExchange } from "@/server/sim/exchange";

export interface BotOptions {
  /** Multiplier on bot activity; 1 = default pace. */
  rate?: number;
}

export function startBots(exchange: SimExchange, options: BotOptions): { stop(): void } {
  void exchange;
  void options;
  return { stop() {} };
}
