import { describe, expect, it } from "vitest";
import { backoffDelay, EARLY_ATTEMPTS } from "@/lib/backoff";

const draws = [0, 0.25, 0.5, 0.999];

describe("reconnect backoff", () => {
  it("retries a short outage quickly: the first attempts wait 250 ms to 2 s whatever the draw", () => {
    // Gateway defaults: 500 ms base, 30 s ceiling.
    for (const random of draws) {
      const first = backoffDelay(0, 500, 30_000, () => random);
      expect(first).toBeGreaterThanOrEqual(250);
      expect(first).toBeLessThanOrEqual(500);
      expect(backoffDelay(1, 500, 30_000, () => random)).toBeLessThanOrEqual(1_000);
      for (let attempt = 2; attempt < EARLY_ATTEMPTS; attempt += 1) {
        const delay = backoffDelay(attempt, 500, 30_000, () => random);
        expect(delay).toBeGreaterThanOrEqual(1_000);
        expect(delay).toBeLessThanOrEqual(2_000);
      }
    }
    // A 3 s outage is over within the first five attempts, and they sum to at most ~7.5 s.
    const worst = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 500, 30_000, () => 0.999));
    expect(worst.reduce((a, b) => a + b, 0)).toBeLessThan(7_500);
  });

  it("grows to the ceiling only after a long run of failures, and never past it", () => {
    const at = (attempt: number) => backoffDelay(attempt, 500, 30_000, () => 0.999);
    expect(at(EARLY_ATTEMPTS)).toBeLessThanOrEqual(4_000);
    expect(at(EARLY_ATTEMPTS + 1)).toBeLessThanOrEqual(8_000);
    expect(at(EARLY_ATTEMPTS + 3)).toBeGreaterThan(20_000);
    for (const attempt of [EARLY_ATTEMPTS + 3, 40, 1_000])
      expect(at(attempt)).toBeLessThanOrEqual(30_000);
    // Jitter spreads reconnecting clients: never all at the same instant.
    expect(backoffDelay(20, 500, 30_000, () => 0)).toBe(15_000);
  });
});
