/**
 * The HTTP request path's first stop in server/main.ts, before Next.js sees
 * the request: applies the security policy (server/http/security-policy.ts:
 * client address, forwarded headers, cross-site server actions, security
 * headers and the page CSP nonce, the declared body size) and counts a body
 * without a Content-Length as it streams in. One call from main.ts.
 *
 * Under plain `next start` / Vercel the same policy runs in proxy.ts; here
 * the request is marked as handled so that proxy.ts (which Next.js also runs
 * inside the custom server) leaves it alone.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

import { getServerConfig } from "@/server/config";
import { countBodyBytes, refuseOversizedBody } from "@/server/http/body-limit";
import {
  applyRequestHeaderEdits,
  decideRequestPolicy,
  GUARDED_HEADER,
  guardedMark,
} from "@/server/http/security-policy";

export { bodyLimitExceeded } from "@/server/http/body-limit";

/**
 * Prepares `request` for the app and sets the baseline response headers.
 * Returns false when the request has already been answered (403, 413).
 */
export function guardHttpRequest(request: IncomingMessage, response: ServerResponse): boolean {
  const decision = decideRequestPolicy(
    {
      method: request.method ?? "GET",
      pathname: safePathname(request.url),
      headers: request.headers,
      socketAddress: request.socket.remoteAddress,
      connectionEncrypted: (request.socket as Partial<TLSSocket>).encrypted === true,
    },
    getServerConfig(),
  );
  for (const [name, value] of Object.entries(decision.responseHeaders))
    response.setHeader(name, value);

  if (decision.kind === "refuse") {
    if (decision.status === 413) {
      // Closes the connection after the answer: the declared body is never read.
      refuseOversizedBody(request, response, decision.body);
    } else {
      const text = JSON.stringify(decision.body);
      response.writeHead(decision.status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      response.end(text);
    }
    return false;
  }

  applyRequestHeaderEdits(request.headers, decision.requestHeaders);
  request.headers[GUARDED_HEADER] = guardedMark();
  countBodyBytes(request, response, decision.bodyLimit);
  return true;
}

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://internal").pathname;
  } catch {
    return "/";
  }
}
