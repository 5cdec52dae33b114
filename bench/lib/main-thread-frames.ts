/**
 * Main-thread time per frame from a Chromium DevTools trace (categories
 * "toplevel" and "devtools.timeline"), shared by the browser benchmarks.
 *
 * The page's renderer main thread is the busiest `CrRendererMain`; its
 * top-level tasks are spread over fixed frame slots (a task crossing a slot
 * boundary counts in both), giving busy milliseconds per frame. All slot
 * arithmetic is in integer microseconds: with a fractional slot width a
 * boundary could round to a zero-length slice and the spreading never ended.
 */

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs: unlike `dur`, not inflated when the core is shared. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface FrameStats {
  /** Busy ms per frame slot (wall clock), ascending. */
  perFrame: number[];
  /** Main-thread CPU ms per frame slot, ascending: the work itself, whatever else the machine runs. */
  cpuPerFrame: number[];
  slots: number;
  longestTaskMs: number;
  longestTaskCpuMs: number;
  /** CPU milliseconds by devtools.timeline event kind on the page thread (nested kinds overlap). */
  breakdown: Array<[string, number]>;
}

/** Top-level task names differ between Chromium versions. */
const TOP_LEVEL = new Set(["RunTask", "ThreadControllerImpl::RunTask"]);

const KINDS = new Set([
  "FunctionCall",
  "EventDispatch",
  "FireAnimationFrame",
  "TimerFire",
  "UpdateLayoutTree",
  "Layout",
  "PrePaint",
  "Paint",
  "Layerize",
  "MinorGC",
  "MajorGC",
  "v8.compile",
  "ParseHTML",
]);

export function parseTrace(buffer: Buffer): TraceEvent[] {
  return (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
}

export function mainThreadFrames(events: readonly TraceEvent[], frameMs = 1000 / 60): FrameStats {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter(
    (e) =>
      e.ph === "X" &&
      TOP_LEVEL.has(e.name) &&
      mainThreads.has(`${e.pid}:${e.tid}`) &&
      (e.dur ?? 0) > 0,
  );
  if (tasks.length === 0)
    throw new Error(`no main-thread tasks in the trace (${events.length} events)`);
  // The busiest renderer is the page (others are idle helpers).
  const busy = new Map<string, number>();
  for (const t of tasks)
    busy.set(`${t.pid}:${t.tid}`, (busy.get(`${t.pid}:${t.tid}`) ?? 0) + (t.dur ?? 0));
  const pageThread = [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const pageTasks = tasks.filter((t) => `${t.pid}:${t.tid}` === pageThread);

  const frameUs = Math.round(frameMs * 1000);
  // Reduce, not spread: a busy trace has 100k+ tasks.
  const start = pageTasks.reduce((min, t) => Math.min(min, t.ts), Infinity);
  const end = pageTasks.reduce((max, t) => Math.max(max, t.ts + (t.dur ?? 0)), 0);
  const slots = new Array<number>(Math.max(1, Math.ceil((end - start) / frameUs))).fill(0);
  const cpuSlots = slots.slice();
  let longest = 0;
  let longestCpu = 0;
  for (const t of pageTasks) {
    const from = Math.round(t.ts - start);
    const to = from + Math.round(t.dur ?? 0);
    // CPU time is spread over the task's wall span in proportion.
    const cpuShare = Math.min(1, (t.tdur ?? t.dur ?? 0) / Math.max(1, t.dur ?? 0));
    longest = Math.max(longest, (t.dur ?? 0) / 1000);
    longestCpu = Math.max(longestCpu, (t.tdur ?? t.dur ?? 0) / 1000);
    for (let slot = Math.floor(from / frameUs); slot * frameUs < to; slot++) {
      const overlap = Math.min(to, (slot + 1) * frameUs) - Math.max(from, slot * frameUs);
      if (slot >= slots.length || overlap <= 0) continue;
      slots[slot] = (slots[slot] ?? 0) + overlap / 1000;
      cpuSlots[slot] = (cpuSlots[slot] ?? 0) + (overlap * cpuShare) / 1000;
    }
  }

  const kinds = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== "X" || `${e.pid}:${e.tid}` !== pageThread || !KINDS.has(e.name)) continue;
    kinds.set(e.name, (kinds.get(e.name) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  }
  return {
    perFrame: slots.slice().sort((a, b) => a - b),
    cpuPerFrame: cpuSlots.sort((a, b) => a - b),
    slots: slots.length,
    longestTaskMs: longest,
    longestTaskCpuMs: longestCpu,
    breakdown: [...kinds.entries()].sort((a, b) => b[1] - a[1]),
  };
}

/** The p-th percentile (0–100) of an ascending list; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function formatBreakdown(breakdown: FrameStats["breakdown"]): string {
  return breakdown.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(", ");
}
