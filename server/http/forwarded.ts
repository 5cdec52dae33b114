/**
 * What the browser addressed and who the client is, believing reverse-proxy
 * headers (X-Forwarded-For/-Host/-Proto) only as far as TRUST_PROXY says.
 *
 * One rule for every caller: the CSRF origin check of the BFF routes, the
 * WebSocket gateway's origin check, client addresses for throttling and the
 * audit log. With TRUST_PROXY unset, a client that sends X-Forwarded-Host
 * cannot make its own origin look like ours.
 */
import { getServerConfig } from "@/server/config";

/**
 * Set by the security policy (server/http/security-policy.ts) on every
 * request, after deleting whatever the client sent under this name: the
 * client address the app code reads. From the socket under server/main.ts;
 * under `next start` (proxy.ts, no socket) the trusted X-Forwarded-For entry,
 * else "unknown".
 */
export const CLIENT_ADDRESS_HEADER = "x-kd-client-address";

/** A header reader over either a Fetch `Headers` or Node's `IncomingHttpHeaders`. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** One header's value (repeated Node headers joined with commas); undefined when absent. */
export function readHeader(source: HeaderSource, name: string): string | undefined {
  if (typeof (source as Headers).get === "function")
    return (source as Headers).get(name) ?? undefined;
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Trusted proxy hops from the configuration (TRUST_PROXY). */
export function trustedProxyHops(): number {
  return getServerConfig().trustProxyHops;
}

/**
 * The entry of a comma-separated forwarded header written by the outermost
 * trusted proxy: each proxy appends, so with `hops` trusted proxies the one
 * to believe is `hops` from the right. Entries further left came from the
 * client and are ignored. undefined when nothing is trusted or present.
 */
export function trustedForwardedValue(
  source: HeaderSource,
  name: string,
  hops = trustedProxyHops(),
): string | undefined {
  if (hops <= 0) return undefined;
  const raw = readHeader(source, name);
  if (!raw) return undefined;
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return undefined;
  return entries[Math.max(0, entries.length - hops)];
}

/**
 * The origin (scheme://host[:port]) the browser used to reach this server:
 * the trusted forwarded host and scheme behind a proxy, else the Host header
 * and the connection's own scheme.
 */
export function requestOrigin(
  source: HeaderSource,
  connectionProtocol: "http" | "https",
  hops = trustedProxyHops(),
): string | undefined {
  const host =
    trustedForwardedValue(source, "x-forwarded-host", hops) ?? readHeader(source, "host");
  if (!host) return undefined;
  const forwardedProto = trustedForwardedValue(source, "x-forwarded-proto", hops);
  const proto =
    forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : connectionProtocol;
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** True when the request reached us over TLS (directly, or via a trusted proxy that says so). */
export function isSecureRequest(
  source: HeaderSource,
  connectionEncrypted: boolean,
  hops = trustedProxyHops(),
): boolean {
  if (connectionEncrypted) return true;
  return trustedForwardedValue(source, "x-forwarded-proto", hops) === "https";
}

/**
 * The client's address: the trusted X-Forwarded-For entry behind a proxy,
 * else the socket's peer address.
 */
export function clientAddressOf(
  source: HeaderSource,
  socketAddress: string | undefined,
  hops = trustedProxyHops(),
): string {
  return trustedForwardedValue(source, "x-forwarded-for", hops) ?? socketAddress ?? "unknown";
}

/**
 * The client address app code sees: set by the security policy on every
 * request (server/main.ts's request guard, or proxy.ts under `next start`).
 */
export function clientAddressFromHeaders(source: HeaderSource): string {
  return readHeader(source, CLIENT_ADDRESS_HEADER) ?? clientAddressOf(source, undefined);
}

/** The app's public origin when configured (AUTH_URL, Auth.js's own variable), else none. */
export function configuredOrigins(): string[] {
  const configured = process.env.AUTH_URL ?? process.env.NEXTAUTH_URL;
  if (!configured) return [];
  try {
    return [new URL(configured).origin];
  } catch {
    // An unparsable AUTH_URL allows nothing extra.
    return [];
  }
}

/**
 * True when `origin` (a browser's Origin header) is this site: the origin the
 * browser used for this request (forwarded headers only when trusted), the
 * configured AUTH_URL, or one of `extraOrigins`.
 */
export function isSameSiteOrigin(
  origin: string,
  source: HeaderSource,
  connectionProtocol: "http" | "https",
  extraOrigins: Iterable<string> = [],
  hops = trustedProxyHops(),
): boolean {
  const normalized = origin.replace(/\/+$/, "");
  for (const allowed of [...extraOrigins, ...configuredOrigins()])
    if (allowed.replace(/\/+$/, "") === normalized) return true;
  const own = requestOrigin(source, connectionProtocol, hops);
  return own !== undefined && own === normalized;
}
