/**
 * Runs the simulator's bots on a timer (see market-bots.ts for what they do).
 * At the default pace a step runs every 250 ms: about one taker trade a
 * second somewhere, and each market's fair value (and so its quotes) moves
 * every ten seconds or so. `rate` scales the step frequency.
 */
import { MarketBots, type BotOptions, type BotStatus } from "@/server/sim/bots/market-bots";
import type { SimExchange } from "@/server/sim/exchange";

export type { BotOptions, BotStatus } from "@/server/sim/bots/market-bots";
export { MarketBots } from "@/server/sim/bots/market-bots";

const registry = new WeakMap<SimExchange, MarketBots>();

/** Bots for `exchange` that only act when stepped (tests: pair with a ManualClock). */
export function createBots(exchange: SimExchange, options: BotOptions = {}): MarketBots {
  const bots = new MarketBots(exchange, options);
  registry.set(exchange, bots);
  return bots;
}

/** Runs `n` bot steps synchronously. */
export function stepBots(bots: MarketBots, n = 1): void {
  bots.step(n);
}

/** What the bots of this exchange have done, for GET /sim/v1/info; `{ running: false }` without bots. */
export function botStatus(exchange: SimExchange): BotStatus | { running: false } {
  return registry.get(exchange)?.status() ?? { running: false };
}

/** Starts the bots on a timer; `stop()` ends them (resting bot orders stay on the books). */
export function startBots(exchange: SimExchange, options: BotOptions): { stop(): void } {
  const bots = createBots(exchange, options);
  const intervalMs = Math.max(10, Math.round(bots.options.intervalMs / bots.options.rate));
  bots.running = true;
  // step() never throws; the timer must not keep the process alive on its own.
  const timer = setInterval(() => bots.step(), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      bots.running = false;
    },
  };
}
