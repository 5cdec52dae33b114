/**
 * `npm run sim`: only the simulated exchange, for pointing other clients at it.
 * SIM_PORT sets the port (default 8787), SIM_SEED the seed (default 42),
 * SIM_BOTS=off disables the bots, SIM_TIME_SCALE (1-3600, default 1)
 * compresses settlement timers and generated hourly markets for demos.
 */
import { z } from "zod";
import { startSimExchange } from "@/server/sim/start";

const env = z
  .object({
    SIM_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    SIM_SEED: z.coerce.number().int().default(42),
    SIM_BOTS: z.enum(["on", "off"]).default("on"),
    SIM_HOST: z.string().default("127.0.0.1"),
  })
  .parse(process.env);

const sim = await startSimExchange({
  port: env.SIM_PORT,
  host: env.SIM_HOST,
  seed: env.SIM_SEED,
  bots: env.SIM_BOTS === "on",
});
console.log(`Simulated Kalshi exchange (seed ${env.SIM_SEED}, bots ${env.SIM_BOTS})`);
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
