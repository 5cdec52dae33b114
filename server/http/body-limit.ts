/**
 * Request-body limits, enforced in server/main.ts before Next.js (or Auth.js)
 * reads a byte: a declared Content-Length over the limit is answered 413 at
 * once, and a body without one (chunked) is counted as it arrives and cut off
 * with 413 the moment it passes the limit. Either way the connection is
 * closed, so the rest of an oversized body is never read into memory.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import type { SecurityLimits } from "@/server/config";

/** Paths whose bodies are sign-in or sign-up forms (Auth.js callbacks, the forms' server actions). */
const AUTH_PATHS = ["/api/auth/", "/sign-in", "/sign-up"];

/** The body limit (bytes) for a request path. */
export function bodyLimitFor(
  pathname: string,
  limits: Pick<SecurityLimits, "authBodyBytes" | "bodyBytes">,
): number {
  return AUTH_PATHS.some(
    (prefix) => pathname === prefix.replace(/\/$/, "") || pathname.startsWith(prefix),
  )
    ? limits.authBodyBytes
    : limits.bodyBytes;
}

const EXCEEDED = Symbol.for("kalshi-dashboard.body-limit-exceeded");
type MarkedRequest = IncomingMessage & { [EXCEEDED]?: true };

/** True when the request was cut off by its body limit (its later failures are expected, not errors). */
export function bodyLimitExceeded(request: IncomingMessage): boolean {
  return (request as MarkedRequest)[EXCEEDED] === true;
}

/**
 * Applies `limit` to the request body. Returns false when the request was
 * already answered (413); otherwise the body is counted as it streams in.
 */
export function enforceBodyLimit(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
): boolean {
  const declared = request.headers["content-length"];
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > limit)) {
    refuse(request, response, limit);
    return false;
  }
  // The HTTP parser hands each body chunk to `push`; counting there sees the
  // bytes before any consumer (Next.js, Auth.js) can buffer them.
  let received = 0;
  const push = request.push.bind(request);
  request.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk === null || bodyLimitExceeded(request)) return push(chunk as null, encoding);
    received += Buffer.isBuffer(chunk) ? chunk.length : Buffer.byteLength(String(chunk));
    if (received > limit) {
      refuse(request, response, limit);
      return false;
    }
    return push(chunk, encoding);
  };
  return true;
}

function refuse(request: IncomingMessage, response: ServerResponse, limit: number): void {
  (request as MarkedRequest)[EXCEEDED] = true;
  const kib = Math.floor(limit / 1024);
  if (!response.headersSent) {
    const body = JSON.stringify({
      error: {
        code: "payload_too_large",
        message: `The request body is larger than the ${kib} KiB this address accepts.`,
      },
    });
    response.writeHead(413, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      connection: "close",
    });
    // Destroy once the answer is flushed: the rest of the body is never read.
    response.end(body, () => request.socket.destroy());
  } else {
    request.socket.destroy();
  }
}
