/**
 * A cap on concurrent password hashing. scrypt costs 32 MiB and ~100 ms of a
 * core per call; without a cap, a flood of sign-in attempts runs hundreds at
 * once and takes every core and a lot of memory. Up to `concurrency` hashes
 * run, up to `queue` wait their turn, and beyond that an attempt is refused
 * at once with 503 and a Retry-After.
 */
import { AppError } from "@/server/http/app-error";

export class HashGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /** Runs `task` when a slot is free; throws `server_busy` (503) when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new AppError({
          code: "server_busy",
          message: "Too many sign-in attempts are being checked right now. Try again in 5 s.",
          status: 503,
          retryAfterSeconds: 5,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter; otherwise free it.
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Hashes running and waiting (tests, diagnostics). */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
