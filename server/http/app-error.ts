/**
 * One error class and one funnel for every BFF route handler. Handlers throw
 * `AppError` (or let a ZodError or KalshiError escape); `toErrorResponse`
 * turns anything into `{ error: { code, message, field? } }` with the right
 * status. Unknown errors become a generic 500 and are logged once, never with
 * request bodies (they may hold keys).
 */
import { ZodError } from "zod";
import type { ApiErrorBody } from "@/lib/api-error";
import { isKalshiError, LOCAL_ERROR_CODES, type KalshiError } from "@/server/kalshi/errors";

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  /** Sent as Retry-After (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: string;
    message: string;
    status: number;
    field?: string;
    retryAfterSeconds?: number;
  }) {
    super(options.message);
    this.code = options.code;
    this.status = options.status;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const appErrors = {
  unauthenticated: () =>
    new AppError({ code: "unauthenticated", message: "Sign in to continue.", status: 401 }),
  forbiddenOrigin: () =>
    new AppError({
      code: "cross_site_request",
      message: "This request came from another site and was refused.",
      status: 403,
    }),
  reauthRequired: () =>
    new AppError({
      code: "reauth_required",
      message: "Please re-enter your password to continue.",
      status: 401,
    }),
  noCredential: () =>
    new AppError({
      code: "no_credential",
      message: "Add a Kalshi API key in Settings → API keys before trading.",
      status: 409,
    }),
  notFound: (what: string) =>
    new AppError({ code: "not_found", message: `${what} was not found.`, status: 404 }),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError({
      code: "too_many_attempts",
      message: `Too many attempts. Try again in ${retryAfterSeconds} s.`,
      status: 429,
      retryAfterSeconds,
    }),
} as const;

function body(code: string, message: string, field?: string): ApiErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** Maps any thrown value to the one JSON error response. */
export function toErrorResponse(error: unknown, context: { at: string } = { at: "api" }): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined)
      headers["retry-after"] = String(error.retryAfterSeconds);
    return Response.json(body(error.code, error.message, error.field), {
      status: error.status,
      headers,
    });
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.join(".") || undefined;
    const message = issue
      ? `${field ? `${field}: ` : ""}${issue.message}`
      : "The request was not valid.";
    return Response.json(body("invalid_request", message, field), { status: 400 });
  }
  if (isKalshiError(error)) {
    const mapped = kalshiErrorResponse(error);
    if (mapped.log) {
      // Never the request or response body: either may carry key material or account data.
      console.error(
        JSON.stringify({
          at: context.at,
          what: "kalshi request failed",
          method: error.method,
          path: error.path,
          status: error.status,
          code: error.code,
          attempts: error.attempts,
        }),
      );
    }
    return Response.json(body(mapped.code, mapped.message), { status: mapped.status });
  }
  console.error(
    JSON.stringify({
      at: context.at,
      what: "unhandled error",
      error: error instanceof Error ? error.name : typeof error,
    }),
  );
  return Response.json(body("internal_error", "Something went wrong on our side. Try again."), {
    status: 500,
  });
}

/** 503 answers that carry the exchange's own reason for not trading; passed on with their code. */
const EXCHANGE_STATE_CODES = new Set(["TRADING_PAUSED", "EXCHANGE_UNAVAILABLE", "EXCHANGE_CLOSED"]);

/**
 * How a Kalshi failure looks to the browser. The browser's session is not
 * what Kalshi judged: a Kalshi 401/403 means the stored API key is bad
 * (revoked, wrong environment, no write scope), so it is a 502 with its own
 * code rather than a 401 that would look like "signed out".
 */
function kalshiErrorResponse(error: KalshiError): {
  status: number;
  code: string;
  message: string;
  log: boolean;
} {
  if (error.status === 401 || error.status === 403) {
    return {
      status: 502,
      code: "kalshi_key_rejected",
      message: "Kalshi rejected your stored API key. Check the key in Settings → API keys.",
      log: true,
    };
  }
  if (error.status === 429) {
    return {
      status: 429,
      code: "rate_limited",
      message: "Kalshi is rate-limiting this key; try again in a moment.",
      log: true,
    };
  }
  if (error.code === LOCAL_ERROR_CODES.aborted) {
    // The browser went away (navigated, closed the tab) before Kalshi answered:
    // nobody reads this answer, and it is not a failure worth logging.
    return {
      status: 499,
      code: "client_closed_request",
      message: "The request was cancelled before Kalshi answered.",
      log: false,
    };
  }
  if (error.code === LOCAL_ERROR_CODES.timeout) {
    return {
      status: 504,
      code: "kalshi_timeout",
      message: "Kalshi did not answer in time. Try again.",
      log: true,
    };
  }
  if (error.status === 0) {
    return {
      status: 502,
      code: "kalshi_unreachable",
      message: "Could not reach Kalshi. Try again.",
      log: true,
    };
  }
  if (error.code === "invalid_response") {
    return {
      status: 502,
      code: "kalshi_invalid_response",
      message: "Kalshi sent an answer we could not read. Try again.",
      log: true,
    };
  }
  if (error.status === 503 && EXCHANGE_STATE_CODES.has(error.code.toUpperCase())) {
    // The exchange answered and said why it will not trade now (paused, closed for
    // maintenance): the trader needs those words, not a generic "Kalshi is having trouble".
    return {
      status: 503,
      code: error.code.toUpperCase(),
      message:
        error.code.toUpperCase() === "TRADING_PAUSED"
          ? "Trading is paused on the exchange; try again when it resumes."
          : "The exchange is not accepting orders right now (maintenance or a halt); try again later.",
      log: false,
    };
  }
  if (error.status >= 400 && error.status < 500) {
    // Business rejections keep Kalshi's code and status (INSUFFICIENT_BALANCE, MARKET_INACTIVE...).
    return { status: error.status, code: error.code, message: error.message, log: false };
  }
  return {
    status: 502,
    code: "kalshi_unavailable",
    message: "Kalshi is having trouble. Try again.",
    log: true,
  };
}
