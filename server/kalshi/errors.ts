/**
 * The one error type for anything that goes wrong talking to Kalshi REST.
 *
 * Kalshi rejections keep Kalshi's own `code` (e.g. "insufficient_balance",
 * "market_inactive") so the BFF can pass it on; failures that never got a
 * usable answer get one of our codes below and `status` 0 when there was no
 * HTTP response at all.
 */

/** Codes we assign ourselves when Kalshi did not give one. */
export const LOCAL_ERROR_CODES = {
  /** The request did not finish within its time budget. */
  timeout: "timeout",
  /** DNS, connection refused, reset... no HTTP response. */
  network: "network_error",
  /** A 2xx whose body did not match the expected schema. */
  invalidResponse: "invalid_response",
  /** A non-2xx without a recognisable Kalshi error body. */
  http: "http_error",
  /** Still rate-limited after our bounded retries, or our own queue would wait too long. */
  rateLimited: "rate_limited",
  /** The request costs more tokens than the key's bucket can ever hold (split the batch). */
  exceedsBudget: "exceeds_rate_budget",
  /** The caller gave up (its AbortSignal fired) before an answer arrived. */
  aborted: "aborted",
  /** A create's client_order_id already names a different order (Kalshi only says ORDER_ALREADY_EXISTS). */
  clientOrderIdReused: "client_order_id_reused",
  /** A transfer's client_transfer_id was already used, and not by an earlier attempt of this transfer. */
  clientTransferIdReused: "client_transfer_id_reused",
} as const;

export interface KalshiErrorInit {
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** Kalshi's error code, or one of LOCAL_ERROR_CODES. */
  code: string;
  message: string;
  /** Kalshi's optional `details` text. */
  details?: string;
  method: string;
  /** Request path relative to the REST base, without the query, e.g. "/markets". */
  path: string;
  /** How many times the request was sent (retries included); 0 if it never left. */
  attempts?: number;
  /**
   * How many of those sends the exchange may have acted on: every send except
   * those answered 429 (rate limiting rejects before doing any work). Default: `attempts`.
   */
  deliveredAttempts?: number;
  cause?: unknown;
}

export class KalshiError extends Error {
  override readonly name = "KalshiError";
  readonly status: number;
  readonly code: string;
  readonly details: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly deliveredAttempts: number;

  constructor(init: KalshiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts ?? 1;
    this.deliveredAttempts = init.deliveredAttempts ?? this.attempts;
  }

  /** True for failures worth retrying later (timeouts, network, 429, 5xx). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * True for a KalshiError, including one made by another copy of this module
 * (server/main.ts and the Next.js bundle each load their own; the market-data
 * service created by one answers requests handled by the other).
 */
export function isKalshiError(error: unknown): error is KalshiError {
  if (error instanceof KalshiError) return true;
  if (!(error instanceof Error) || error.name !== "KalshiError") return false;
  const candidate = error as Partial<KalshiError>;
  return typeof candidate.status === "number" && typeof candidate.code === "string";
}

/**
 * Extracts Kalshi's code and message from an error body. Kalshi answers
 * `{"error":{"code","message","details"}}`, some endpoints `{"code","message"}`,
 * and rate limiting `{"error":"too many requests"}`.
 */
export function parseKalshiErrorBody(body: unknown): {
  code: string | undefined;
  message: string | undefined;
  details: string | undefined;
} {
  const none = { code: undefined, message: undefined, details: undefined };
  if (!isRecord(body)) return none;
  const inner = body.error;
  if (typeof inner === "string") return { ...none, message: inner };
  const source = isRecord(inner) ? inner : body;
  return {
    code: stringOrUndefined(source.code),
    message: stringOrUndefined(source.message),
    details: stringOrUndefined(source.details),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
