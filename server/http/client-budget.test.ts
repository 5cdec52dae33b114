/**
 * The per-client token bucket, on a driven clock: a burst, then the refill
 * rate; Retry-After from the deficit; one client's flood leaves the others
 * their whole budget. Which pages count (page-budget.ts).
 */
import { describe, expect, it } from "vitest";

import { ClientBudget } from "./client-budget";
import { isPublicPage } from "./page-budget";

describe("ClientBudget", () => {
  it("allows a burst, then the refill rate, and says when to come back", () => {
    let now = 0;
    const budget = new ClientBudget(
      () => ({ perSecond: 2, burst: 4 }),
      () => now,
    );
    const take = () => budget.take("address:a");
    expect([take(), take(), take(), take()].every((d) => d.ok)).toBe(true);
    expect(take()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 500; // one token back
    expect(take().ok).toBe(true);
    expect(take().ok).toBe(false);
    now += 10_000; // never more than the burst
    expect(Array.from({ length: 5 }, take).filter((d) => d.ok)).toHaveLength(4);
  });

  it("keeps one client's flood from the others", () => {
    const budget = new ClientBudget(
      () => ({ perSecond: 1, burst: 3 }),
      () => 0,
    );
    for (let i = 0; i < 100; i += 1) budget.take("address:flooder");
    expect(budget.take("address:flooder").ok).toBe(false);
    expect(budget.take("address:neighbour").ok).toBe(true);
    expect(budget.take("user:u1").ok).toBe(true);
  });
});

describe("isPublicPage", () => {
  it("counts the browse pages, not assets, API routes or private pages", () => {
    for (const path of ["/", "/markets", "/markets/KXCPI-26NOV-T0.0", "/events/KXCPI-26NOV"])
      expect(isPublicPage(path)).toBe(true);
    for (const path of ["/_next/static/x.js", "/api/markets", "/portfolio", "/settings", "/events"])
      expect(isPublicPage(path)).toBe(false);
  });
});
