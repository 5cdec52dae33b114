/**
 * Proves a key works before we store it: one signed `GET /portfolio/balance`
 * against the chosen environment, with failures turned into advice.
 *
 * A minimal signed GET of its own, because server/kalshi/client.ts did not
 * exist when onboarding was written; it signs exactly as Kalshi documents
 * (RSA-PSS, SHA-256, salt = digest length, over timestampMs + METHOD + path
 * without the query).
 */
import { constants, sign, type KeyObject } from "node:crypto";

import { ENVIRONMENT_LABELS } from "@/lib/schemas/credential";
import type { KalshiEnvironment } from "@/server/auth/trader-route";
import type { EnvironmentEndpoints } from "@/server/credentials/endpoints";
import { AppError } from "@/server/http/app-error";

/** Our clock may differ from the exchange's by this much before we blame it. */
const CLOCK_SKEW_TOLERANCE_MS = 10_000;
const TIMEOUT_MS = 8_000;
/** Probing the other environments after a 401 must not hold the form long. */
const PROBE_TIMEOUT_MS = 4_000;

export interface ValidateCredentialInput {
  apiKeyId: string;
  privateKey: KeyObject;
  environment: KalshiEnvironment;
  endpoints: EnvironmentEndpoints;
  /** Clock used for the signature timestamp (tests skew it). */
  now?: () => number;
}

interface ProbeResult {
  kind: "ok" | "unauthorized" | "other" | "unreachable";
  status: number;
  message: string;
  /** Exchange clock minus ours, from the Date header, when known. */
  skewMs: number | undefined;
}

/** Signs and sends `GET {restBaseUrl}/portfolio/balance`. */
async function probeBalance(
  restBaseUrl: string,
  apiKeyId: string,
  privateKey: KeyObject,
  now: () => number,
  timeoutMs: number,
): Promise<ProbeResult> {
  const url = new URL(`${restBaseUrl.replace(/\/+$/, "")}/portfolio/balance`);
  const timestamp = String(now());
  const signature = sign("sha256", Buffer.from(`${timestamp}GET${url.pathname}`, "utf8"), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString("base64");
  let response: Response;
  const sentAt = Date.now();
  try {
    response = await fetch(url, {
      headers: {
        accept: "application/json",
        "KALSHI-ACCESS-KEY": apiKeyId,
        "KALSHI-ACCESS-TIMESTAMP": timestamp,
        "KALSHI-ACCESS-SIGNATURE": signature,
      },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
  } catch {
    return { kind: "unreachable", status: 0, message: "", skewMs: undefined };
  }
  const dateHeader = response.headers.get("date");
  const exchangeMs = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  // The Date header has one-second resolution; compare against the midpoint of the request.
  const skewMs = Number.isNaN(exchangeMs) ? undefined : exchangeMs - (sentAt + Date.now()) / 2;
  let message = "";
  try {
    const body = (await response.json()) as {
      error?: { message?: unknown } | string;
      message?: unknown;
    };
    const inner =
      typeof body.error === "object" && body.error !== null ? body.error.message : body.error;
    message =
      typeof inner === "string" ? inner : typeof body.message === "string" ? body.message : "";
  } catch {
    message = "";
  }
  const kind = response.ok ? "ok" : response.status === 401 ? "unauthorized" : "other";
  return { kind, status: response.status, message, skewMs };
}

/** "timestamp is 120s old", "timestamp outside the window"… but not "sign timestamp + METHOD + path". */
function looksLikeTimestampRejection(message: string): boolean {
  return /timestamp/i.test(message) && /\b(old|future|expired|skew|clock|window)\b/i.test(message);
}

function fail(code: string, message: string, status: number, field?: string): AppError {
  return new AppError({ code, message, status, ...(field ? { field } : {}) });
}

/** Resolves when the key can read its balance on `environment`; otherwise throws an actionable AppError. */
export async function validateCredential(input: ValidateCredentialInput): Promise<void> {
  const now = input.now ?? Date.now;
  const label = ENVIRONMENT_LABELS[input.environment];
  const target = input.endpoints[input.environment];
  if (!target) {
    throw fail(
      "environment_unavailable",
      `${label} is not available on this server${input.environment === "sim" ? " (it is not running the simulator)" : ""}. Choose another environment.`,
      422,
      "environment",
    );
  }
  const result = await probeBalance(
    target.restBaseUrl,
    input.apiKeyId,
    input.privateKey,
    now,
    TIMEOUT_MS,
  );
  if (result.kind === "ok") return;
  if (result.kind === "unreachable") {
    throw fail(
      "exchange_unreachable",
      `Could not reach ${label} (${new URL(target.restBaseUrl).host}) to check the key. Try again in a moment.`,
      502,
    );
  }
  if (result.kind === "other") {
    if (result.status === 403) {
      throw fail(
        "key_not_permitted",
        "The exchange recognised the key but refused to show its balance. Create a key with read access.",
        422,
        "apiKeyId",
      );
    }
    throw fail(
      "exchange_error",
      `${label} answered ${result.status} while checking the key. Try again in a moment.`,
      502,
    );
  }
  // 401: clock, environment, or the key itself.
  const skewSeconds = result.skewMs === undefined ? undefined : Math.round(result.skewMs / 1000);
  if (
    (result.skewMs !== undefined && Math.abs(result.skewMs) > CLOCK_SKEW_TOLERANCE_MS) ||
    looksLikeTimestampRejection(result.message)
  ) {
    const by =
      skewSeconds !== undefined && Math.abs(skewSeconds) > 1
        ? ` by about ${Math.abs(skewSeconds)} s (ours is ${skewSeconds > 0 ? "behind" : "ahead"})`
        : "";
    throw fail(
      "clock_skew",
      `The exchange rejected the request's timestamp: this server's clock differs from the exchange's${by}. Sync the server's clock (NTP) and try again; the key itself may be fine.`,
      422,
    );
  }
  const others = (["sim", "demo", "prod"] as const).filter(
    (env) => env !== input.environment && input.endpoints[env] !== undefined,
  );
  const probes = await Promise.all(
    others.map(async (env) => {
      const endpoints = input.endpoints[env];
      if (!endpoints) return null;
      const probe = await probeBalance(
        endpoints.restBaseUrl,
        input.apiKeyId,
        input.privateKey,
        now,
        PROBE_TIMEOUT_MS,
      );
      return probe.kind === "ok" ? env : null;
    }),
  );
  const belongsTo = probes.find((env): env is KalshiEnvironment => env !== null);
  if (belongsTo) {
    throw fail(
      "wrong_environment",
      `This key is not valid on ${label}, but it works on ${ENVIRONMENT_LABELS[belongsTo]}: choose "${belongsTo}" as the environment.`,
      422,
      "environment",
    );
  }
  throw fail(
    "key_mismatch",
    `${label} did not accept this key: the key id and private key do not match (or the key was revoked). Check that both come from the same API key, or create a new one.`,
    422,
    "apiKeyId",
  );
}
