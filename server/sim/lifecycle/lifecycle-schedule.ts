/**
 * When each market's next lifecycle transition is due: a min-heap of
 * (due time, ticker), so the 250 ms tick looks only at the top of the heap
 * instead of scanning every market. Entries are never updated in place; a
 * newer schedule for a ticker makes older entries stale, and stale entries
 * are dropped as they surface.
 *
 * Code that changes a market's status or times outside the tick (sim-admin
 * controls, close-date updates) calls `touchMarket`, and the next tick
 * recomputes that market's due time.
 */
import { statePart, type SimState } from "@/server/sim/state";

interface Entry {
  due: number;
  ticker: string;
}

export class LifecycleSchedule {
  private readonly heap: Entry[] = [];
  /** The one due time per ticker that counts; heap entries with another time are stale. */
  private readonly scheduled = new Map<string, number>();
  /** Markets not yet in a terminal status: the only ones a resync looks at. */
  readonly live = new Set<string>();
  /** Markets whose due time must be recomputed on the next tick. */
  readonly dirty = new Set<string>();
  /** state.markets.size when new markets were last looked for. */
  seenMarketCount = 0;
  /** Clock time of the last full resync of live markets. */
  lastResync = Number.NEGATIVE_INFINITY;

  /** Sets the ticker's due time (null: nothing scheduled). */
  set(ticker: string, due: number | null): void {
    if (due === null) {
      this.scheduled.delete(ticker);
      return;
    }
    if (this.scheduled.get(ticker) === due) return;
    this.scheduled.set(ticker, due);
    this.push({ due, ticker });
  }

  /** Removes and returns the next ticker due at or before `now`, skipping stale entries. */
  popDue(now: number): string | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top || top.due > now) return undefined;
      this.pop();
      if (this.scheduled.get(top.ticker) !== top.due) continue;
      this.scheduled.delete(top.ticker);
      return top.ticker;
    }
  }

  /** Heap entries, stale ones included (for tests of the bookkeeping). */
  get size(): number {
    return this.heap.length;
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (p.due <= entry.due) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as Entry).due < (heap[left] as Entry).due
          ? right
          : left;
      if ((heap[child] as Entry).due >= last.due) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = last;
  }
}

const SCHEDULE = statePart("lifecycle-schedule", () => new LifecycleSchedule());

/** The lifecycle schedule of this exchange state, created on first use. */
export function scheduleOf(state: SimState): LifecycleSchedule {
  return state.part(SCHEDULE);
}

/** Marks a market whose status or times changed outside the tick, so the next tick reschedules it. */
export function touchMarket(state: SimState, ticker: string): void {
  const schedule = scheduleOf(state);
  schedule.live.add(ticker);
  schedule.dirty.add(ticker);
}
