/**
 * `npm run gateway`: the WebSocket gateway as its own process, for layouts
 * where the app cannot hold sockets (Vercel: pages and route handlers run
 * serverless). Same code as the gateway server/main.ts embeds; browsers reach
 * it at GATEWAY_PUBLIC_URL with a single-use ticket from `/api/ws-ticket`.
 *
 * Reads the app's configuration (server/config.ts): KALSHI_* for the
 * upstream, AUTH_SECRET or GATEWAY_TICKET_SECRET to verify tickets, and
 * DATABASE_URL + VAULT_KEY to open each user's private upstream connection
 * with their own key. Listens on HOST:GATEWAY_PORT; `GET /health` answers
 * 200 while it runs; upgrades on `/ws` go to the gateway, anything else 404.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import { ConfigError, getServerConfig } from "@/server/config";
import { closeDb, getDb } from "@/server/db/client";
import { appAuthenticator } from "@/server/gateway/app-authenticator";
import { startGateway } from "@/server/gateway/start";

const GATEWAY_PATH = "/ws";
/** Open sockets get this long to close after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

function log(level: "info" | "warn" | "error", fields: Record<string, unknown>): void {
  const line = JSON.stringify({
    level,
    at: "server/gateway/cli",
    time: new Date().toISOString(),
    ...fields,
  });
  if (level === "info") console.log(line);
  else console.error(line);
}

/** The path of a request target, or null when it is not a valid one (`//[`). */
function pathOf(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? "/", "http://gateway.invalid").pathname;
  } catch {
    return null;
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

let config;
try {
  config = getServerConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
if (config.kalshiRestUrl === undefined) {
  console.error(
    "The standalone gateway needs an exchange: set KALSHI_ENV=demo|prod, or KALSHI_REST_URL for a simulator started with `npm run sim`.",
  );
  process.exit(1);
}

// Users, sessions and the key vault live in the app's database.
await getDb();
const gateway = await startGateway({ authenticator: appAuthenticator });

const server = createServer((request, response) => {
  if (request.method === "GET" && pathOf(request) === "/health") {
    response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(JSON.stringify({ status: "ok" }));
    return;
  }
  response.writeHead(404, { "content-type": "application/json" });
  response.end(
    JSON.stringify({ error: { code: "not_found", message: "Only /ws and /health here." } }),
  );
});

server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  socket.on("error", () => socket.destroy());
  const pathname = pathOf(request);
  if (pathname === null) return refuse(socket, 400, "Bad Request");
  if (pathname !== GATEWAY_PATH) return refuse(socket, 404, "Not Found");
  try {
    gateway.handleUpgrade(request, socket, head);
  } catch (error) {
    log("error", {
      msg: "upgrade failed",
      error: error instanceof Error ? error.message : String(error),
    });
    refuse(socket, 500, "Internal Server Error");
  }
});

await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(config.gateway.port, config.host, () => resolve());
});
log("info", {
  msg: "ready",
  url: `ws://${config.host}:${config.gateway.port}${GATEWAY_PATH}`,
  kalshiEnv: config.kalshiEnv,
  kalshiWsUrl: config.kalshiWsUrl,
});

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log("info", { msg: "shutting down", signal });
  // Whatever is still open after the grace period must not keep the process up.
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  void (async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await gateway.close(); // browsers get 1001 "server shutting down"
    server.closeAllConnections();
    await closed;
    await closeDb();
    log("info", { msg: "stopped" });
    process.exit(0);
  })().catch((error: unknown) => {
    log("error", {
      msg: "shutdown failed",
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  });
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
