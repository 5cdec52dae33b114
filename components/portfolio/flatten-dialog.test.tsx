// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import {
  FlattenDialog,
  planMoved,
  type FlattenTarget,
} from "@/components/portfolio/flatten-dialog";
import { parseCount as n, parseDollars as $ } from "@/lib/fixed-point";
import { GatewayProvider } from "@/lib/gateway/hooks";
import { MemoryGateway } from "@/lib/gateway/testing/memory-gateway";
import { positionFigures } from "@/lib/portfolio/figures";
import type { CreateOrderBody } from "@/lib/schemas/order";

/**
 * The portfolio's flatten dialog runs the trading screen's flatten: it
 * reads the row's market book from the stream, previews the plan, and sends
 * the same reduce-only IOC order (with the row's subaccount) only on confirm.
 * Replaced here: the network (fetch) and the stream's transport
 * (MemoryGateway publishes book views as the gateway client would).
 */
const TICKER = "KXTEST-26JAN01-T1";

function target(position_fp: string, exposure: string, subaccount: number): FlattenTarget {
  const position = {
    ticker: TICKER,
    position_fp,
    market_exposure_dollars: exposure,
    realized_pnl_dollars: "0.0000",
    fees_paid_dollars: "0.0000",
    total_traded_dollars: exposure,
  };
  return {
    row: {
      key: `${subaccount}:${TICKER}`,
      subaccount,
      position,
      market: undefined,
      eventTicker: "KXTEST-26JAN01",
      restingOrders: 0,
    },
    figures: positionFigures(position, null),
  };
}

const book = (bids: Array<[string, string]>, asks: Array<[string, string]>) => ({
  bids: bids.map(([p, s]) => [$(p), n(s)] as const),
  asks: asks.map(([p, s]) => [$(p), n(s)] as const),
});

let sent: CreateOrderBody[] = [];

beforeAll(() => {
  // happy-dom's <dialog> has no modal machinery worth testing here.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sent = [];
});

function stubNetwork() {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url.startsWith("/api/series/"))
        return Response.json({
          series: { ticker: "KXTEST", title: "Test", fee_type: "quadratic", fee_multiplier: 1 },
        });
      if (url === "/api/orders" && init?.method === "POST") {
        const body = JSON.parse(String(init.body)) as CreateOrderBody;
        sent.push(body);
        return Response.json(
          {
            order_id: "o1",
            client_order_id: body.client_order_id,
            fill_count: "3.00",
            remaining_count: "1.00",
            ts_ms: 1,
            deduplicated: false,
          },
          { status: 201 },
        );
      }
      return Response.json({ error: { code: "not_found", message: url } }, { status: 404 });
    }),
  );
}

function renderDialog(store: MemoryGateway, flatten: FlattenTarget, onClose = () => {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrap = (children: ReactNode) => (
    <QueryClientProvider client={queryClient}>
      <GatewayProvider client={store}>{children}</GatewayProvider>
    </QueryClientProvider>
  );
  return render(wrap(<FlattenDialog target={flatten} onClose={onClose} />));
}

describe("FlattenDialog", () => {
  it("reads the row's book, previews the trading screen's plan, and sends it on confirm only", async () => {
    stubNetwork();
    const store = new MemoryGateway();
    renderDialog(store, target("4.00", "2.0000", 2));
    expect(store.subscribed).toContain(`book:${TICKER}`);
    expect(screen.getByRole("status").textContent).toContain("Reading the book");

    act(() =>
      store.publishBook(
        TICKER,
        book(
          [
            ["0.52", "3"],
            ["0.50", "5"],
          ],
          [["0.55", "9"]],
        ),
      ),
    );
    const preview = await screen.findByRole("alertdialog", { name: "Flatten preview" });
    expect(preview.textContent).toContain("Sell 4 YES reduce-only, immediate or cancel, down to");
    expect(preview.textContent).toContain("50");
    expect(screen.getByText("Subaccount 2")).toBeTruthy();
    expect(sent).toHaveLength(0);

    fireEvent.click(screen.getByRole("button", { name: "Confirm flatten" }));
    await screen.findByText(/Flatten acknowledged: filled 3.00, 1.00 not filled/);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      ticker: TICKER,
      side: "ask",
      price: "0.5000",
      count: "4.00",
      reduce_only: true,
      time_in_force: "immediate_or_cancel",
      subaccount: 2,
    });
  });

  it("closes a NO position by bidding YES, says when the book moved, and re-prices at the new price", async () => {
    stubNetwork();
    const store = new MemoryGateway();
    renderDialog(store, target("-2.00", "0.8000", 0));
    act(() => store.publishBook(TICKER, book([["0.40", "1"]], [["0.60", "10"]])));
    await screen.findByRole("alertdialog", { name: "Flatten preview" });
    expect(screen.queryByText("The book moved since this preview.")).toBeNull();

    act(() => store.publishBook(TICKER, book([["0.40", "1"]], [["0.62", "10"]])));
    await screen.findByText("The book moved since this preview.");
    fireEvent.click(screen.getByRole("button", { name: "Re-price" }));
    await waitFor(() =>
      expect(screen.queryByText("The book moved since this preview.")).toBeNull(),
    );
    fireEvent.click(screen.getByRole("button", { name: "Confirm flatten" }));
    await screen.findByText(/Flatten acknowledged/);
    expect(sent).toHaveLength(1);
    // NO sells at 1 − 0.62 = 0.38: a YES bid at 0.62, primary account (no subaccount field).
    expect(sent[0]).toMatchObject({ side: "bid", price: "0.6200", count: "2.00" });
    expect(sent[0]).not.toHaveProperty("subaccount");
  });

  it("says there is no price to close at when nobody bids for the held side, and sends nothing", async () => {
    stubNetwork();
    const store = new MemoryGateway();
    const onClose = vi.fn();
    renderDialog(store, target("3.00", "1.5000", 0), onClose);
    act(() => store.publishBook(TICKER, book([], [["0.60", "10"]])));
    await screen.findByText(/no price to close at/);
    expect(screen.queryByRole("button", { name: "Confirm flatten" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onClose).toHaveBeenCalled();
    // A bid arriving later makes the preview.
    act(() => store.publishBook(TICKER, book([["0.45", "5"]], [["0.60", "10"]])));
    await screen.findByRole("alertdialog", { name: "Flatten preview" });
    expect(sent).toHaveLength(0);
  });
});

describe("planMoved", () => {
  const plan = {
    side: "yes" as const,
    count: 100,
    limitPrice: 500_000,
    fillable: 100,
    expectedProceeds: 500_000,
  };
  const intent = {
    ticker: TICKER,
    side: "yes" as const,
    action: "sell" as const,
    price: 500_000,
    count: 100,
    clientOrderId: "x",
  };
  it("is true only for a shown plan whose price or depth differ from the live one", () => {
    const preview = { step: "preview" as const, plan, takerFee: 0, intent };
    expect(planMoved(preview, { limitPrice: 500_000, fillable: 100 })).toBe(false);
    expect(planMoved(preview, { limitPrice: 490_000, fillable: 100 })).toBe(true);
    expect(planMoved(preview, { limitPrice: 500_000, fillable: 50 })).toBe(true);
    expect(planMoved(preview, null)).toBe(true);
    expect(planMoved({ step: "idle" }, null)).toBe(false);
  });
});
