/**
 * Kalshi request signing (getting_started/api_keys.md): RSA-PSS with SHA-256,
 * MGF1-SHA256 and a salt as long as the digest, over
 * `timestampMs + METHOD + path`, where the path starts at the host
 * ("/trade-api/v2/portfolio/balance") and never includes the query string.
 *
 * Always sign with an already parsed `KeyObject`: parsing a PEM costs more
 * than the signature itself (see bench/kalshi-signing.bench.ts).
 */
import { constants, sign, type KeyObject } from "node:crypto";

export interface KalshiAuthHeaders {
  "KALSHI-ACCESS-KEY": string;
  "KALSHI-ACCESS-TIMESTAMP": string;
  "KALSHI-ACCESS-SIGNATURE": string;
}

/** The exact bytes Kalshi verifies; exported for tests. */
export function signingPayload(timestampMs: number, method: string, path: string): string {
  const pathOnly = path.split("?")[0] ?? "";
  return `${timestampMs}${method.toUpperCase()}${pathOnly}`;
}

/** Base64 RSA-PSS signature of one request. */
export function signKalshiRequest(
  privateKey: KeyObject,
  timestampMs: number,
  method: string,
  path: string,
): string {
  return sign("sha256", Buffer.from(signingPayload(timestampMs, method, path), "utf8"), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString("base64");
}

/** The three KALSHI-ACCESS-* headers for `method path` at `timestampMs`. */
export function kalshiAuthHeaders(input: {
  apiKeyId: string;
  privateKey: KeyObject;
  method: string;
  path: string;
  timestampMs: number;
}): KalshiAuthHeaders {
  return {
    "KALSHI-ACCESS-KEY": input.apiKeyId,
    "KALSHI-ACCESS-TIMESTAMP": String(input.timestampMs),
    "KALSHI-ACCESS-SIGNATURE": signKalshiRequest(
      input.privateKey,
      input.timestampMs,
      input.method,
      input.path,
    ),
  };
}
