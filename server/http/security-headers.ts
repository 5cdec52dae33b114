/**
 * Response headers every answer carries (pages and API alike), and the
 * nonce-based Content-Security-Policy of pages.
 *
 * The CSP nonce reaches Next.js through the request's own
 * `Content-Security-Policy` header, the same channel Next's CSP guide uses
 * from proxy.ts: Next reads the nonce from it and puts it on every script it
 * renders. Pages are rendered per request (the root layout reads the session
 * cookie), so every page gets a fresh nonce.
 */
import { randomBytes } from "node:crypto";

export interface SecurityHeaderOptions {
  /** A fresh nonce for pages; undefined for API answers (no HTML, no scripts). */
  nonce: string | undefined;
  /** Served over TLS (directly or via a trusted proxy): send HSTS. */
  secure: boolean;
  /** Development: React's dev tools need eval, and Next's HMR socket. */
  dev: boolean;
  /** A gateway on another origin (GATEWAY_PUBLIC_URL) that pages may open a socket to. */
  gatewayUrl?: string;
}

/** A CSP nonce: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The page CSP. Scripts only with this response's nonce ('strict-dynamic' lets
 * Next's chunk loader add its own chunks); styles from our origin, plus
 * inline style attributes (React's style props, the chart's canvas layout);
 * the live client's WebSocket to the same origin (`/ws`).
 */
export function contentSecurityPolicy(nonce: string, dev: boolean, gatewayUrl?: string): string {
  // CSP source expressions name an origin: scheme, host and port, no path.
  const gateway = gatewayUrl ? ` ${new URL(gatewayUrl).origin}` : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // 'self' covers the same-origin gateway (ws(s)://this-host/ws) in CSP3
    // browsers; development adds Next's hot-reload socket.
    `connect-src 'self'${gateway}${dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The security headers of one answer. */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
  };
  if (options.nonce !== undefined)
    headers["content-security-policy"] = contentSecurityPolicy(
      options.nonce,
      options.dev,
      options.gatewayUrl,
    );
  else headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'";
  // Two years, as HSTS preload lists expect; only ever over TLS (browsers ignore it on http anyway).
  if (options.secure) headers["strict-transport-security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
