/**
 * Candle history for the market chart, apart from the chart's lifecycle:
 * the first chunk for the current period, older chunks as the trader scrolls
 * left or picks a longer range, and what went wrong (with a retry).
 *
 * Bars live in a ref (`bars`, YES side, oldest first) so neither loads nor
 * live trades re-render React; the chart hears about changes through
 * `onBars` and redraws imperatively.
 *
 * Every load belongs to one *session* (ticker, period, range, attempt). A
 * session owns its cursor (`oldest`), `loading` and `exhausted` flags, so an
 * answer or a `finally` of a superseded session can never touch the current
 * one: it only sees that it is no longer current and stops.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

import {
  candlesToBars,
  chunkSeconds,
  mergeBars,
  periodStart,
  type Bar,
  type PeriodMinutes,
} from "@/components/chart/candles";
import type { ChartStatus } from "@/components/chart/chart-area";
import type { Candlestick } from "@/lib/schemas/market";
import { candlesOptions } from "@/lib/queries/markets";

/** Chunks loaded in a row to reach back to a range's start (scrolling loads more). */
export const MAX_CHUNKS_PER_REACH = 8;

/** Candles of one market at `period` over [startTs, endTs]. */
export type FetchCandles = (
  period: PeriodMinutes,
  startTs: number,
  endTs: number,
) => Promise<readonly Candlestick[]>;

/** What changed in `bars`: cleared for a new session, its first chunk, or `added` older bars. */
export type BarsChange = { kind: "reset" } | { kind: "initial" } | { kind: "older"; added: number };

export interface CandleHistoryOptions {
  ticker: string;
  seriesTicker: string;
  period: PeriodMinutes;
  /** Unix seconds; nothing is fetched before the market opened. */
  openTs: number;
  closeTs: number;
  /** Still trading: the right edge follows the clock. */
  live: boolean;
  /**
   * Told after every change with the current bars. The live candle may be
   * written into that very array (last bar replaced or appended): the next
   * merge then starts from it, and a fetched candle for the same period wins.
   */
  onBars: (change: BarsChange, bars: Bar[]) => void;
  /** Default: GET /api/markets/{ticker}/candlesticks through react-query's cache. */
  fetchCandles?: FetchCandles;
}

export interface CandleHistory {
  /** The current session's first chunk: loading, ready, empty or error. */
  status: ChartStatus;
  /** What the last failed load (first chunk or an older one) said, or null. */
  error: string | null;
  /** Runs the failed load again. */
  retry: () => void;
  /** YES-side bars of the current session, oldest first (the live candle writes here too). */
  bars: RefObject<Bar[]>;
  /** Loads the next older chunk; false when nothing was loaded (busy, exhausted, failed, superseded). */
  loadOlder: () => Promise<boolean>;
  /**
   * Loads older chunks until the bars reach back to `fromTs` (at most
   * MAX_CHUNKS_PER_REACH); false when a newer session took over meanwhile.
   */
  reachBack: (fromTs: number) => Promise<boolean>;
}

interface Session {
  key: string;
  period: PeriodMinutes;
  /** Start of the oldest range fetched (unix seconds). */
  oldest: number;
  exhausted: boolean;
  loading: boolean;
}

type Outcome = { key: string; status: ChartStatus; error: string | null };

/**
 * The right edge to ask for: the end of the period holding now (while
 * trading) or the close. Kalshi only returns candles whose period has ended
 * by `end_ts`, so asking up to "now" would leave out the live candle.
 */
export function rightEdge(live: boolean, closeTs: number, period: PeriodMinutes): number {
  const nowMs = Date.now();
  const lastMs = live ? nowMs : Math.min(nowMs, closeTs * 1000);
  return periodStart(lastMs, period) + period * 60;
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "The request failed.";
}

