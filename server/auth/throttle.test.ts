import { describe, expect, it } from "vitest";

import { HashGate } from "@/server/auth/hash-gate";
import { FailureThrottle } from "@/server/auth/throttle";
import { AppError } from "@/server/http/app-error";

const policy = { maxFailures: 3, windowMs: 15 * 60_000, lockMs: 30_000, maxLockMs: 120_000 };

describe("failure throttle (controlled clock)", () => {
  it("locks a key after N failures and releases it when the lock runs out", () => {
    const throttle = new FailureThrottle(policy);
    const t0 = 1_000_000;
    throttle.recordFailure("acct", t0);
    throttle.recordFailure("acct", t0 + 1_000);
    expect(throttle.retryAfterMs("acct", t0 + 1_000)).toBe(0);
    throttle.recordFailure("acct", t0 + 2_000);
    expect(throttle.retryAfterMs("acct", t0 + 2_000)).toBe(30_000);
    expect(throttle.retryAfterMs("acct", t0 + 31_999)).toBe(1);
    expect(throttle.retryAfterMs("acct", t0 + 32_000)).toBe(0);
    // Other keys are untouched.
    expect(throttle.retryAfterMs("other", t0 + 2_000)).toBe(0);
  });

  it("doubles the lock for each further failure, up to the maximum", () => {
    const throttle = new FailureThrottle(policy);
    let now = 0;
    for (let i = 0; i < 3; i += 1) throttle.recordFailure("acct", (now += 1_000));
    expect(throttle.retryAfterMs("acct", now)).toBe(30_000);
    now += 30_000;
    throttle.recordFailure("acct", now);
    expect(throttle.retryAfterMs("acct", now)).toBe(60_000);
    now += 60_000;
    throttle.recordFailure("acct", now);
    expect(throttle.retryAfterMs("acct", now)).toBe(120_000);
    now += 120_000;
    throttle.recordFailure("acct", now);
    expect(throttle.retryAfterMs("acct", now)).toBe(120_000);
  });

  it("forgets failures older than the window, and on reset", () => {
    const throttle = new FailureThrottle(policy);
    throttle.recordFailure("acct", 0);
    throttle.recordFailure("acct", 1_000);
    throttle.recordFailure("acct", policy.windowMs + 2_000);
    expect(throttle.retryAfterMs("acct", policy.windowMs + 2_000)).toBe(0);
    // The first two have left the window: two recent failures, no lock yet.
    throttle.recordFailure("acct", policy.windowMs + 3_000);
    expect(throttle.retryAfterMs("acct", policy.windowMs + 3_000)).toBe(0);
    throttle.recordFailure("acct", policy.windowMs + 4_000);
    expect(throttle.retryAfterMs("acct", policy.windowMs + 4_000)).toBe(30_000);
    throttle.reset("acct");
    expect(throttle.retryAfterMs("acct", policy.windowMs + 4_000)).toBe(0);
  });
});

describe("password hash gate", () => {
  it("runs at most `concurrency` tasks, queues up to `queue`, and refuses the rest with 503", async () => {
    const gate = new HashGate(2, 1);
    const releases: Array<() => void> = [];
    let running = 0;
    let peak = 0;
    const task = () =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const first = [task(), task(), task()];
    await expect.poll(() => gate.load()).toEqual({ running: 2, waiting: 1 });
    const refused = await gate.run(async () => "never").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: "server_busy", retryAfterSeconds: 5 });
    while (releases.length > 0 || gate.load().running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(first);
    expect(peak).toBe(2);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });
});
