/**
 * The app's HTTP security policy for one request, decided here and nowhere
 * else. Two thin adapters apply it, one per way the app runs:
 *
 * - server/http/request-guard.ts, in server/main.ts (the custom server with
 *   the embedded gateway and simulator), on Node's request and response;
 * - proxy.ts, under plain `next start` or on Vercel (no custom server), on
 *   Next's request and response.
 *
 * The decision: who the client is (forwarded headers only as far as
 * TRUST_PROXY says), a cross-site server action refused with 403, a declared
 * body over the path's limit refused with 413, and otherwise the headers to
 * edit on the request (a fresh CSP nonce for Next.js to put on its scripts)
 * and the headers every answer carries (security-headers.ts; `no-store` on
 * API answers).
 *
 * Under the custom server both adapters see each request (Next.js runs
 * proxy.ts inside `handle()` too). The guard marks what it has handled with a
 * per-process secret (`GUARDED_HEADER`), and the proxy then leaves the
 * request alone: one nonce, one set of headers, and the guard's client
 * address (from the socket, which the proxy cannot see) stays.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

import type { ApiErrorBody } from "@/lib/api-error";
import type { SecurityLimits, ServerConfig } from "@/server/config";
import { appErrors } from "@/server/http/app-error";
import { bodyLimitFor, declaredLengthExceeds, payloadTooLargeBody } from "@/server/http/body-limit";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddressOf,
  isSameSiteOrigin,
  isSecureRequest,
  readHeader,
  trustedForwardedValue,
  type HeaderSource,
} from "@/server/http/forwarded";
import { newNonce, securityHeaders } from "@/server/http/security-headers";

/** What the policy needs to know about a request. */
export interface PolicyRequest {
  method: string;
  /** The path, without the query. */
  pathname: string;
  headers: HeaderSource;
  /** The socket's peer address; undefined where the caller cannot see the socket (proxy.ts). */
  socketAddress: string | undefined;
  /** This server terminated TLS itself (never under `next start`). */
  connectionEncrypted: boolean;
}

/** The settings the policy reads; `getServerConfig()` fits. */
export interface PolicyConfig {
  dev: ServerConfig["dev"];
  trustProxyHops: ServerConfig["trustProxyHops"];
  limits: Pick<SecurityLimits, "authBodyBytes" | "bodyBytes">;
  gateway: Pick<ServerConfig["gateway"], "publicUrl">;
}

/** Request headers to drop, then to set, before the app sees the request. */
export interface RequestHeaderEdits {
  remove: readonly string[];
  set: Record<string, string>;
}

export type PolicyDecision =
  | {
      kind: "refuse";
      status: 403 | 413;
      body: ApiErrorBody;
      /** The security headers of an API answer, `no-store` included. */
      responseHeaders: Record<string, string>;
    }
  | {
      kind: "pass";
      requestHeaders: RequestHeaderEdits;
      responseHeaders: Record<string, string>;
      /** The body limit of this path (bytes), for the adapters' streaming checks. */
      bodyLimit: number;
    };

/** Forwarded headers Next.js and Auth.js read themselves: only the trusted value survives, or none. */
const FORWARDED_HEADERS = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-for",
  "x-forwarded-port",
] as const;

/**
 * Marks a request the custom server's guard has already handled. Its value
 * is a secret of this process, so a client cannot send it to skip the proxy.
 */
export const GUARDED_HEADER = "x-kd-guarded";

/**
 * Request headers a client must never choose: the app's client address, the
 * forwarded headers (re-set to their trusted values), the CSP request header
 * Next.js takes its nonce from, and the guard's mark.
 */
const STRIPPED_REQUEST_HEADERS: readonly string[] = [
  CLIENT_ADDRESS_HEADER,
  ...FORWARDED_HEADERS,
  "forwarded",
  "content-security-policy",
  "content-security-policy-report-only",
  GUARDED_HEADER,
];

