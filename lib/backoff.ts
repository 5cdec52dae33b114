/**
 * Reconnect delays for both hops (gateway → Kalshi in server/gateway/upstream.ts,
 * browser → gateway in lib/gateway/client.ts). Browser-safe.
 *
 * Most outages are short (a deploy, a network blip, an exchange restart), so
 * the first tries come quickly and the growth is capped early: doubling from
 * the first failure put a client 5-15 s behind a 3 s outage. Only after a
 * long run of failures does the delay grow to the ceiling, which keeps a long
 * outage cheap for the server and for us.
 */

/** Failures retried under the early cap (4 × base) before the delay keeps doubling. */
export const EARLY_ATTEMPTS = 8;

/**
 * The delay before reconnect attempt `attempt` (0 = the first retry after a
 * loss): cap = base·2^attempt, at most 4·base for the first EARLY_ATTEMPTS,
 * then doubling to `maxMs`; "equal jitter", uniform in [cap/2, cap], so
 * clients spread out but none retries at once in a tight loop.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const earlyCap = 4 * baseMs;
  const cap =
    attempt < EARLY_ATTEMPTS
      ? Math.min(baseMs * 2 ** attempt, earlyCap)
      : earlyCap * 2 ** Math.min(attempt - EARLY_ATTEMPTS + 1, 30);
  const bounded = Math.min(cap, maxMs);
  return Math.floor(bounded / 2 + (random() * bounded) / 2);
}
