import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { QUEUE_REFRESH_MS, throttle } from "./use-queue-positions";

describe("queue position refresh throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("asks at most twice a second however often the book moves, and never drops the last ask", () => {
    let runs = 0;
    const refresh = throttle(() => runs++, QUEUE_REFRESH_MS);
    // 590 book changes over 2.95 s (one every 5 ms).
    for (let i = 0; i < 590; i++) {
      refresh();
      vi.advanceTimersByTime(5);
    }
    // At once, then one per 500 ms: at 0, 500, … 2500 ms.
    expect(runs).toBe(6);
    const before = runs;
    vi.advanceTimersByTime(QUEUE_REFRESH_MS);
    // The changes after the last run still got their refresh.
    expect(runs).toBe(before + 1);
    vi.advanceTimersByTime(5 * QUEUE_REFRESH_MS);
    expect(runs).toBe(before + 1);
  });

  it("a change after a quiet spell refreshes at once", () => {
    let runs = 0;
    const refresh = throttle(() => runs++, QUEUE_REFRESH_MS);
    refresh();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(2000);
    refresh();
    expect(runs).toBe(2);
    refresh.cancel();
  });
});
