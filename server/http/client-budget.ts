/**
 * A fair share of the public routes for every client: a token bucket per
 * client (signed in: per user, whatever address they come from; signed out:
 * per client address, as the request guard determined it under TRUST_PROXY),
 * refilled at PUBLIC_RATE_PER_SECOND up to PUBLIC_RATE_BURST. One client's
 * flood then costs that client 429s (with our own message naming our limit)
 * while everybody else is served.
 *
 * Applied to the public API routes by publicRoute (server/http/public-route.ts)
 * and to the public pages by server/main.ts; pages and API calls of one
 * client draw from the same bucket. The buckets live on globalThis so both
 * module copies (server/main's and the Next.js bundle's) count together.
 * Per instance: several instances behind a load balancer each give a client
 * its share (docs/market-data.md).
 */
import { decodeSessionCookie } from "@/server/auth/session";
import { getServerConfig } from "@/server/config";
import { clientAddressFromHeaders, type HeaderSource } from "@/server/http/forwarded";

/** Buckets kept at most; the least recently used are forgotten first (a spray of addresses). */
const MAX_BUCKETS = 100_000;

export interface BudgetPolicy {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export type BudgetDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class ClientBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly policy: () => BudgetPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request's token from `key`'s bucket. */
  take(key: string): BudgetDecision {
    const { perSecond, burst } = this.policy();
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    // Re-inserted: Map order is "least recently used first".
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
    };
  }

  clear(): void {
    this.buckets.clear();
  }
}

const SLOT = Symbol.for("kalshi-dashboard.client-budget");
type GlobalWithBudget = typeof globalThis & { [SLOT]?: ClientBudget };

/** The process's budget of the public routes. */
export function publicBudget(): ClientBudget {
  const store = globalThis as GlobalWithBudget;
  store[SLOT] ??= new ClientBudget(() => getServerConfig().publicBudget);
  return store[SLOT];
}

/** Forgets every bucket (tests). */
export function resetPublicBudgetForTests(): void {
  delete (globalThis as GlobalWithBudget)[SLOT];
}

/**
 * Who a request counts against: `user:<id>` with a valid session cookie
 * (signature and lifetime checked, no database), else `address:<client address>`.
 */
export async function budgetKeyOf(headers: HeaderSource): Promise<string> {
  const cookie =
    typeof (headers as Headers).get === "function"
      ? (headers as Headers).get("cookie")
      : ((headers as Record<string, string | string[] | undefined>).cookie as string | undefined);
  if (cookie) {
    const claims = await decodeSessionCookie(cookie).catch(() => null);
    if (claims) return `user:${claims.userId}`;
  }
  return `address:${clientAddressFromHeaders(headers)}`;
}

/** The 429 body: our limit, in the project's error shape. */
export function budgetRefusal(retryAfterSeconds: number): {
  status: 429;
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
} {
  const { perSecond, burst } = getServerConfig().publicBudget;
  return {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds), "cache-control": "no-store" },
    body: {
      error: {
        code: "too_many_requests",
        message: `Too many requests from you: this site serves each visitor up to ${perSecond} market-data requests per second (bursts of ${burst}). Try again in ${retryAfterSeconds} s.`,
      },
    },
  };
}

/** Takes a token for this request; the refusal to send when the client is over its budget. */
export async function checkPublicBudget(
  headers: HeaderSource,
): Promise<ReturnType<typeof budgetRefusal> | null> {
  const key = await budgetKeyOf(headers);
  // No address to tell anonymous clients apart (a server other than server/main.ts, which
  // always records one): one shared bucket would throttle everybody together, so none.
  if (key === "address:unknown") return null;
  const decision = publicBudget().take(key);
  return decision.ok ? null : budgetRefusal(decision.retryAfterSeconds);
}
