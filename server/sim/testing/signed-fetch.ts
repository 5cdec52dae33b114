/**
 * Test helper: a `fetch` that signs every request the way Kalshi clients do
 * (api_keys.md): RSA-PSS with SHA-256, MGF1-SHA256 and a digest-length salt
 * over `timestampMs + METHOD + path`, where the path is the URL's pathname
 * without the query string. Reused by integration tests across the simulator.
 */
import { constants, createPrivateKey, sign, type KeyObject } from "node:crypto";

export interface KalshiAuthHeaders {
  "KALSHI-ACCESS-KEY": string;
  "KALSHI-ACCESS-TIMESTAMP": string;
  "KALSHI-ACCESS-SIGNATURE": string;
}

export interface SignRequestInput {
  apiKeyId: string;
  /** PKCS#8 or PKCS#1 PEM, or an already parsed key. */
  privateKey: string | KeyObject;
  method: string;
  /** Full path from the host ("/trade-api/v2/portfolio/balance"); any query is stripped before signing. */
  path: string;
  /** Default Date.now(); tests pass stale or future values on purpose. */
  timestampMs?: number;
}

/** The three KALSHI-ACCESS-* headers for one request. */
export function signRequest(input: SignRequestInput): KalshiAuthHeaders {
  const timestamp = String(input.timestampMs ?? Date.now());
  const pathOnly = input.path.split("?")[0] ?? "";
  const key =
    typeof input.privateKey === "string" ? createPrivateKey(input.privateKey) : input.privateKey;
  const signature = sign(
    "sha256",
    Buffer.from(timestamp + input.method.toUpperCase() + pathOnly, "utf8"),
    {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    },
  );
  return {
    "KALSHI-ACCESS-KEY": input.apiKeyId,
    "KALSHI-ACCESS-TIMESTAMP": timestamp,
    "KALSHI-ACCESS-SIGNATURE": signature.toString("base64"),
  };
}

export interface SignedFetchOptions {
  /** e.g. "http://127.0.0.1:8787/trade-api/v2" (as `RunningSim.restBaseUrl`). */
  restBaseUrl: string;
  apiKeyId: string;
  privateKeyPem: string;
  /** Clock for the timestamp header, default Date.now (use the sim's clock with a ManualClock). */
  now?: () => number;
}

/**
 * `(path, init) => Response`: `path` is relative to restBaseUrl
 * ("/portfolio/balance?limit=5") or an absolute URL. A JSON-looking string
 * body gets `content-type: application/json` unless init sets one.
 */
export type SignedFetch = (path: string, init?: RequestInit) => Promise<Response>;

export function createSignedFetch(options: SignedFetchOptions): SignedFetch {
  const key = createPrivateKey(options.privateKeyPem);
  const base = options.restBaseUrl.replace(/\/+$/, "");
  const now = options.now ?? Date.now;
  return async (path, init = {}) => {
    const url = new URL(
      /^https?:\/\//.test(path) ? path : `${base}${path.startsWith("/") ? "" : "/"}${path}`,
    );
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    const auth = signRequest({
      apiKeyId: options.apiKeyId,
      privateKey: key,
      method,
      path: url.pathname,
      timestampMs: now(),
    });
    for (const [name, value] of Object.entries(auth)) headers.set(name, value);
    if (typeof init.body === "string" && !headers.has("content-type"))
      headers.set("content-type", "application/json");
    return fetch(url, { ...init, method, headers });
  };
}
