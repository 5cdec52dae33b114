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
import type { IncomingMessage, ServerResponse } from "node:http";

import { ConfigError, getServerConfig } from "@/server/config";
import { closeDb, getDb } from "@/server/db/client";
import { appAuthenticator } from "@/server/gateway/app-authenticator";
import { startGateway } from "@/server/gateway/start";
import { createEntryServer } from "@/server/http/entry-server";
import { requestTarget } from "@/server/http/request-target";

const GATEWAY_PATH = "/ws";
/** Open sockets get this long to close after SIGTERM; the process exits shortly after regardless. */
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

/** Plain HTTP on the gateway's port: a liveness probe, nothing else. */
function handleRequest(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === "GET" && requestTarget(request.url)?.pathname === "/health") {
    response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(JSON.stringify({ status: "ok" }));
    return;
  }
  response.writeHead(404, { "content-type": "application/json" });
  response.end(
    JSON.stringify({
      error: { code: "not_found", message: "This server only serves /ws and /health." },
    }),
  );
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
// The same entry composition as server/main.ts: malformed targets get 400,
// no listener leaks an exception, shutdown is bounded.
const entry = createEntryServer({ handleRequest, gatewayPath: GATEWAY_PATH, gateway, log });

await new Promise<void>((resolve, reject) => {
  entry.server.once("error", reject);
  entry.server.listen(config.gateway.port, config.host, () => resolve());
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
  // Whatever hangs below, the process ends shortly after its grace period.
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 2_000).unref();
  void (async () => {
    await entry.shutdown(SHUTDOWN_GRACE_MS); // browsers get 1001 "server shutting down"
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
