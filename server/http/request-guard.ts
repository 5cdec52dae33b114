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
import { CLIENT_ADDRESS_HEADER, clientAddressOf, isSecureRequest } from "@/server/http/forwarded";
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

  const isApi = pathname.startsWith("/api/");
  const isAsset = pathname.startsWith("/_next/") || pathname === "/favicon.svg";
  const nonce = isApi || isAsset ? undefined : newNonce();
  const secure = isSecureRequest(
    request.headers,
    (request.socket as Partial<TLSSocket>).encrypted === true,
    config.trustProxyHops,
  );
  const headers = securityHeaders({ nonce, secure, dev: config.dev });
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

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://internal").pathname;
  } catch {
    return "/";
  }
}
