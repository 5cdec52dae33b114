/**
 * History across Kalshi's two tiers, through the BFF against the simulator
 * with the cutoff pinned between two batches of trading: the fills and
 * orders lists read on from the live endpoints into `/historical/*` as one
 * list, newest first, every record exactly once (the historical tier's
 * subaccount filter applied by the BFF); a time range starting after the
 * cutoff never asks the historical tier; a cutoff that advances while the
 * trader scrolls, or while a CSV streams, repeats nothing.
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as exportRoute from "@/app/api/portfolio/export/[kind]/route";
import * as historyRoute from "@/app/api/portfolio/history/[kind]/route";
import * as ordersRoute from "@/app/api/orders/route";
import * as subaccountsRoute from "@/app/api/subaccounts/route";
import * as transfersRoute from "@/app/api/subaccounts/transfers/route";
import { CSV_COLUMNS, parseCsv } from "@/lib/portfolio/csv";
import { historyKey, historyRows } from "@/lib/portfolio/history-rows";
import type { Market } from "@/lib/schemas/market";
import type { Order } from "@/lib/schemas/order";
import type { Fill } from "@/lib/schemas/portfolio";
import type { HistoryKind, HistoryPage } from "@/lib/schemas/portfolio-history";
import { forward, json } from "@/server/kalshi/testing/http-stub";
import { historicalCutoffs, pinHistoricalCutoffs } from "@/server/sim/historical/cutoff";
import {
  startBffHarness,
  twoSidedMarket,
  type BffHarness,
  type Trader,
} from "@/server/testing/bff-harness";

let h: BffHarness;
let bob: Trader;
let traded: Market;
/** The pinned cutoff: batch A traded before it, batch B after. */
let cutoff: number;

async function call<T>(
  handler: unknown,
  path: string,
  init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
): Promise<{ status: number; body: T; text: string }> {
  const result = await h.call(handler as Parameters<BffHarness["call"]>[0], {
    method: init.method ?? "GET",
    path,
    body: init.body,
    params: init.params,
    cookie: bob.cookie,
  });
  return { status: result.status, body: result.body as T, text: result.text };
}

function pin(at: number): void {
  const current = historicalCutoffs(h.sim.exchange.state);
  pinHistoricalCutoffs(h.sim.exchange.state, {
    ...current,
    tradesCreated: at,
    ordersUpdated: at,
  });
  h.resetUpstream(); // also forgets the client's cached cutoff
}

/** One contract bought at the ask, immediate or cancel: one fill, one executed order. */
async function buyOne(subaccount?: number): Promise<void> {
  const placed = await call(ordersRoute.POST, "/api/orders", {
    method: "POST",
    body: {
      ticker: traded.ticker,
      side: "bid",
      count: "1",
      price: traded.yes_ask_dollars,
      time_in_force: "immediate_or_cancel",
      ...(subaccount ? { subaccount } : {}),
    },
  });
  expect(placed.status, placed.text).toBe(201);
}

