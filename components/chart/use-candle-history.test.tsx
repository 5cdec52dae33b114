// @vitest-environment happy-dom
/**
 * The chart's candle loading, apart from the chart: stale answers after a
 * period change, the cursor of a new period, which bar wins a shared time,
 * and failures surfaced with a working retry. The fetcher is scripted so each
 * test decides when (and in which order) answers arrive.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, renderHook, screen, waitFor } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";

import type { Candlestick } from "@/lib/schemas/market";

import type { PeriodMinutes } from "./candles";
import { ChartArea } from "./chart-area";
import { useCandleHistory, type BarsChange, type FetchCandles } from "./use-candle-history";

afterEach(cleanup);

/** One scripted request: what was asked, and how to answer it. */
interface Call {
  period: PeriodMinutes;
  start: number;
  end: number;
  resolve: (candles: Candlestick[]) => void;
  reject: (error: Error) => void;
}

function scriptedFetch() {
  const calls: Call[] = [];
  const fetchCandles: FetchCandles = (period, start, end) =>
    new Promise((resolve, reject) => calls.push({ period, start, end, resolve, reject }));
  return { calls, fetchCandles };
}

/** A traded candle ending at `end` whose price is `cents` throughout. */
function candle(end: number, cents: number): Candlestick {
  const dollars = (cents / 100).toFixed(4);
  const ohlc = {
    open_dollars: dollars,
    low_dollars: dollars,
    high_dollars: dollars,
    close_dollars: dollars,
  };
  return {
    end_period_ts: end,
    yes_bid: ohlc,
    yes_ask: ohlc,
    price: ohlc,
    volume_fp: "1.00",
    open_interest_fp: "1.00",
  };
}

const DAY = 86_400;
const openTs = Math.floor(Date.now() / 1000) - 400 * DAY;
const closeTs = Math.floor(Date.now() / 1000) + 30 * DAY;

function setup(initialPeriod: PeriodMinutes = 60) {
  const { calls, fetchCandles } = scriptedFetch();
  const changes: BarsChange[] = [];
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) =>
    createElement(QueryClientProvider, { client: queryClient }, children);
  const hook = renderHook(
    ({ period }: { period: PeriodMinutes }) =>
      useCandleHistory({
        ticker: "KXTEST-1",
        seriesTicker: "KXTEST",
        period,
        openTs,
        closeTs,
        live: true,
        fetchCandles,
        onBars: (change) => changes.push(change),
      }),
    { wrapper, initialProps: { period: initialPeriod } },
  );
  return { calls, changes, hook };
}

/** The last request, once it has been made. */
async function nextCall(calls: Call[], count: number): Promise<Call> {
  await waitFor(() => expect(calls).toHaveLength(count));
  const call = calls[count - 1];
  if (!call) throw new Error("no call");
  return call;
}

