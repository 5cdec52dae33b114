/**
 * Starts the simulated Kalshi exchange on a loopback port: REST under
 * `/trade-api/v2`, WebSocket at `/trade-api/ws/v2`, sim-only controls under
 * `/sim/v1`, bots if asked, and the housekeeping tick.
 */
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import { startBots, type BotOptions } from "@/server/sim/bots/start-bots";
import type { Clock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { API_PREFIX, createSimApp } from "@/server/sim/http/app";
import {
  openPersistentExchange,
  type RestoreOutcome,
  type SnapshotOutcome,
} from "@/server/sim/persistence/open-exchange";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";
import type { RetentionLimits } from "@/server/sim/retention";
import { timeScaleFromEnv } from "@/server/sim/lifecycle/time-scale";
import { startRfqMakerBot, type RfqMakerBotOptions } from "@/server/sim/rfq/rfq-maker-bot";
import { attachSimWebSocket, WS_PATH } from "@/server/sim/ws/attach";

export interface SimOptions {
  /** 0 = an ephemeral port. Default 0. */
  port?: number;
  /** Default 127.0.0.1: the simulator is a local stand-in, never a public service. */
  host?: string;
  seed?: number;
  /** Market-making and taking bots. Default true. */
  bots?: boolean | BotOptions;
  /** The RFQ maker bot (quotes and confirms RFQs). Default: on whenever `bots` is. */
  rfqMaker?: boolean | RfqMakerBotOptions;
  clock?: Clock;
  /** How often expiry and lifecycle run, ms. Default 250. */
  tickMs?: number;
  /** Demo time compression (see SimExchangeOptions.timeScale). Default: env SIM_TIME_SCALE, else 1. */
  timeScale?: number;
  /**
   * Kalshi's token-bucket rate limits on /trade-api/v2. Default true (as Kalshi);
   * tests that drive one Basic account faster than its budget may turn them off.
   */
  rateLimits?: boolean;
  /**
   * Persist the exchange under this directory (journal.jsonl; see
   * docs/simulator-persistence.md): accounts, keys, orders, positions... survive
   * a restart. Undefined = ephemeral, in memory only (tests).
   */
  dataDir?: string;
  /** With `dataDir`: delete what is stored and start fresh (SIM_RESET=1). */
  reset?: boolean;
  /** With `dataDir`: fsync every journal write (SIM_FSYNC=1). */
  fsync?: boolean;
  /**
   * With `dataDir`: journal records between snapshots (compaction). Default:
   * env SIM_SNAPSHOT_EVERY, else 100,000; 0 = never (the journal only grows).
   */
  snapshotEvery?: number;
  /** Caps on finished orders, fills and trades kept in memory (retention.ts). */
  retention?: Partial<RetentionLimits>;
}

export interface RunningSim {
  restBaseUrl: string;
  wsUrl: string;
  port: number;
  exchange: SimExchange;
  /** With `dataDir`: what the start-up restore (snapshot + journal replay) did. */
  restored: RestoreOutcome | null;
  /** With `dataDir`: takes a snapshot now (compaction; it also happens every `snapshotEvery` records). */
  snapshot: (() => SnapshotOutcome) | null;
  close(): Promise<void>;
}

export async function startSimExchange(options: SimOptions = {}): Promise<RunningSim> {
  const host = options.host ?? "127.0.0.1";
  // Read here so `npm run dev` and `npm run sim` both honour SIM_TIME_SCALE; a bad value stops start-up.
  const timeScale = options.timeScale ?? timeScaleFromEnv(process.env.SIM_TIME_SCALE);
  const persistent =
    options.dataDir === undefined
      ? null
      : openPersistentExchange({
          dataDir: options.dataDir,
          reset: options.reset,
          fsync: options.fsync,
          seed: options.seed,
          timeScale,
          clock: options.clock,
          retention: options.retention,
          snapshotEvery:
            options.snapshotEvery ?? snapshotEveryFromEnv(process.env.SIM_SNAPSHOT_EVERY),
        });
  const exchange =
    persistent?.exchange ??
    new SimExchange({
      seed: options.seed,
      clock: options.clock,
      timeScale,
      retention: options.retention,
    });
  rateLimiter(exchange.state).enabled = options.rateLimits ?? true;
  const app = createSimApp(exchange);
  // Before the port opens and the bots start: the journal rebuilds the exchange first.
  const restored = persistent
    ? await persistent.replay(async (request) => app.fetch(request))
    : null;
  // Leave the global Request/Response alone: @hono/node-server would otherwise
  // swap in its own classes and break Next.js route handlers in the same process.
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  const ws = attachSimWebSocket(server, exchange);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const tick = setInterval(() => {
    exchange.tick();
    // Compaction between operations: the tick runs outside any request.
    try {
      persistent?.maybeSnapshot();
    } catch (error) {
      // The journal still holds everything: a failed snapshot (disk full...) only costs start-up time.
      console.error(
        JSON.stringify({ at: "sim.snapshot", what: "snapshot failed", error: String(error) }),
      );
    }
  }, options.tickMs ?? 250);
  tick.unref();
  const botOptions = options.bots === undefined || options.bots === true ? {} : options.bots;
  const bots = botOptions === false ? null : startBots(exchange, botOptions);
  const rfqMakerOptions = options.rfqMaker ?? botOptions !== false;
  const rfqMaker =
    rfqMakerOptions === false
      ? null
      : startRfqMakerBot(exchange, rfqMakerOptions === true ? {} : rfqMakerOptions);

  const origin = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    restBaseUrl: `http://${origin}${API_PREFIX}`,
    wsUrl: `ws://${origin}${WS_PATH}`,
    port,
    exchange,
    restored,
    snapshot: persistent ? () => persistent.snapshot() : null,
    async close() {
      clearInterval(tick);
      bots?.stop();
      rfqMaker?.stop();
      await ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      persistent?.close();
    },
  };
}

/** SIM_SNAPSHOT_EVERY: a whole number ≥ 0, or unset (the default). */
function snapshotEveryFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const every = Number(value);
  if (!Number.isSafeInteger(every) || every < 0) {
    throw new Error(`SIM_SNAPSHOT_EVERY must be a whole number ≥ 0, got "${value}"`);
  }
  return every;
}
