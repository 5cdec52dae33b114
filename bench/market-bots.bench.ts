/**
 * Simulator bot cost: wall time of 1000 bot steps (250 ms of simulated time
 * apart) over 40 markets, after the ladders are built. The goal is well
 * under 5 s (the bots must leave the cores to the exchange and the app).
 *
 *   npx tsx bench/market-bots.bench.ts [steps=1000] [markets=40]
 *
 * Prints figures only; nothing here asserts a timing.
 */
import { createBots } from "@/server/sim/bots/start-bots";
import { addMarket, makeEngineExchange } from "@/server/sim/testing/engine-fixtures";

const steps = Number(process.argv[2] ?? 1000);
const markets = Number(process.argv[3] ?? 40);

const fixture = makeEngineExchange({ seed: 5 });
for (let i = 0; i < markets; i += 1) {
  addMarket(fixture.state, {
    ticker: `KXCPU-${i}`,
    priceLevelStructure: i % 5 === 0 ? "deci_cent" : "linear_cent",
    fairValue: 100_000 + i * 20_000,
  });
}
const bots = createBots(fixture.exchange);
bots.step(20); // build the ladders
const started = performance.now();
for (let i = 0; i < steps; i += 1) {
  bots.step();
  fixture.clock.advance(250);
}
const ms = performance.now() - started;
console.log(`market-bots: ${steps} steps over ${markets} markets`);
console.log(
  `  total ${ms.toFixed(0)} ms  (${((ms / steps) * 1000).toFixed(0)} µs per step, goal < 5000 ms total)`,
);
console.log(`  trades ${fixture.state.trades.length}`);