export function useCandleHistory(options: CandleHistoryOptions): CandleHistory {
  const { ticker, seriesTicker, period, openTs, closeTs, live } = options;
  const queryClient = useQueryClient();
  const fetchCandles: FetchCandles = useCallback(
    async (p, start, end) =>
      options.fetchCandles
        ? options.fetchCandles(p, start, end)
        : (await queryClient.fetchQuery(candlesOptions(ticker, seriesTicker, p, start, end)))
            .candlesticks,
    // A caller's fetchCandles is fixed for the life of the chart (tests pass one).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [queryClient, ticker, seriesTicker],
  );
  // The latest callback, read when a load lands (loads outlive the render that started them).
  const onBarsRef = useRef(options.onBars);
  useEffect(() => {
    onBarsRef.current = options.onBars;
  });

  const [attempt, setAttempt] = useState(0);
  const key = `${ticker}|${seriesTicker}|${period}|${openTs}|${closeTs}|${live}|${attempt}`;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [olderError, setOlderError] = useState<{ key: string; message: string } | null>(null);
  const bars = useRef<Bar[]>([]);
  const session = useRef<Session | null>(null);

  /** Fetches [start, end] into the session's bars; false when the session is no longer current. */
  const fetchInto = useCallback(
    async (s: Session, start: number, end: number): Promise<boolean> => {
      const candles = await fetchCandles(s.period, start, end);
      if (session.current !== s) return false;
      // The fresh answer wins on a shared period (candles.ts: `incoming` is the newer list).
      bars.current = mergeBars(bars.current, candlesToBars(candles, s.period));
      s.oldest = start;
      if (start <= openTs - s.period * 60) s.exhausted = true;
      return true;
    },
    [fetchCandles, openTs],
  );

  // A new session per key: clear the bars, load the newest chunk.
  useEffect(() => {
    const s: Session = { key, period, oldest: 0, exhausted: false, loading: true };
    session.current = s;
    bars.current = [];
    onBarsRef.current({ kind: "reset" }, bars.current);
    const end = rightEdge(live, closeTs, period);
    const start = Math.max(openTs - period * 60, end - chunkSeconds(period));
    fetchInto(s, start, end).then(
      (current) => {
        if (!current) return;
        s.loading = false;
        setOutcome({ key, status: bars.current.length > 0 ? "ready" : "empty", error: null });
        onBarsRef.current({ kind: "initial" }, bars.current);
      },
      (error: unknown) => {
        if (session.current !== s) return;
        s.loading = false;
        setOutcome({ key, status: "error", error: messageOf(error) });
      },
    );
    return () => {
      if (session.current === s) session.current = null;
    };
  }, [key, period, openTs, closeTs, live, fetchInto]);

  const loadOlder = useCallback(async (): Promise<boolean> => {
    const s = session.current;
    if (!s || s.loading || s.exhausted) return false;
    const end = s.oldest - 1;
    const start = Math.max(openTs - s.period * 60, end - chunkSeconds(s.period));
    if (end <= start) {
      s.exhausted = true;
      return false;
    }
    s.loading = true;
    const before = bars.current.length;
    try {
      if (!(await fetchInto(s, start, end))) return false;
      setOlderError((shown) => (shown?.key === s.key ? null : shown));
      onBarsRef.current({ kind: "older", added: bars.current.length - before }, bars.current);
      return true;
    } catch (error) {
      if (session.current === s) setOlderError({ key: s.key, message: messageOf(error) });
      return false;
    } finally {
      // Only this session's flag: a superseded load never unlocks a newer one.
      s.loading = false;
    }
  }, [fetchInto, openTs]);

  const reachBack = useCallback(
    async (fromTs: number): Promise<boolean> => {
      const s = session.current;
      for (let i = 0; i < MAX_CHUNKS_PER_REACH; i++) {
        if (!s || session.current !== s || s.exhausted || s.oldest <= fromTs) break;
        if (!(await loadOlder())) break;
      }
      return s !== null && session.current === s;
    },
    [loadOlder],
  );

  const current = outcome?.key === key ? outcome : null;
  const shownOlderError = olderError?.key === key ? olderError.message : null;
  const retry = useCallback(() => {
    if (current?.status === "error") setAttempt((n) => n + 1);
    else void loadOlder();
  }, [current?.status, loadOlder]);

  return {
    status: current?.status ?? "loading",
    error: current?.error ?? shownOlderError,
    retry,
    bars,
    loadOlder,
    reachBack,
  };
}
