import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { fileURLToPath } from "node:url";

import next from "next";

import {
  ConfigError,
  getServerConfig,
  setEmbeddedSimulatorUrls,
  type ServerConfig,
} from "./config";
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

  const server = createServer();
  // The /ws gateway (server/gateway): lazily imported like the simulator.
  const { startGateway } = await import("./gateway/start");
  const { appAuthenticator } = await import("./gateway/app-authenticator");
  const gateway = await startGateway({ authenticator: appAuthenticator });

  // Next.js attaches its own dev (HMR) upgrade listener to whichever server it
  // is given, on the first request (app.getUpgradeHandler() is a no-op for
  // custom servers). We hand it a server that never listens, so
  // every upgrade passes through the "upgrade" listener below first and only
  // hot-reload upgrades are forwarded to Next.
  const nextUpgradeTarget: Server = createServer();
  const app = next({
    dev: config.dev,
    dir: projectRoot,
    hostname: config.host,
    port: config.port,
    httpServer: nextUpgradeTarget,
    // Turbopack for fast dev compiles; production builds use webpack, whose
    // framework chunks are smaller (bench/first-load.bench.ts).
    turbopack: config.dev,
  });

  try {
    await app.prepare();
  } catch (error) {
    await sim?.close();
    throw error;
  }
  const handle = app.getRequestHandler();

  server.on("request", (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log("error", { msg: "request failed", url: req.url, error: describe(error) });
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });

  // Upgraded sockets leave the HTTP server's connection tracking but still
  // hold server.close() open, so shutdown has to end them itself.
  const upgradedSockets = new Set<Duplex>();
  const trackUpgraded = (socket: Duplex) => {
    upgradedSockets.add(socket);
    socket.once("close", () => upgradedSockets.delete(socket));
  };

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? "/", "http://internal").pathname;
    if (pathname === GATEWAY_PATH) {
      // ── GATEWAY HOOK ──────────────────────────────────────────────────────
      trackUpgraded(socket);
      gateway.handleUpgrade(req, socket, head);
      return;
    }
    // Next.js only upgrades its hot-reload socket and would leave any other
    // upgrade hanging, so everything else is refused here.
    if (config.dev && pathname.startsWith("/_next/")) {
      trackUpgraded(socket);
      nextUpgradeTarget.emit("upgrade", req, socket, head);
      return;
    }
    rejectUpgrade(socket, 404, "Not Found");
  });

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
    void (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Only hot-reload sockets are upgraded so far; nothing is lost by ending
      // them now. (The gateway will close its sockets with a reason first.)
      await gateway.close(); // browsers get 1001 "server shutting down" first
      for (const socket of upgradedSockets) socket.destroy();
      const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
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

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
