/**
 * The one fetch to Kalshi REST. Every call goes through `KalshiTransport.request`:
 * build the URL from a route template, wait for rate budget, sign, send with a
 * per-attempt timeout, retry what is safe to retry, and validate the answer
 * with zod before anyone sees it. Failures always surface as `KalshiError`.
 */
import type { KeyObject } from "node:crypto";

import type { z } from "zod";

import type { KalshiClock } from "./clock";
import { KalshiError, LOCAL_ERROR_CODES, parseKalshiErrorBody } from "./errors";
import { costOf, type BucketName, type RateBudget, type RateLimiter } from "./rate-limits";
import { kalshiAuthHeaders } from "./signing";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Query values; `undefined` is left out, arrays are comma-joined (Kalshi's list style). */
export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestSpec<S extends z.ZodType> {
  method: HttpMethod;
  /** Route template below the REST base, e.g. "/markets/{ticker}". */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
  /** Which budget pays; default: GET → read, anything else → write. */
  bucket?: BucketName;
  /** Batch requests pay per item (rate_limits.md: "batch endpoints don't save tokens"). */
  items?: number;
  /**
   * Whether a 5xx, timeout or network failure may be retried: true when the
   * request can be repeated without doing its work twice. Default: GET and
   * DELETE yes, everything else no. (A 429 is always retried: the exchange
   * rejected it before doing anything.)
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface RetryPolicy {
  /** Most sends of one request, first included. */
  maxAttempts: number;
  /** Backoff before retry n is uniform in [0, min(capMs, baseMs × 2^(n-1))] ("full jitter"). */
  baseMs: number;
  capMs: number;
}

export interface TransportOptions {
  restBaseUrl: string;
  /** Absent for the public (unauthenticated) client. */
  auth?: { apiKeyId: string; privateKey: KeyObject };
  clock: KalshiClock;
  random: () => number;
  fetch: typeof fetch;
  /** Budget of one attempt, ms. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Past this, waiting for our own bucket fails fast with rate_limited instead. */
  maxQueueWaitMs: number;
  limiter: RateLimiter;
  /** How to learn this credential's real limits (signed clients only). */
  loadBudget?: () => Promise<RateBudget>;
  log: (entry: Record<string, unknown>) => void;
}

/**
 * Added to every wait for our own bucket: timers may fire a millisecond early
 * and the exchange's refill is exact, so arriving exactly on time can still
 * be a token short.
 */
export const PACING_MARGIN_MS = 5;

/** Retry decisions, exported for tests of the policy itself. */
export function backoffDelayMs(
  policy: RetryPolicy,
  retryNumber: number,
  random: () => number,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(retryNumber - 1, 0));
  return Math.floor(random() * ceiling);
}

export class KalshiTransport {
  readonly restBaseUrl: string;

  constructor(private readonly options: TransportOptions) {
    this.restBaseUrl = options.restBaseUrl.replace(/\/+$/, "");
  }

