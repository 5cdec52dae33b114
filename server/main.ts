import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import next from "next";

import {
  ConfigError,
  getServerConfig,
  setEmbeddedSimulatorUrls,
  type ServerConfig,
} from "./config";
import { createEntryServer } from "./http/entry-server";
import type { RunningSim } from "./sim/start";

/**
 * The one Node entry for dev (`npm run dev`) and production (`npm start`):
 * starts the embedded simulator when no upstream is configured, then serves
 * the Next.js app and routes WebSocket upgrades from one HTTP server.
 */

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where the browser gateway will accept WebSockets (server/gateway, a later issue). */
const GATEWAY_PATH = "/ws";

/** How long open connections get to finish after a shutdown signal. */
const SHUTDOWN_GRACE_MS = 5_000;
/** Then closing Next, the database and the simulator; past both the process exits anyway. */
const SHUTDOWN_CLEANUP_MS = 3_000;

async function main(): Promise<void> {
  // Next.js tries to "patch" lockfiles that lack SWC binaries for other
  // platforms by fetching registry metadata; the lockfile is managed by npm
  // (see .ci/run), so that network round trip is turned off.
  process.env.NEXT_IGNORE_INCORRECT_LOCKFILE ??= "1";
  let config = readConfig();

  let sim: RunningSim | undefined;
  if (config.embedSimulator) {
    // Imported lazily so demo/prod processes never load the simulator.
    const { startSimExchange } = await import("./sim/start");
    sim = await startSimExchange({
      port: config.sim.port,
      host: "127.0.0.1",
      seed: config.sim.seed,
      bots: config.sim.bots,
      // The simulator remembers its accounts, orders and positions across restarts (docs/simulator-persistence.md).
      dataDir: path.join(config.dataDir, "sim"),
      reset: process.env.SIM_RESET === "1",
      fsync: process.env.SIM_FSYNC === "1",
    });
    // Must happen before Next prepares: the app's bundled modules read these
    // URLs from process.env on first use.
    config = setEmbeddedSimulatorUrls(sim);
  }

  // Open the database and apply pending migrations before serving, so a bad
  // DATABASE_URL or a failed migration stops the start, not the first request.
  // (The Next.js bundle reuses this connection: server/db/client.ts keeps it on globalThis.)
  const { getDb, closeDb } = await import("./db/client");
  await getDb();

  (await import("./portfolio/snapshotter")).startPortfolioSnapshotter(); // equity curve record

  // The market-data service (server/market-data): the in-memory universe every public
  // read is served from, fed by the gateway's shared market-data connection.
  const { createMarketDataService, installMarketDataService } =
    await import("./market-data/registry");
  const marketData = createMarketDataService();
  installMarketDataService(marketData);

  // Several instances (REDIS_URL, server/cluster): upstream connections shared across
  // instances, one market-data leader, tickets and revocations valid everywhere.
  const cluster = config.redisUrl
    ? await (
        await import("./cluster/start")
      ).startCluster({
        url: config.redisUrl,
        service: marketData.enabled ? marketData : null,
        log: (level, fields) => log(level, { ...fields, at: "server/cluster" }),
      })
    : null;

  // The /ws gateway (server/gateway): lazily imported like the simulator.
  const { startGateway } = await import("./gateway/start");
  const { appAuthenticator } = await import("./gateway/app-authenticator");
  const gateway = await startGateway({
    authenticator: appAuthenticator,
    marketTap: cluster ? cluster.marketTap : marketData.enabled ? marketData.tap : undefined,
    connectionFactory: cluster?.connectionFactory,
    claimTicket: cluster ? (jti, expiresAt) => cluster.claimTicket(jti, expiresAt) : undefined,
  });
  marketData.start();

  // Next.js attaches its own dev (HMR) upgrade listener to whichever server it
  // is given, on the first request (app.getUpgradeHandler() is a no-op for
  // custom servers). We hand it a server that never listens, so
  // every upgrade passes through the entry server's "upgrade" listener first and only
  // hot-reload upgrades are forwarded to Next.
  const nextUpgradeTarget: Server = createServer();
  const app = next({
    dev: config.dev,
    dir: projectRoot,
    hostname: config.host,
    port: config.port,
    httpServer: nextUpgradeTarget,
    // Turbopack for dev compiles; `next build` uses it too (the Next 16 default).
    turbopack: config.dev,
  });

  try {
    await app.prepare();
  } catch (error) {
    await sim?.close();
    throw error;
  }
  const handle = app.getRequestHandler();

  const { guardHttpRequest, bodyLimitExceeded } = await import("./http/request-guard");
  const { refusePublicPageOverBudget } = await import("./http/page-budget");
  const { compressResponse } = await import("./http/compression");
  const { PageCache } = await import("./http/page-cache");
  const { sessionCookieName } = await import("./auth/session");
  const pageCache = new PageCache({
    ttlMs: config.publicPageCacheMs,
    sessionCookie: () => sessionCookieName(),
  });
  const entry = createEntryServer({
    handleRequest: async (req, res) => {
      if (!guardHttpRequest(req, res)) return; // client address, security headers, body limit (413)
      if (await refusePublicPageOverBudget(req, res)) return; // the client's share of public pages (429)
      compressResponse(req, res); // gzip or brotli when the client accepts it (HTML, JSON, JS, CSS)
      // Signed-out public pages: one render per URL per second, shared (CSP nonce kept per response).
      return pageCache.serve(req, res, () =>
        handle(req, res).catch((error: unknown) => {
          if (bodyLimitExceeded(req)) return; // already answered 413
          throw error;
        }),
      );
    },
    gatewayPath: GATEWAY_PATH,
    gateway,
    devUpgrade: config.dev
      ? (req, socket, head) => nextUpgradeTarget.emit("upgrade", req, socket, head)
      : undefined,
    log,
  });
  const server = entry.server;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  log("info", {
    msg: "ready",
    mode: config.dev ? "development" : "production",
    url: appUrl(config),
    kalshiEnv: config.kalshiEnv,
    kalshiRestUrl: config.kalshiRestUrl,
    kalshiWsUrl: config.kalshiWsUrl,
    simulator: sim ? { restBaseUrl: sim.restBaseUrl, wsUrl: sim.wsUrl } : null,
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log("warn", { msg: "second signal, exiting now", signal });
      process.exit(1);
    }
    stopping = true;
    log("info", { msg: "shutting down", signal });
    // Whatever hangs below (a stuck handler, the database, the simulator),
    // the process ends: an orchestrator's SIGKILL would lose the log lines.
    setTimeout(() => {
      log("error", { msg: "shutdown overran its grace; exiting", graceMs: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + SHUTDOWN_CLEANUP_MS).unref();
    void (async () => {
      // In-flight requests get the grace; gateway sockets get 1001; the rest is force-closed.
      await entry.shutdown(SHUTDOWN_GRACE_MS);
      marketData.stop();
      await cluster?.close();
      await app.close();
      await closeDb();
      await sim?.close();
      log("info", { msg: "stopped" });
      process.exit(0);
    })().catch((error: unknown) => {
      log("error", { msg: "shutdown failed", error: describe(error) });
      process.exit(1);
    });
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

function readConfig(): ServerConfig {
  try {
    return getServerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // The message already names each bad variable; a stack adds nothing.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

function appUrl(config: ServerConfig): string {
  // A wildcard bind is reachable locally as localhost; say so rather than print 0.0.0.0.
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
}

function log(level: "info" | "warn" | "error", fields: Record<string, unknown>): void {
  const line = JSON.stringify({
    level,
    at: "server/main",
    time: new Date().toISOString(),
    ...fields,
  });
  if (level === "info") console.log(line);
  else console.error(line);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().catch((error: unknown) => {
  log("error", { msg: "failed to start", error: describe(error) });
  process.exit(1);
});
