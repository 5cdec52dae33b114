/**
 * The HTTP request path's first stop in server/main.ts, before Next.js sees
 * the request: records the client address (TRUST_PROXY decides whether
 * forwarded headers count), sets the security headers and the page CSP nonce,
 * and applies the body-size limit. One call from main.ts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

import { getServerConfig } from "@/server/config";
import { bodyLimitFor, enforceBodyLimit } from "@/server/http/body-limit";

export { bodyLimitExceeded } from "@/server/http/body-limit";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddressOf,
  isSameSiteOrigin,
  isSecureRequest,
  trustedForwardedValue,
} from "@/server/http/forwarded";
import { newNonce, securityHeaders } from "@/server/http/security-headers";

/**
 * Prepares `request` for the app and sets the baseline response headers.
 * Returns false when the request has already been answered (413).
 */
export function guardHttpRequest(request: IncomingMessage, response: ServerResponse): boolean {
  const config = getServerConfig();
  const pathname = safePathname(request.url);

  // Never let a client choose the address the app believes in.
  delete request.headers[CLIENT_ADDRESS_HEADER];
  request.headers[CLIENT_ADDRESS_HEADER] = clientAddressOf(
    request.headers,
    request.socket.remoteAddress,
    config.trustProxyHops,
  );
  // Next.js (server actions, request URLs) and Auth.js (redirects) read the
  // forwarded headers themselves: leave them only the trusted value, or none.
  for (const name of FORWARDED_HEADERS) {
    const trusted = trustedForwardedValue(request.headers, name, config.trustProxyHops);
    delete request.headers[name];
    if (trusted !== undefined) request.headers[name] = trusted;
  }
  delete request.headers.forwarded;

  // A server action posted from another site: Next.js would throw (500); it is a 403.
  if (request.method === "POST" && request.headers["next-action"] !== undefined) {
    const origin = request.headers.origin;
    const tls = (request.socket as Partial<TLSSocket>).encrypted === true;
    if (
      origin !== undefined &&
      !isSameSiteOrigin(origin, request.headers, tls ? "https" : "http")
    ) {
      answerJson(response, 403, {
        error: {
          code: "cross_site_request",
          message: "This request came from another site and was refused.",
        },
      });
      return false;
    }
  }

  const isApi = pathname.startsWith("/api/");
  const isAsset = pathname.startsWith("/_next/") || pathname === "/favicon.svg";
  const nonce = isApi || isAsset ? undefined : newNonce();
  const secure = isSecureRequest(
    request.headers,
    (request.socket as Partial<TLSSocket>).encrypted === true,
    config.trustProxyHops,
  );
  const headers = securityHeaders({
    nonce,
    secure,
    dev: config.dev,
    gatewayUrl: config.gateway.publicUrl,
  });
  // A client-sent CSP request header must not choose the nonce Next.js uses.
  delete request.headers["content-security-policy"];
  delete request.headers["content-security-policy-report-only"];
  if (nonce !== undefined && headers["content-security-policy"])
    request.headers["content-security-policy"] = headers["content-security-policy"];
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  // API answers are private by default; a public route may still set its own caching.
  if (isApi) response.setHeader("cache-control", "no-store");

  return enforceBodyLimit(request, response, bodyLimitFor(pathname, config.limits));
}

const FORWARDED_HEADERS = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-for",
  "x-forwarded-port",
];

function answerJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://internal").pathname;
  } catch {
    return "/";
  }
}
