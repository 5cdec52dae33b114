/** Test helper: a clock whose sleeps advance time instantly and are recorded. */
import type { KalshiClock } from "../clock";

export interface FakeClock extends KalshiClock {
  /** Every sleep requested, in order, ms. */
  sleeps: number[];
  advance(ms: number): void;
}

export function createFakeClock(start = 1_763_700_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
}
