/**
 * Demo time compression. With a time scale of 60, a settlement timer of five
 * minutes runs five seconds, a market waits a sixtieth as long between close
 * and determination, and generated hourly markets live one minute. The clock
 * itself is never sped up: open and close times stay real instants.
 */
import { z } from "zod";

/** One hour becomes one second at most: beyond that, ticks (250 ms) are too coarse to show anything. */
export const MAX_TIME_SCALE = 3600;

/** Returns `scale` when it is a finite number in [1, MAX_TIME_SCALE]; throws a RangeError otherwise. */
export function checkTimeScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < 1 || scale > MAX_TIME_SCALE) {
    throw new RangeError(`time scale must be a number from 1 to ${MAX_TIME_SCALE}, got ${scale}`);
  }
  return scale;
}

/** A real-time wait of `ms`, compressed by `scale` (whole milliseconds, never negative). */
export function scaledMs(ms: number, scale: number): number {
  return Math.max(0, Math.round(ms / scale));
}

const envSchema = z.coerce.number().min(1).max(MAX_TIME_SCALE);

/**
 * Reads `SIM_TIME_SCALE` (unset or empty = 1). Throws with the variable's name
 * when it is not a number from 1 to MAX_TIME_SCALE, so a typo stops start-up
 * instead of silently running in real time.
 */
export function timeScaleFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 1;
  const parsed = envSchema.safeParse(value);
  if (!parsed.success) {
    throw new RangeError(
      `SIM_TIME_SCALE must be a number from 1 to ${MAX_TIME_SCALE}, got "${value}"`,
    );
  }
  return parsed.data;
}