  /** Sends one logical request (possibly several attempts) and returns the validated body. */
  async request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.output<S>> {
    const { method } = spec;
    const path = fillRoute(spec.route, spec.params ?? {});
    const url = new URL(this.restBaseUrl + path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
    }
    const idempotent = spec.idempotent ?? (method === "GET" || method === "DELETE");
    // Sends answered 429: the exchange refused them before doing anything.
    let rateLimited = 0;
    const failure = (init: {
      status: number;
      code: string;
      message: string;
      attempts: number;
      details?: string;
      cause?: unknown;
    }) =>
      new KalshiError({ ...init, method, path, deliveredAttempts: init.attempts - rateLimited });

    if (this.options.loadBudget) await this.options.limiter.ensureLoaded(this.options.loadBudget);
    const bucketName = spec.bucket ?? (method === "GET" ? "read" : "write");
    const bucket = this.options.limiter.bucket(bucketName);
    const cost = costOf(this.options.limiter.current, method, spec.route) * (spec.items ?? 1);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const { retry } = this.options;

    for (let attempt = 1; ; attempt += 1) {
      await this.waitForBudget(bucket, cost, bucketName, spec.signal, (init) =>
        failure({ ...init, attempts: attempt - 1 }),
      );
      const outcome = await this.send(method, url, body, spec.signal);
      const canRetry = attempt < retry.maxAttempts && !spec.signal?.aborted;

      if (outcome.kind === "no-response") {
        if (spec.signal?.aborted) {
          throw failure({
            status: 0,
            code: LOCAL_ERROR_CODES.aborted,
            message: `${method} ${path} was cancelled`,
            attempts: attempt,
            cause: outcome.cause,
          });
        }
        if (idempotent && canRetry) {
          await this.backoff(attempt, spec.signal);
          continue;
        }
        throw failure({
          status: 0,
          code: outcome.timedOut ? LOCAL_ERROR_CODES.timeout : LOCAL_ERROR_CODES.network,
          message: outcome.timedOut
            ? `Kalshi did not answer ${method} ${path} within ${this.options.timeoutMs} ms`
            : `Could not reach Kalshi for ${method} ${path}`,
          attempts: attempt,
          cause: outcome.cause,
        });
      }

      const { status, json } = outcome;
      if (status === 429) {
        rateLimited += 1;
        // Someone else spends this key too, or our limits are stale: pace everyone down.
        bucket.drain();
        if (canRetry) {
          await this.backoff(attempt, spec.signal);
          continue;
        }
        this.options.log({
          at: "kalshi.request",
          what: "rate limited after retries",
          method,
          path,
          attempts: attempt,
        });
        throw failure({
          status: 429,
          code: LOCAL_ERROR_CODES.rateLimited,
          message: parseKalshiErrorBody(json).message ?? "too many requests",
          attempts: attempt,
        });
      }
      if (status >= 500 && idempotent && canRetry) {
        await this.backoff(attempt, spec.signal);
        continue;
      }
      if (status < 200 || status >= 300) {
        const parsed = parseKalshiErrorBody(json);
        throw failure({
          status,
          code: parsed.code ?? LOCAL_ERROR_CODES.http,
          message: parsed.message ?? `Kalshi answered ${method} ${path} with HTTP ${status}`,
          details: parsed.details,
          attempts: attempt,
        });
      }

      const result = spec.schema.safeParse(json);
      if (!result.success) {
        const first = result.error.issues[0];
        const where = first ? first.path.join(".") || "(root)" : "(root)";
        throw failure({
          status,
          code: LOCAL_ERROR_CODES.invalidResponse,
          message: `Unexpected response from ${method} ${path}: ${where}: ${first?.message ?? "invalid"}`,
          attempts: attempt,
          cause: result.error,
        });
      }
      return result.data;
    }
  }

  private async waitForBudget(
    bucket: ReturnType<RateLimiter["bucket"]>,
    cost: number,
    bucketName: BucketName,
    signal: AbortSignal | undefined,
    failure: (init: {
      status: number;
      code: string;
      message: string;
      cause?: unknown;
    }) => KalshiError,
  ): Promise<void> {
    if (cost > bucket.capacity) {
      throw failure({
        status: 400,
        code: LOCAL_ERROR_CODES.exceedsBudget,
        message: `This request costs ${cost} tokens but this key's ${bucketName} budget holds at most ${bucket.capacity}; send fewer orders per batch.`,
      });
    }
    const waitMs = bucket.reserve(cost);
    if (waitMs === 0) return;
    if (waitMs > this.options.maxQueueWaitMs) {
      bucket.refund(cost);
      throw failure({
        status: 429,
        code: LOCAL_ERROR_CODES.rateLimited,
        message: `The ${bucketName} budget of this key is exhausted for the next ${waitMs} ms`,
      });
    }
    try {
      await this.options.clock.sleep(waitMs + PACING_MARGIN_MS, signal);
    } catch (cause) {
      bucket.refund(cost);
      throw failure({
        status: 0,
        code: LOCAL_ERROR_CODES.aborted,
        message: "cancelled while waiting for rate budget",
        cause,
      });
    }
  }

  private async backoff(attempt: number, signal: AbortSignal | undefined): Promise<void> {
    const delay = backoffDelayMs(this.options.retry, attempt, this.options.random);
    await this.options.clock.sleep(delay, signal).catch(() => undefined);
  }

  private async send(
    method: HttpMethod,
    url: URL,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<
    | { kind: "response"; status: number; json: unknown }
    | { kind: "no-response"; timedOut: boolean; cause: unknown }
  > {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.options.auth) {
      Object.assign(
        headers,
        kalshiAuthHeaders({
          apiKeyId: this.options.auth.apiKeyId,
          privateKey: this.options.auth.privateKey,
          method,
          path: url.pathname,
          timestampMs: this.options.clock.now(),
        }),
      );
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await this.options.fetch(url, { method, headers, body, signal: combined });
      // Reading the body is part of the attempt: a stalled body is a timeout too.
      const text = await response.text();
      return { kind: "response", status: response.status, json: safeJsonParse(text) };
    } catch (cause) {
      return { kind: "no-response", timedOut: timeout.aborted && !signal?.aborted, cause };
    }
  }
}

/** "/markets/{ticker}" + {ticker:"A B"} → "/markets/A%20B"; a missing param is a programming error. */
export function fillRoute(route: string, params: Record<string, string>): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing route parameter ${name} for ${route}`);
    return encodeURIComponent(value);
  });
}

function safeJsonParse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
