/**
 * The clock of a persistent exchange: the real (or test) clock, except while
 * one journaled operation runs. Live, it holds still from the moment the
 * operation is stamped until it ends (a request may take a few ms between
 * signature check and matching); on replay it is pinned to each record's
 * time. Either way every timestamp an operation writes is its record's time,
 * so a replay writes the same ones.
 */
import type { Clock } from "@/server/sim/clock";

export class ReplayClock implements Clock {
  private pinned: number | null = null;

  constructor(private readonly live: Clock) {}

  now(): number {
    return this.pinned ?? this.live.now();
  }

  pin(ms: number): void {
    this.pinned = ms;
  }

  unpin(): void {
    this.pinned = null;
  }

  /** Holds the clock at `ms` unless it is already held; true when this call took the hold. */
  hold(ms: number): boolean {
    if (this.pinned !== null) return false;
    this.pinned = ms;
    return true;
  }
}
