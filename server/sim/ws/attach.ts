/**
 * The simulator's WebSocket endpoint (`/trade-api/ws/v2`): authenticates the
 * HTTP upgrade like Kalshi (three KALSHI-ACCESS-* headers, RSA-PSS over
 * timestamp + "GET" + path), keeps a registry of sessions, fans exchange bus
 * events out to them, and pings every connection with "heartbeat".
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { authenticate } from "@/server/sim/auth/signature";
import { SimError } from "@/server/sim/errors";
import type { SimEvent } from "@/server/sim/bus";
import type { SimExchange } from "@/server/sim/exchange";
import { WsSession } from "@/server/sim/ws/session";

export const WS_PATH = "/trade-api/ws/v2";

export interface SimWebSocketOptions {
  /** Ping interval, ms. Default 10 000: Kalshi pings every 10 s with body "heartbeat". */
  heartbeatMs?: number;
  /**
   * Bytes a socket may have queued before a subscription that wants to send
   * more is ended with error 25. Default 4 MiB: Kalshi does not publish its
   * buffer size; this is large enough that only a stalled reader hits it.
   */
  maxBufferedBytes?: number;
  /** Largest inbound frame, bytes. Default 4 MiB (about 100k tickers in one command). */
  maxPayloadBytes?: number;
}

export interface SimWebSocketHandle {
  /** Terminates every connection, stops the heartbeat and leaves the bus. */
  close(): Promise<void>;
  /** Open sessions (diagnostics and tests). */
  readonly sessionCount: number;
}

const STATUS_TEXT: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
};

/** Serves Kalshi's WebSocket protocol on `server`'s upgrade requests to WS_PATH. */
export function attachSimWebSocket(
  server: Server,
  exchange: SimExchange,
  options: SimWebSocketOptions = {},
): SimWebSocketHandle {
  const { state } = exchange;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 4 * 1024 * 1024,
  });
  const sessions = new Set<WsSession>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => socket.destroy());
    if (pathOf(request.url) !== WS_PATH) {
      rejectUpgrade(socket, 404, {
        code: "not_found",
        message: `no WebSocket endpoint at ${request.url ?? ""}`,
      });
      return;
    }
    let auth: ReturnType<typeof authenticate>;
    try {
      auth = authenticate(
        state,
        {
          key: headerOf(request, "kalshi-access-key"),
          timestamp: headerOf(request, "kalshi-access-timestamp"),
          signature: headerOf(request, "kalshi-access-signature"),
        },
        "GET",
        WS_PATH,
      );
    } catch (error) {
      if (error instanceof SimError) {
        rejectUpgrade(socket, error.status, error.toBody());
      } else {
        console.error(
          JSON.stringify({ at: "sim.ws", what: "upgrade auth failed", error: String(error) }),
        );
        rejectUpgrade(socket, 500, {
          code: "internal_server_error",
          message: "internal error in the simulated exchange",
        });
      }
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new WsSession(ws, state, auth.user, auth.apiKey, { maxBufferedBytes });
      sessions.add(session);
      joinBus();
      ws.on("message", (data, isBinary) => session.handleFrame(frameText(data, isBinary)));
      ws.on("close", () => {
        sessions.delete(session);
        if (sessions.size === 0) leaveBus();
      });
      ws.on("error", (error) => {
        console.error(
          JSON.stringify({
            at: "sim.ws",
            what: "socket error",
            userId: auth.user.userId,
            error: String(error),
          }),
        );
      });
    });
  };
  server.on("upgrade", onUpgrade);

  // On the bus only while a session is open: with none, the engine skips
  // building the order, fill and position copies this fan-out would read.
  let unsubscribe: (() => void) | null = null;
  const leaveBus = (): void => {
    unsubscribe?.();
    unsubscribe = null;
  };
  const joinBus = (): void => {
    unsubscribe ??= state.bus.subscribe(fanOut);
  };
  const fanOut = (event: SimEvent): void => {
    for (const session of sessions) {
      try {
        session.onEvent(event);
      } catch (error) {
        // One broken connection must not starve the others.
        console.error(
          JSON.stringify({
            at: "sim.ws",
            what: "fan-out failed",
            kind: event.kind,
            userId: session.user.userId,
            error: String(error),
          }),
        );
      }
    }
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) pingHeartbeat(ws);
  }, heartbeatMs);
  heartbeat.unref();

  return {
    get sessionCount() {
      return sessions.size;
    },
    async close() {
      clearInterval(heartbeat);
      leaveBus();
      server.off("upgrade", onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      sessions.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function pingHeartbeat(ws: WebSocket): void {
  if (ws.readyState === ws.OPEN) ws.ping("heartbeat");
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://sim.invalid").pathname;
  } catch {
    return "";
  }
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function frameText(data: RawData, isBinary: boolean): string {
  void isBinary; // commands are JSON either way; a binary frame that is not JSON gets error 1
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

/** Answers the upgrade request with a plain HTTP error and a JSON body; no WebSocket is opened. */
function rejectUpgrade(
  socket: Duplex,
  status: number,
  body: { code: string; message: string },
): void {
  const text = JSON.stringify(body);
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      "\r\n" +
      text,
  );
}
