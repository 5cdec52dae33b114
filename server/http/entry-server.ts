/**
 * The one HTTP server of server/main.ts without Next.js and the process
 * around it, so tests run the same composition: requests go to the app
 * handler, upgrades on the gateway path to the gateway, hot-reload upgrades
 * to Next in dev, everything else is refused. No listener lets an exception
 * escape (a throw in an "upgrade" or "request" listener is an uncaught
 * exception: the process dies, or the client socket hangs unanswered).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

import { rejectUpgrade } from "@/server/http/reject-upgrade";
import { requestTarget } from "@/server/http/request-target";

export { rejectUpgrade };

export type EntryLog = (level: "info" | "warn" | "error", fields: Record<string, unknown>) => void;

export interface EntryServerOptions {
  /** The app (Next.js request handler); may throw or reject. */
  handleRequest: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Where the browser gateway accepts WebSockets, e.g. "/ws". */
  gatewayPath: string;
  gateway: {
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
    close(): Promise<void>;
  };
  /** Dev only: Next.js's hot-reload upgrades (paths under /_next/). */
  devUpgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  log: EntryLog;
}

export interface EntryServer {
  server: Server;
  /**
   * Stops accepting, closes gateway sockets with 1001, lets in-flight requests
   * finish for up to `graceMs`, then force-closes whatever is still open.
   * Always settles within about `graceMs` (+ the gateway's own 1 s close bound).
   */
  shutdown(graceMs: number): Promise<void>;
}

export function createEntryServer(options: EntryServerOptions): EntryServer {
  const { log } = options;
  const server = createServer();

  // Upgraded sockets leave the HTTP server's connection tracking but still
  // hold server.close() open, so shutdown has to end them itself.
  const upgradedSockets = new Set<Duplex>();
  const trackUpgraded = (socket: Duplex) => {
    upgradedSockets.add(socket);
    socket.once("close", () => upgradedSockets.delete(socket));
  };

  server.on("request", (req, res) => {
    const fail = (error: unknown) => {
      log("error", { msg: "request failed", url: req.url, error: describe(error) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 500;
      res.end();
    };
    try {
      const result = options.handleRequest(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own error handler from an upgraded socket: without
    // this, a client reset (ECONNRESET) is an uncaught 'error' event.
    socket.on("error", () => socket.destroy());
    try {
      const target = requestTarget(req.url);
      if (!target) {
        rejectUpgrade(socket, 400, "Bad Request");
        return;
      }
      if (target.pathname === options.gatewayPath) {
        trackUpgraded(socket);
        options.gateway.handleUpgrade(req, socket, head);
        return;
      }
      // Next.js only upgrades its hot-reload socket and would leave any other
      // upgrade hanging, so everything else is refused here.
      if (options.devUpgrade && target.pathname.startsWith("/_next/")) {
        trackUpgraded(socket);
        options.devUpgrade(req, socket, head);
        return;
      }
      rejectUpgrade(socket, 404, "Not Found");
    } catch (error) {
      log("error", { msg: "upgrade failed", url: req.url, error: describe(error) });
      rejectUpgrade(socket, 500, "Internal Server Error");
    }
  });

  let stopping: Promise<void> | null = null;
  async function shutdown(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Keep-alive connections turn idle as their in-flight requests finish.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = Date.now() + graceMs;
    try {
      // Browsers get 1001 "server shutting down" (the gateway terminates any
      // socket that does not answer its close within 1 s).
      await settleWithin(options.gateway.close(), graceMs).catch((error: unknown) =>
        log("error", { msg: "gateway close failed", error: describe(error) }),
      );
      for (const socket of upgradedSockets) socket.destroy();
      const left = Math.max(0, deadline - Date.now());
      const force = setTimeout(() => {
        log("warn", { msg: "grace period over; closing remaining connections" });
        server.closeAllConnections();
        for (const socket of upgradedSockets) socket.destroy();
      }, left);
      await closed;
      clearTimeout(force);
    } finally {
      clearInterval(sweeper);
    }
  }

  return {
    server,
    shutdown(graceMs) {
      stopping ??= shutdown(graceMs);
      return stopping;
    },
  };
}

/** Resolves when `promise` settles or after `ms`, whichever is first. */
function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
