/**
 * One upstream call for identical concurrent requests, and a short-lived
 * cache of the answer. Every public read the in-memory universe does not
 * answer goes through here (books nobody streams, trades, candles it has not
 * cached yet, exchange status, collections, historical markets).
 *
 * A caller's AbortSignal only stops that caller waiting: the shared call runs
 * on (bounded by the client's own timeout) for the others and for the cache.
 * "Not found" answers are cached like answers, so a flood of one unknown
 * ticker is one call per TTL too; other failures are not cached.
 */
import { isKalshiError, KalshiError, LOCAL_ERROR_CODES } from "@/server/kalshi/errors";

/** Entries kept at most; the oldest are dropped first (bounds memory under a spray of keys). */
const MAX_ENTRIES = 10_000;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Entry {
  settled: Settled<unknown>;
  expires: number;
}

export class Coalescer {
  private readonly inflight = new Map<string, Promise<Settled<unknown>>>();
  private readonly cache = new Map<string, Entry>();
  /** Upstream calls started, answers served from the cache, callers that joined a call in flight. */
  readonly stats = { calls: 0, hits: 0, joined: 0 };

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The cached answer for `key`, the call in flight for it, or a new call of
   * `fetch` whose answer is kept `ttlMs`.
   */
  async get<T>(
    key: string,
    ttlMs: number,
    fetch: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) {
      this.stats.hits += 1;
      return unwrap(cached.settled as Settled<T>);
    }
    let call = this.inflight.get(key) as Promise<Settled<T>> | undefined;
    if (call) this.stats.joined += 1;
    else {
      this.stats.calls += 1;
      call = fetch().then(
        (value): Settled<T> => ({ ok: true, value }),
        (error: unknown): Settled<T> => ({ ok: false, error }),
      );
      const started = call;
      this.inflight.set(key, started);
      void started.then((settled) => {
        if (this.inflight.get(key) === started) this.inflight.delete(key);
        if (ttlMs > 0 && (settled.ok || isNotFound(settled.error))) {
          this.cache.delete(key);
          this.cache.set(key, { settled, expires: this.now() + ttlMs });
          if (this.cache.size > MAX_ENTRIES) {
            const oldest = this.cache.keys().next().value;
            if (oldest !== undefined) this.cache.delete(oldest);
          }
        }
      });
    }
    return unwrap(await raceAbort(call, signal, key));
  }

  /** Forgets the cached answer of `key` (its data changed upstream). */
  invalidate(key: string): void {
    this.cache.delete(key);
  }

  /** Forgets every cached answer whose key starts with `prefix`. */
  invalidatePrefix(prefix: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }
}

function isNotFound(error: unknown): boolean {
  return isKalshiError(error) && error.status === 404;
}

function unwrap<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  key: string,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(key));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(key));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** The caller went away: the same error the Kalshi client gives (the BFF answers 499). */
function abortError(key: string): KalshiError {
  return new KalshiError({
    status: 0,
    code: LOCAL_ERROR_CODES.aborted,
    message: "The caller stopped waiting for the answer.",
    method: "GET",
    path: key.split(" ")[0] ?? key,
    attempts: 0,
  });
}
