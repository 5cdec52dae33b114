// @vitest-environment happy-dom
/**
 * The market browser's list state against a scripted BFF (the browser's
 * fetch answers /api/* as the route handlers would): the first load, a failed
 * next page shown in an inline row with a Retry that loads that page, and a
 * Retry that re-runs both of the search's requests.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, renderHook, screen, waitFor } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { GatewayProvider } from "@/lib/gateway/hooks";
import { LazyGatewayClient } from "@/lib/gateway/lazy-client";
import { DEFAULT_FILTERS, type BrowseFilters } from "@/lib/queries/browse-filters";
import type { Market } from "@/lib/schemas/market";

import { MarketRows } from "./market-rows";
import { useMarketList } from "./use-market-list";

type Route = (url: URL) => { status: number; body: unknown } | undefined;

let route: Route;
const requests: URL[] = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  requests.length = 0;
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input), "http://localhost");
    requests.push(url);
    const answer = route(url) ?? {
      status: 404,
      body: { error: { code: "not_found", message: "no such route" } },
    };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
});
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

function market(ticker: string, status = "active"): Market {
  return {
    ticker,
    event_ticker: ticker.split("-").slice(0, 2).join("-"),
    title: `Market ${ticker}`,
    yes_sub_title: "",
    status,
    yes_bid_dollars: "0.4000",
    yes_ask_dollars: "0.4200",
    last_price_dollars: "0.4100",
    previous_price_dollars: "0.4000",
    volume_fp: "10.00",
    volume_24h_fp: "1.00",
    open_interest_fp: "5.00",
    close_time: "2099-01-01T00:00:00Z",
  } as Market;
}

const ok = (body: unknown) => ({ status: 200, body });
const failure = (message: string) => ({
  status: 504,
  body: { error: { code: "kalshi_timeout", message } },
});
const page = (from: number, count: number, cursor: string) =>
  ok({ markets: Array.from({ length: count }, (_, i) => market(`KXA-1-T${from + i}`)), cursor });

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return createElement(QueryClientProvider, { client }, children);
}

function listHook(q = "", filters: BrowseFilters = DEFAULT_FILTERS) {
  return renderHook(() => useMarketList(filters, q), { wrapper });
}

const isList = (url: URL) => url.pathname === "/api/markets" && !url.searchParams.has("tickers");

describe("useMarketList", () => {
  it("loads the first page and keeps paging while the filtered list is short", async () => {
    route = (url) => {
      if (url.pathname === "/api/series") return ok({ series: [] });
      if (!isList(url)) return undefined;
      return url.searchParams.get("cursor") === "p2" ? page(10, 40, "") : page(0, 10, "p2");
    };
    const { result } = listHook();
    await waitFor(() => expect(result.current.rows).toHaveLength(50));
    expect(result.current).toMatchObject({ hasMore: false, pages: 2, loadError: null });
  });

  it("keeps the rows when the next page fails, says so, and Retry loads that page", async () => {
    let failNext = true;
    route = (url) => {
      if (url.pathname === "/api/series") return ok({ series: [] });
      if (!isList(url)) return undefined;
      if (url.searchParams.get("cursor") !== "p2") return page(0, 40, "p2");
      return failNext ? failure("Kalshi did not answer in time. Try again.") : page(40, 5, "");
    };
    const { result } = listHook();
    await waitFor(() => expect(result.current.rows).toHaveLength(40));
    act(() => result.current.fetchMore());
    await waitFor(() =>
      expect(result.current.moreError).toBe("Kalshi did not answer in time. Try again."),
    );
    expect(result.current.rows).toHaveLength(40);
    expect(result.current.loadError).toBeNull();

    // Scrolling on does not hammer the failing page; Retry does ask again.
    const asked = requests.filter((url) => url.searchParams.get("cursor") === "p2").length;
    act(() => result.current.fetchMore());
    expect(requests.filter((url) => url.searchParams.get("cursor") === "p2")).toHaveLength(asked);
    failNext = false;
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.rows).toHaveLength(45));
    expect(result.current.moreError).toBeNull();
  });

  it("retries both of the search's requests: the hits and their quotes", async () => {
    let quotesFail = true;
    route = (url) => {
      if (url.pathname === "/api/series") return ok({ series: [] });
      if (url.pathname === "/api/search")
        return ok({ hits: [{ kind: "market", ticker: "KXA-1-T1", title: "Market KXA-1-T1" }] });
      if (url.pathname === "/api/markets" && url.searchParams.has("tickers")) {
        return quotesFail
          ? failure("Could not reach Kalshi. Try again.")
          : ok({
              markets: [market("KXA-1-T1")],
              cursor: "",
            });
      }
      return undefined;
    };
    const { result } = listHook("cpi");
    await waitFor(() =>
      expect(result.current.loadError).toBe("Could not reach Kalshi. Try again."),
    );
    quotesFail = false;
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.rows.map((m) => m.ticker)).toEqual(["KXA-1-T1"]));
    expect(result.current.loadError).toBeNull();
  });

  it("filters search hits by status with the browse-filters mapping", async () => {
    route = (url) => {
      if (url.pathname === "/api/series") return ok({ series: [] });
      if (url.pathname === "/api/search")
        return ok({
          hits: ["KXA-1-T1", "KXA-1-T2"].map((ticker) => ({
            kind: "market",
            ticker,
            title: ticker,
          })),
        });
      if (url.searchParams.has("tickers"))
        return ok({ markets: [market("KXA-1-T1"), market("KXA-1-T2", "finalized")], cursor: "" });
      return undefined;
    };
    const { result } = listHook("cpi", { ...DEFAULT_FILTERS, status: "settled" });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.rows.map((m) => m.ticker)).toEqual(["KXA-1-T2"]);
  });
});

describe("MarketRows", () => {
  function renderRows(props: Partial<Parameters<typeof MarketRows>[0]>, onRetry: () => void) {
    route = () => ({ status: 401, body: { error: { code: "unauthenticated", message: "x" } } });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    // A gateway that never connects: rows render their REST quotes, as while reconnecting.
    const gateway = new LazyGatewayClient(() => new Promise(() => undefined));
    return render(
      <QueryClientProvider client={client}>
        <GatewayProvider client={gateway}>
          <MarketRows
            rows={[]}
            loading={false}
            loadError={null}
            moreError={null}
            onRetry={onRetry}
            onNearEnd={() => undefined}
            fetchingMore={false}
            {...props}
          />
        </GatewayProvider>
      </QueryClientProvider>,
    );
  }

  it("shows a failed next page in a row after the markets, with Retry", () => {
    let retried = 0;
    renderRows(
      {
        rows: [market("KXA-1-T1"), market("KXA-1-T2")],
        moreError: "Kalshi did not answer in time. Try again.",
      },
      () => (retried += 1),
    );
    expect(screen.getByText("Market KXA-1-T1")).toBeTruthy();
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Could not load more markets");
    expect(alert.textContent).toContain("Kalshi did not answer in time.");
    act(() => screen.getByRole("button", { name: "Retry" }).click());
    expect(retried).toBe(1);
  });

  it("shows a failed first load in place of the rows, with Retry", () => {
    let retried = 0;
    renderRows({ loadError: "Could not reach Kalshi. Try again." }, () => (retried += 1));
    expect(screen.getByRole("alert").textContent).toContain("Could not load markets");
    act(() => screen.getByRole("button", { name: "Retry" }).click());
    expect(retried).toBe(1);
  });
});
