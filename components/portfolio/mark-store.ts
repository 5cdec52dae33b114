/**
 * Live marks of the positions' markets, outside React: per-ticker listeners
 * for the cells that print a mark (they write to the DOM themselves), and one
 * "something changed" signal per animation frame for the summary. A mark
 * that ticks 50 times a second costs a Map write; a frame's flush runs the
 * listeners of at most `tickersPerFrame` changed tickers, oldest change
 * first, and leaves the rest for the next frames. Each redrawn row costs the
 * browser a relayout and repaint of its live cells, so when every visible
 * row moves every frame (500 positions, marks ticking 50 times a second) the
 * rows take turns: each still shows its latest mark within a few frames (at
 * 5 per frame and 30 visible rows, six: ten updates a second per row, as
 * fast as anyone reads a number), and a quiet book updates at once.
 */
import type { Micros } from "@/lib/fixed-point";
import { yesMark, type QuoteInput } from "@/lib/portfolio/figures";

type Listener = () => void;

export interface MarkEntry {
  /** YES mark, micro-dollars; null when the market has no usable quote. */
  yes: Micros | null;
  /** "live" from the gateway's ticker topic, "rest" from a market snapshot. */
  source: "live" | "rest";
  at: number;
}

export class MarkStore {
  private readonly marks = new Map<string, MarkEntry>();
  private readonly byTicker = new Map<string, Set<Listener>>();
  private readonly anyListeners = new Set<Listener>();
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private version = 0;

  constructor(
    private readonly schedule: (flush: () => void) => void = (flush) =>
      typeof requestAnimationFrame === "function"
        ? requestAnimationFrame(flush)
        : setTimeout(flush, 16),
    private readonly tickersPerFrame = 5,
  ) {}

  get(ticker: string): MarkEntry | undefined {
    return this.marks.get(ticker);
  }

  /** Bumped once per flushed frame: a cheap snapshot for useSyncExternalStore. */
  getVersion = (): number => this.version;

  /** Sets a mark from a quote; a REST snapshot never overwrites a live mark. */
  setQuote(ticker: string, quote: QuoteInput, source: MarkEntry["source"], at = Date.now()): void {
    this.setMark(ticker, yesMark(quote), source, at);
  }

  setMark(ticker: string, yes: Micros | null, source: MarkEntry["source"], at = Date.now()): void {
    const previous = this.marks.get(ticker);
    if (source === "rest" && previous?.source === "live") return;
    if (previous && previous.yes === yes && previous.source === source) {
      previous.at = at;
      return;
    }
    // In place when known: a busy feed would otherwise allocate an entry per tick.
    if (previous) {
      previous.yes = yes;
      previous.source = source;
      previous.at = at;
    } else this.marks.set(ticker, { yes, source, at });
    this.dirty.add(ticker);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flush);
    }
  }

  /** Listens to one ticker's mark (called at most once per frame). */
  subscribe(ticker: string, listener: Listener): () => void {
    let set = this.byTicker.get(ticker);
    if (!set) {
      set = new Set();
      this.byTicker.set(ticker, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byTicker.delete(ticker);
    };
  }

  /** Listens to any change (once per frame). */
  subscribeAny = (listener: Listener): (() => void) => {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  };

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.dirty.size === 0) return;
    this.version += 1;
    let served = 0;
    // A Set iterates in insertion order, and a ticker that changes again while
    // waiting keeps its place: the oldest change is served first.
    for (const ticker of this.dirty) {
      const listeners = this.byTicker.get(ticker);
      if (listeners && listeners.size > 0) {
        if (served === this.tickersPerFrame) break;
        served += 1;
        for (const listener of listeners) listener();
      }
      this.dirty.delete(ticker);
    }
    if (this.dirty.size > 0) {
      this.scheduled = true;
      this.schedule(this.flush);
    }
    for (const listener of this.anyListeners) listener();
  };
}
