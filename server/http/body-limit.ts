/**
 * Request-body limits. One rule for the size a path accepts
 * (`bodyLimitFor`), applied in both layouts:
 *
 * - server/main.ts (server/http/request-guard.ts), before Next.js or Auth.js
 *   reads a byte: a declared Content-Length over the limit is answered 413 at
 *   once (server/http/security-policy.ts decides it), and a body without one
 *   (chunked) is counted as it arrives and cut off with 413 the moment it
 *   passes the limit (`countBodyBytes`). Either way the connection is closed,
 *   so the rest of an oversized body is never read into memory.
 * - plain `next start` / Vercel (proxy.ts): the same Content-Length rule in
 *   the proxy; a body without one reaches the route handlers, which read it
 *   through server/http/bounded-body.ts with the same limit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import type { ApiErrorBody } from "@/lib/api-error";
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

/**
 * True when a Content-Length header value is over `limit`, or is not a
 * plain number (Node's parser would refuse most of those; a proxy in front
 * might not).
 */
export function declaredLengthExceeds(declared: string | null | undefined, limit: number): boolean {
  if (declared === undefined || declared === null) return false;
  return !/^\d+$/.test(declared) || Number(declared) > limit;
}

/** The 413 answer's body: the one error shape. */
export function payloadTooLargeBody(limit: number): ApiErrorBody {
  return {
    error: {
      code: "payload_too_large",
      message: `The request body is larger than the ${Math.floor(limit / 1024)} KiB this address accepts.`,
    },
  };
}

const EXCEEDED = Symbol.for("kalshi-dashboard.body-limit-exceeded");
type MarkedRequest = IncomingMessage & { [EXCEEDED]?: true };

/** True when the request was cut off by its body limit (its later failures are expected, not errors). */
export function bodyLimitExceeded(request: IncomingMessage): boolean {
  return (request as MarkedRequest)[EXCEEDED] === true;
}

/**
 * Counts the request body as it streams in and answers 413 (closing the
 * connection) the moment it passes `limit`. The declared Content-Length has
 * already been checked by the security policy.
 */
export function countBodyBytes(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
): void {
  // The HTTP parser hands each body chunk to `push`; counting there sees the
  // bytes before any consumer (Next.js, Auth.js) can buffer them.
  let received = 0;
  const push = request.push.bind(request);
  request.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk === null || bodyLimitExceeded(request)) return push(chunk as null, encoding);
    received += Buffer.isBuffer(chunk) ? chunk.length : Buffer.byteLength(String(chunk));
    if (received > limit) {
      refuseOversizedBody(request, response, payloadTooLargeBody(limit));
      return false;
    }
    return push(chunk, encoding);
  };
}

/**
 * Answers 413 and closes the connection once the answer is flushed, so the
 * rest of the body is never read. Headers already set on `response` (the
 * security headers) go out with it.
 */
export function refuseOversizedBody(
  request: IncomingMessage,
  response: ServerResponse,
  answer: ApiErrorBody,
): void {
  (request as MarkedRequest)[EXCEEDED] = true;
  if (!response.headersSent) {
    const body = JSON.stringify(answer);
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
