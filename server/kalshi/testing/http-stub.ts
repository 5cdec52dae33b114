/**
 * Test helper: a tiny local HTTP server standing in for Kalshi (or a proxy in
 * front of the simulator) whose behaviour each test scripts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type StubHandler = (
  request: StubRequest,
  res: ServerResponse,
  raw: IncomingMessage,
) => void | Promise<void>;

export interface HttpStub {
  /** `http://127.0.0.1:port/trade-api/v2` */
  restBaseUrl: string;
  requests: StubRequest[];
  handle(handler: StubHandler): void;
  close(): Promise<void>;
}

export async function startHttpStub(): Promise<HttpStub> {
  let handler: StubHandler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  };
  const requests: StubRequest[] = [];
  const server: Server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on("data", (chunk: Buffer) => chunks.push(chunk));
    raw.on("end", () => {
      const request = {
        method: raw.method ?? "GET",
        url: raw.url ?? "/",
        headers: raw.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      void Promise.resolve(handler(request, res, raw)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    restBaseUrl: `http://127.0.0.1:${port}/trade-api/v2`,
    requests,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers JSON with a status. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { "content-type": "application/json" })
    .end(typeof body === "string" ? body : JSON.stringify(body));
}

/** Forwards a stub request to `targetOrigin` and returns the upstream answer (status + text). */
export async function forward(
  request: StubRequest,
  targetOrigin: string,
): Promise<{ status: number; text: string }> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (
      value === undefined ||
      name === "host" ||
      name === "content-length" ||
      name === "connection"
    )
      continue;
    headers.set(name, Array.isArray(value) ? value.join(",") : value);
  }
  const response = await fetch(targetOrigin + request.url, {
    method: request.method,
    headers,
    body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
  });
  return { status: response.status, text: await response.text() };
}