/** Decides what happens to a request before the app sees it. */
export function decideRequestPolicy(
  request: PolicyRequest,
  config: PolicyConfig,
  makeNonce: () => string = newNonce,
): PolicyDecision {
  const { pathname, headers } = request;
  const hops = config.trustProxyHops;
  const headerOptions = {
    secure: isSecureRequest(headers, request.connectionEncrypted, hops),
    dev: config.dev,
    gatewayUrl: config.gateway.publicUrl,
  };

  // A server action posted from another site: Next.js would throw (500); it is a 403.
  if (isCrossSiteServerAction(request, hops)) {
    const error = appErrors.forbiddenOrigin();
    return refusal(403, { error: { code: error.code, message: error.message } }, headerOptions);
  }
  const bodyLimit = bodyLimitFor(pathname, config.limits);
  if (declaredLengthExceeds(readHeader(headers, "content-length"), bodyLimit))
    return refusal(413, payloadTooLargeBody(bodyLimit), headerOptions);

  const isApi = pathname.startsWith("/api/");
  const isAsset = pathname.startsWith("/_next/") || pathname === "/favicon.svg";
  // Pages get a fresh nonce; API answers and assets hold no HTML to run scripts in.
  const nonce = isApi || isAsset ? undefined : makeNonce();
  const responseHeaders = securityHeaders({ nonce, ...headerOptions });
  // API answers are private: never stored by a browser or a shared cache.
  if (isApi) responseHeaders["cache-control"] = "no-store";

  const set: Record<string, string> = {
    [CLIENT_ADDRESS_HEADER]: clientAddressOf(headers, request.socketAddress, hops),
  };
  for (const name of FORWARDED_HEADERS) {
    const trusted = trustedForwardedValue(headers, name, hops);
    if (trusted !== undefined) set[name] = trusted;
  }
  // Next.js reads the nonce from the request's CSP header and puts it on every script it renders.
  const csp = responseHeaders["content-security-policy"];
  if (nonce !== undefined && csp !== undefined) set["content-security-policy"] = csp;

  return {
    kind: "pass",
    requestHeaders: { remove: STRIPPED_REQUEST_HEADERS, set },
    responseHeaders,
    bodyLimit,
  };
}

function isCrossSiteServerAction(request: PolicyRequest, hops: number): boolean {
  if (request.method !== "POST" || readHeader(request.headers, "next-action") === undefined)
    return false;
  const origin = readHeader(request.headers, "origin");
  return (
    origin !== undefined &&
    !isSameSiteOrigin(
      origin,
      request.headers,
      request.connectionEncrypted ? "https" : "http",
      [],
      hops,
    )
  );
}

function refusal(
  status: 403 | 413,
  body: ApiErrorBody,
  options: { secure: boolean; dev: boolean; gatewayUrl: string | undefined },
): PolicyDecision {
  const responseHeaders = securityHeaders({ nonce: undefined, ...options });
  responseHeaders["cache-control"] = "no-store";
  return { kind: "refuse", status, body, responseHeaders };
}

/** Applies the edits to a Fetch `Headers` (proxy.ts) or Node's request headers (the guard). */
export function applyRequestHeaderEdits(
  target: Headers | IncomingHttpHeaders,
  edits: RequestHeaderEdits,
): void {
  if (isFetchHeaders(target)) {
    for (const name of edits.remove) target.delete(name);
    for (const [name, value] of Object.entries(edits.set)) target.set(name, value);
  } else {
    for (const name of edits.remove) delete target[name];
    for (const [name, value] of Object.entries(edits.set)) target[name] = value;
  }
}

function isFetchHeaders(target: Headers | IncomingHttpHeaders): target is Headers {
  return typeof (target as Partial<Headers>).get === "function";
}

const GUARD_TOKEN = Symbol.for("kalshi-dashboard.request-guard-token");
type TokenHolder = { [GUARD_TOKEN]?: string };

/**
 * The mark the custom server's guard puts on a request it has handled. The
 * secret lives on `globalThis` because the guard (loaded by tsx) and the
 * proxy (bundled by Next.js) are separate copies of this module in one
 * process; under `next start` no guard ever created it, so nothing matches.
 */
export function guardedMark(): string {
  const holder = globalThis as TokenHolder;
  holder[GUARD_TOKEN] ??= randomBytes(24).toString("base64url");
  return holder[GUARD_TOKEN];
}

/** True when this process's guard has already applied the policy to the request. */
export function isGuardedRequest(headers: HeaderSource): boolean {
  const token = (globalThis as TokenHolder)[GUARD_TOKEN];
  const sent = readHeader(headers, GUARDED_HEADER);
  if (token === undefined || sent === undefined) return false;
  const expected = Buffer.from(token);
  const actual = Buffer.from(sent);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
