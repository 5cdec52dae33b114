/**
 * `npm run sim`: only the simulated exchange, for pointing other clients at it.
 * SIM_PORT sets the port (default 8787), SIM_SEED the seed (default 42),
 * SIM_BOTS=off disables the bots, SIM_TIME_SCALE (1-3600, default 1)
 * compresses settlement timers and generated hourly markets for demos.
 * The exchange persists under DATA_DIR/sim (DATA_DIR defaults to .data);
 * SIM_RESET=1 starts it fresh, SIM_FSYNC=1 syncs every journal write to disk,
 * SIM_SNAPSHOT_EVERY sets the journal records between snapshots (default
 * 100,000; 0 = never) (docs/simulator-persistence.md).
 */
import path from "node:path";
import { z } from "zod";
import { startSimExchange } from "@/server/sim/start";

const env = z
  .object({
    SIM_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    SIM_SEED: z.coerce.number().int().default(42),
    SIM_BOTS: z.enum(["on", "off"]).default("on"),
    SIM_HOST: z.string().default("127.0.0.1"),
    DATA_DIR: z.string().min(1).default(".data"),
    SIM_RESET: z.enum(["0", "1", ""]).default(""),
    SIM_FSYNC: z.enum(["0", "1", ""]).default(""),
  })
  .parse(process.env);

const sim = await startSimExchange({
  port: env.SIM_PORT,
  host: env.SIM_HOST,
  seed: env.SIM_SEED,
  bots: env.SIM_BOTS === "on",
  dataDir: path.join(env.DATA_DIR, "sim"),
  reset: env.SIM_RESET === "1",
  fsync: env.SIM_FSYNC === "1",
});
console.log(`Simulated Kalshi exchange (seed ${sim.exchange.state.seed}, bots ${env.SIM_BOTS})`);
const restored = sim.restored;
console.log(
  `  State      ${path.join(env.DATA_DIR, "sim")} (` +
    (restored?.snapshot ? `snapshot of ${restored.snapshot.records} operations + ` : "") +
    `${restored?.replayed ?? 0} journal records replayed in ${Math.round(restored?.ms ?? 0)} ms)`,
);
console.log(`  REST       ${sim.restBaseUrl}`);
console.log(`  WebSocket  ${sim.wsUrl}`);
console.log(
  `  Bootstrap  POST http://${env.SIM_HOST}:${sim.port}/sim/v1/accounts  (returns an API key id + private key PEM)`,
);

const shutdown = () => {
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