async function page(kind: HistoryKind, query: string, cursor: string) {
  const path = `/api/portfolio/history/${kind}?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
  const result = await call<HistoryPage>(historyRoute.GET, path, { params: { kind } });
  expect(result.status, result.text).toBe(200);
  return result.body;
}

/** Every page of a list, as the infinite scroll reads it. */
async function allPages(kind: HistoryKind, query = ""): Promise<HistoryPage[]> {
  const pages: HistoryPage[] = [];
  let cursor = "";
  for (let i = 0; i < 50; i += 1) {
    const next = await page(kind, query, cursor);
    pages.push(next);
    cursor = next.cursor;
    if (!cursor) return pages;
  }
  throw new Error("history did not end");
}

const timeOf = (kind: "fills" | "orders", item: unknown) =>
  Date.parse(String((item as Fill & Order).created_time));

beforeAll(async () => {
  h = await startBffHarness();
  bob = await h.trader("tiers-bob@example.com", { tier: "advanced", balanceCents: 1_000_000 });
  traded = await twoSidedMarket(h);
  const created = await call(subaccountsRoute.POST, "/api/subaccounts", {
    method: "POST",
    body: {},
  });
  expect(created.status, created.text).toBe(201);
  const moved = await call(transfersRoute.POST, "/api/subaccounts/transfers", {
    method: "POST",
    body: {
      from_subaccount: 0,
      to_subaccount: 1,
      amount_cents: 5_000,
      client_transfer_id: randomUUID(),
    },
  });
  expect(moved.status, moved.text).toBe(201);

  // Batch A: three in the primary account, one in subaccount 1; then the cutoff; then batch B.
  for (const sub of [0, 0, 1, 0]) await buyOne(sub);
  await new Promise((resolve) => setTimeout(resolve, 20));
  cutoff = h.sim.exchange.state.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const sub of [0, 1, 0]) await buyOne(sub);
  pin(cutoff);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe("history across the historical cutoff", () => {
  for (const kind of ["fills", "orders"] as const) {
    it(`${kind}: live then historical as one list, newest first, each record once`, async () => {
      const pages = await allPages(kind);
      const items = pages.flatMap((p) => p.items);
      expect(items).toHaveLength(7);
      expect(new Set(items.map((item) => historyKey(kind, item))).size).toBe(7);
      const times = items.map((item) => timeOf(kind, item));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // Batch B from the live tier, batch A from the historical one, in that order.
      const tiers = pages.flatMap((p) => p.items.map(() => p.tier));
      expect(tiers).toEqual([...Array(3).fill("live"), ...Array(4).fill("historical")]);
      for (const [i, item] of items.entries())
        expect(timeOf(kind, item) >= cutoff).toBe(tiers[i] === "live");
      // What the browser shows: the same records, with one marker where the tier changes.
      const rows = historyRows(kind, pages);
      expect(rows.filter((r) => r.type === "item")).toHaveLength(7);
      expect(rows.findIndex((r) => r.type === "tier")).toBe(3);
    });
  }

  it("filters the historical tier by subaccount itself (Kalshi's has no such filter)", async () => {
    const items = (await allPages("fills", "&subaccount=1")).flatMap((p) => p.items) as Fill[];
    expect(items.map((f) => f.subaccount_number)).toEqual([1, 1]);
    expect(items.map((f) => timeOf("fills", f) >= cutoff)).toEqual([true, false]);
    const primary = (await allPages("orders", "&subaccount=0")).flatMap((p) => p.items);
    expect(primary).toHaveLength(5);
  });

  it("does not ask the historical tier when the time range starts after the cutoff", async () => {
    h.resetUpstream();
    const minTs = Math.ceil(cutoff / 1000);
    const items = (await allPages("fills", `&min_ts=${minTs}`)).flatMap((p) => p.items);
    expect(items.every((f) => timeOf("fills", f) >= minTs * 1000)).toBe(true);
    const paths = h.upstream.map((r) => r.url.split("?")[0] ?? "");
    expect(paths.some((p) => p.endsWith("/historical/cutoff"))).toBe(true);
    expect(paths.some((p) => p.endsWith("/historical/fills"))).toBe(false);
  });

  it("shows each record once when the cutoff advances while the trader scrolls", async () => {
    const pages = [await page("fills", "", "")];
    // Everything is archived now: the records already read live are in the historical tier too.
    pin(h.sim.exchange.state.now() + 1);
    try {
      let cursor = pages[0]!.cursor;
      while (cursor) {
        const next = await page("fills", "", cursor);
        pages.push(next);
        cursor = next.cursor;
      }
      const raw = pages.flatMap((p) => p.items);
      expect(raw.length).toBeGreaterThan(7); // the server pages both tiers as they are
      const shown = historyRows("fills", pages).filter((r) => r.type === "item");
      expect(shown).toHaveLength(7);
    } finally {
      pin(cutoff);
    }
  });

  it("streams a CSV equal to the list across both tiers, without repeats if the cutoff moves mid-export", async () => {
    for (const kind of ["fills", "orders"] as const) {
      const api = (await allPages(kind)).flatMap((p) => p.items) as unknown as Array<
        Record<string, unknown>
      >;
      const csv = await call<unknown>(exportRoute.GET, `/api/portfolio/export/${kind}`, {
        params: { kind },
      });
      expect(csv.status).toBe(200);
      const rows = parseCsv(csv.text);
      expect(rows).toHaveLength(api.length);
      rows.forEach((row, i) => {
        for (const column of CSV_COLUMNS[kind]) {
          const value = api[i]?.[column];
          expect(row[column], `${kind}[${i}].${column}`).toBe(
            value === null || value === undefined ? "" : String(value),
          );
        }
      });
    }

    // The cutoff advances the moment the export reaches the historical tier.
    const origin = new URL(h.sim.restBaseUrl).origin;
    let moved = false;
    h.proxy.handle(async (request, res) => {
      if (!moved && request.url.includes("/historical/fills")) {
        moved = true;
        pinHistoricalCutoffs(h.sim.exchange.state, {
          ...historicalCutoffs(h.sim.exchange.state),
          tradesCreated: h.sim.exchange.state.now() + 1,
        });
      }
      const answer = await forward(request, origin);
      json(res, answer.status, answer.text);
    });
    try {
      const csv = await call<unknown>(exportRoute.GET, "/api/portfolio/export/fills", {
        params: { kind: "fills" },
      });
      expect(moved).toBe(true);
      const ids = parseCsv(csv.text).map((r) => r.fill_id);
      expect(ids).toHaveLength(7);
      expect(new Set(ids).size).toBe(7);
    } finally {
      h.proxy.handle(async (request, res) => {
        const answer = await forward(request, origin);
        json(res, answer.status, answer.text);
      });
      pin(cutoff);
    }
  });
});