describe("useCandleHistory", () => {
  it("loads the newest chunk and reports ready", async () => {
    const { calls, hook, changes } = setup();
    expect(hook.result.current.status).toBe("loading");
    const first = await nextCall(calls, 1);
    expect(first.period).toBe(60);
    await act(async () => first.resolve([candle(first.end - 3_600, 50)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    expect(hook.result.current.bars.current.map((b) => b.close)).toEqual([50]);
    expect(changes).toEqual([{ kind: "reset" }, { kind: "initial" }]);
  });

  it("ignores an older chunk that answers after the period changed, and keeps the new load locked", async () => {
    const { calls, hook } = setup(60);
    const first = await nextCall(calls, 1);
    await act(async () => first.resolve([candle(first.end - 3_600, 50)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));

    let older!: Promise<boolean>;
    act(() => {
      older = hook.result.current.loadOlder();
    });
    const staleOlder = await nextCall(calls, 2);

    hook.rerender({ period: 1 });
    const dayFirst = await nextCall(calls, 3);
    expect(dayFirst.period).toBe(1);

    // The 1h chunk lands while the 1m chunk is still loading.
    await act(async () => {
      staleOlder.resolve([candle(staleOlder.end - 3_600, 70)]);
      await older;
    });
    expect(hook.result.current.bars.current).toEqual([]);
    // The stale load's end must not have unlocked the new session: no second request now.
    let started = true;
    await act(async () => {
      started = await Promise.race([
        hook.result.current.loadOlder(),
        new Promise<boolean>((resolve) => queueMicrotask(() => resolve(true))),
      ]);
    });
    expect(started).toBe(false);
    expect(calls).toHaveLength(3);

    await act(async () => dayFirst.resolve([candle(dayFirst.end - 60, 40)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    expect(hook.result.current.bars.current.map((b) => b.close)).toEqual([40]);
  });

  it("starts the older-history cursor afresh for a new period", async () => {
    const { calls, hook } = setup(1);
    const first = await nextCall(calls, 1);
    await act(async () => first.resolve([candle(first.end - 60, 50)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    act(() => void hook.result.current.loadOlder());
    const olderMinutes = await nextCall(calls, 2);
    await act(async () => olderMinutes.resolve([]));

    hook.rerender({ period: 60 });
    const hourFirst = await nextCall(calls, 3);
    expect(hourFirst.period).toBe(60);
    // While the new period's first chunk loads, nothing older is asked for.
    await act(async () => void (await hook.result.current.loadOlder()));
    expect(calls).toHaveLength(3);
    await act(async () => hourFirst.resolve([candle(hourFirst.end - 3_600, 45)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    act(() => void hook.result.current.loadOlder());
    const olderHours = await nextCall(calls, 4);
    // The chunk right before the hourly chunk, not before wherever the minute history had got to.
    expect(olderHours.period).toBe(60);
    expect(olderHours.end).toBe(hourFirst.start - 1);
  });

  it("lets a fresh answer win over the bar it already had for the same period", async () => {
    const { calls, hook } = setup(60);
    const first = await nextCall(calls, 1);
    const shared = first.start + 3_600;
    await act(async () => first.resolve([candle(shared, 50), candle(first.end, 52)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    act(() => void hook.result.current.loadOlder());
    const older = await nextCall(calls, 2);
    await act(async () => older.resolve([candle(older.end - 3_600, 48), candle(shared, 61)]));
    await waitFor(() => expect(hook.result.current.bars.current).toHaveLength(3));
    expect(hook.result.current.bars.current.map((b) => b.close)).toEqual([48, 61, 52]);
  });

  it("surfaces a failed first chunk and loads it again on retry", async () => {
    const { calls, hook } = setup(60);
    const first = await nextCall(calls, 1);
    await act(async () => first.reject(new Error("Kalshi did not answer in time. Try again.")));
    await waitFor(() => expect(hook.result.current.status).toBe("error"));
    expect(hook.result.current.error).toBe("Kalshi did not answer in time. Try again.");

    act(() => hook.result.current.retry());
    expect(hook.result.current.status).toBe("loading");
    const again = await nextCall(calls, 2);
    expect([again.start, again.end]).toEqual([first.start, first.end]);
    await act(async () => again.resolve([candle(again.end, 55)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    expect(hook.result.current.error).toBeNull();
  });

  it("surfaces a failed older chunk while keeping the bars, and retries that chunk", async () => {
    const { calls, hook } = setup(60);
    const first = await nextCall(calls, 1);
    await act(async () => first.resolve([candle(first.end, 52)]));
    await waitFor(() => expect(hook.result.current.status).toBe("ready"));
    act(() => void hook.result.current.loadOlder());
    const older = await nextCall(calls, 2);
    await act(async () => older.reject(new Error("Could not reach Kalshi. Try again.")));
    await waitFor(() =>
      expect(hook.result.current.error).toBe("Could not reach Kalshi. Try again."),
    );
    expect(hook.result.current.status).toBe("ready");
    expect(hook.result.current.bars.current).toHaveLength(1);

    act(() => hook.result.current.retry());
    const again = await nextCall(calls, 3);
    expect([again.start, again.end]).toEqual([older.start, older.end]);
    await act(async () => again.resolve([candle(again.end, 49)]));
    await waitFor(() => expect(hook.result.current.error).toBeNull());
    expect(hook.result.current.bars.current.map((b) => b.close)).toEqual([49, 52]);
  });
});

describe("ChartArea", () => {
  it("shows an error with a Retry button that calls back", async () => {
    let retried = 0;
    render(
      createElement(ChartArea, {
        containerRef: { current: null },
        className: "h-80",
        status: "error",
        loading: "Loading…",
        empty: "Nothing",
        error: "Could not load candles.",
        detail: "Kalshi did not answer in time.",
        onRetry: () => (retried += 1),
      }),
    );
    expect(screen.getByRole("alert").textContent).toContain("Could not load candles.");
    expect(screen.getByRole("alert").textContent).toContain("Kalshi did not answer in time.");
    act(() => screen.getByRole("button", { name: "Retry" }).click());
    expect(retried).toBe(1);
  });
});
