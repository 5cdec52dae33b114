import { describe, expect, it } from "vitest";
import { LifecycleSchedule } from "@/server/sim/lifecycle/lifecycle-schedule";
import { checkTimeScale, scaledMs, timeScaleFromEnv } from "@/server/sim/lifecycle/time-scale";
import { SeededRandom } from "@/server/sim/random";

describe("LifecycleSchedule", () => {
  it("pops due tickers in time order and never before they are due", () => {
    const schedule = new LifecycleSchedule();
    const random = new SeededRandom(3);
    const dues = new Map<string, number>();
    for (let i = 0; i < 200; i += 1) {
      const due = random.int(0, 10_000);
      dues.set(`T${i}`, due);
      schedule.set(`T${i}`, due);
    }
    expect(schedule.popDue(-1)).toBeUndefined();
    const popped: number[] = [];
    for (let t = schedule.popDue(5_000); t !== undefined; t = schedule.popDue(5_000))
      popped.push(dues.get(t)!);
    expect(popped).toEqual([...dues.values()].filter((d) => d <= 5_000).sort((a, b) => a - b));
    const rest: number[] = [];
    for (let t = schedule.popDue(Infinity); t !== undefined; t = schedule.popDue(Infinity))
      rest.push(dues.get(t)!);
    expect(rest).toEqual([...dues.values()].filter((d) => d > 5_000).sort((a, b) => a - b));
  });

  it("a newer time for a ticker replaces the older one; null unschedules it", () => {
    const schedule = new LifecycleSchedule();
    schedule.set("A", 100);
    schedule.set("A", 300);
    schedule.set("B", 200);
    schedule.set("C", 50);
    schedule.set("C", null);
    expect(schedule.popDue(250)).toBe("B");
    expect(schedule.popDue(250)).toBeUndefined();
    expect(schedule.popDue(300)).toBe("A");
    expect(schedule.popDue(Infinity)).toBeUndefined();
    // Setting the same time twice pushes one entry.
    schedule.set("D", 10);
    schedule.set("D", 10);
    expect(schedule.size).toBe(1);
  });
});

describe("time scale", () => {
  it("accepts 1 to 3600 and compresses waits", () => {
    expect(checkTimeScale(60)).toBe(60);
    for (const bad of [0, 0.5, 3601, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => checkTimeScale(bad)).toThrow(RangeError);
    expect(scaledMs(300_000, 60)).toBe(5_000);
    expect(scaledMs(1_000, 3)).toBe(333);
  });

  it("reads SIM_TIME_SCALE, defaulting to 1 and naming the variable on a bad value", () => {
    expect(timeScaleFromEnv(undefined)).toBe(1);
    expect(timeScaleFromEnv("")).toBe(1);
    expect(timeScaleFromEnv("60")).toBe(60);
    expect(timeScaleFromEnv("2.5")).toBe(2.5);
    expect(() => timeScaleFromEnv("fast")).toThrow(/SIM_TIME_SCALE/);
    expect(() => timeScaleFromEnv("0")).toThrow(/SIM_TIME_SCALE/);
    expect(() => timeScaleFromEnv("5000")).toThrow(/SIM_TIME_SCALE/);
  });
});
