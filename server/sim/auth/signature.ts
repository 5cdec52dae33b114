/**
 * Kalshi request authentication: RSA-PSS (SHA-256, MGF1-SHA256, salt length =
 * digest length) over `timestamp + METHOD + path`, where the path has no host
 * and no query string. The same check guards the WebSocket upgrade.
 */
import { constants, createPublicKey, verify, type KeyObject } from "node:crypto";
import { SimError } from "@/server/sim/errors";
import type { ApiKeyRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

/** How far a request timestamp may be from the exchange clock (either way). */
export const SIGNATURE_WINDOW_MS = 30_000;

const keyObjects = new WeakMap<ApiKeyRecord, KeyObject>();

function publicKeyOf(record: ApiKeyRecord): KeyObject {
  let key = keyObjects.get(record);
  if (!key) {
    key = createPublicKey(record.publicKeyPem);
    keyObjects.set(record, key);
  }
  return key;
}

export interface AuthHeaders {
  key: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export interface Authenticated {
  user: UserRecord;
  apiKey: ApiKeyRecord;
}

const unauthorized = (message: string) => new SimError(401, "unauthorized", message);

/** Verifies the three KALSHI-ACCESS-* headers for `method path`; throws a 401 SimError. */
export function authenticate(
  state: SimState,
  headers: AuthHeaders,
  method: string,
  path: string,
): Authenticated {
  const { key, timestamp, signature } = headers;
  if (!key || !timestamp || !signature) {
    const missing = [
      !key && "KALSHI-ACCESS-KEY",
      !timestamp && "KALSHI-ACCESS-TIMESTAMP",
      !signature && "KALSHI-ACCESS-SIGNATURE",
    ].filter(Boolean);
    throw unauthorized(`missing authentication header(s): ${missing.join(", ")}`);
  }
  if (!/^\d{13}$/.test(timestamp)) {
    throw unauthorized("KALSHI-ACCESS-TIMESTAMP must be Unix time in milliseconds (13 digits)");
  }
  const skew = Number(timestamp) - state.now();
  if (Math.abs(skew) > SIGNATURE_WINDOW_MS) {
    throw unauthorized(
      `KALSHI-ACCESS-TIMESTAMP is ${Math.round(Math.abs(skew) / 1000)}s ${skew > 0 ? "in the future" : "old"}; ` +
        `requests must be signed within ${SIGNATURE_WINDOW_MS / 1000}s of the exchange clock`,
    );
  }
  const apiKey = state.apiKeys.get(key);
  if (!apiKey) throw unauthorized("unknown API key id in KALSHI-ACCESS-KEY");
  const user = state.users.get(apiKey.userId);
  if (!user) throw unauthorized("the API key's account no longer exists");
  const signed = Buffer.from(timestamp + method.toUpperCase() + path, "utf8");
  let valid = false;
  try {
    valid = verify(
      "sha256",
      signed,
      {
        key: publicKeyOf(apiKey),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      },
      Buffer.from(signature, "base64"),
    );
  } catch {
    valid = false;
  }
  if (!valid) {
    throw unauthorized(
      "KALSHI-ACCESS-SIGNATURE does not verify: sign timestamp + METHOD + path (no query) with RSA-PSS SHA-256",
    );
  }
  return { user, apiKey };
}
