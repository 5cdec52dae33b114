// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ComboSlipPanel } from "@/components/rfq/combo-slip-panel";
import { setActiveSubaccount } from "@/components/subaccounts/use-active-subaccount";
import { GatewayProvider } from "@/lib/gateway/hooks";
import { MemoryGateway } from "@/lib/gateway/testing/memory-gateway";
import { clearSlip, toggleLeg } from "@/lib/rfq/combo-slip";

/**
 * The combo slip on /rfq: each leg with its live book, the naive
 * independent-legs price from the legs' mids, and one click that creates (or
 * finds) the combo market and sends an RFQ for it. Replaced: the network
 * (fetch answers as the BFF would) and the stream's transport (MemoryGateway).
 */
const COLLECTION = {
  collection_ticker: "KXMVEGAMEDAY-26JAN01",
  series_ticker: "KXMVEGAMEDAY",
  title: "Game day",
  description: "",
  open_date: "2026-01-01T00:00:00Z",
  close_date: "2026-01-02T00:00:00Z",
  associated_events: [
    { ticker: "KXGAME-A", is_yes_only: false, size_max: 1 },
    { ticker: "KXGAME-B", is_yes_only: false, size_max: 1 },
  ],
  is_ordered: false,
  size_min: 2,
  size_max: 2,
  functional_description: "",
};

const MARKETS: Record<string, [string, string]> = {
  "KXGAME-A-HOME": ["0.58", "0.62"],
  "KXGAME-B-OVER": ["0.20", "0.30"],
};

let posts: Array<{ url: string; body: unknown }> = [];
let refuseCombo = false;

function stubNetwork() {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === "POST") {
        const body = JSON.parse(String(init.body)) as unknown;
        posts.push({ url, body });
        if (url === `/api/collections/${COLLECTION.collection_ticker}`) {
          if (refuseCombo)
            return Response.json(
              {
                error: {
                  code: "invalid_parameters",
                  message: "selected_markets[1].event_ticker: not an event of this collection",
                },
              },
              { status: 400 },
            );
          return Response.json({
            event_ticker: "KXMVEGAMEDAY-S1",
            market_ticker: "KXMVEGAMEDAY-S1-X",
          });
        }
        if (url === "/api/rfqs") return Response.json({ id: "rfq-1" }, { status: 201 });
      }
      if (url === `/api/collections/${COLLECTION.collection_ticker}`)
        return Response.json({ collection: COLLECTION });
      const market = /^\/api\/markets\/(.+)$/.exec(url)?.[1];
      const quote = market ? MARKETS[decodeURIComponent(market)] : undefined;
      if (market && quote)
        return Response.json({
          market: {
            ticker: decodeURIComponent(market),
            event_ticker: "KXGAME-A",
            title: decodeURIComponent(market),
            yes_sub_title: "",
            status: "active",
            yes_bid_dollars: quote[0],
            yes_ask_dollars: quote[1],
            last_price_dollars: quote[0],
            volume_fp: "0.00",
            volume_24h_fp: "0.00",
          },
        });
      return Response.json({ error: { code: "not_found", message: url } }, { status: 404 });
    }),
  );
}

function renderPanel(gateway: MemoryGateway, onCreated = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <GatewayProvider client={gateway}>
        <ComboSlipPanel onCreated={onCreated} />
      </GatewayProvider>
    </QueryClientProvider>,
  );
  return onCreated;
}

function pickTwoLegs() {
  toggleLeg(COLLECTION.collection_ticker, {
    market_ticker: "KXGAME-A-HOME",
    event_ticker: "KXGAME-A",
    side: "yes",
    label: "Home wins",
  });
  toggleLeg(COLLECTION.collection_ticker, {
    market_ticker: "KXGAME-B-OVER",
    event_ticker: "KXGAME-B",
    side: "no",
    label: "Over 45.5",
  });
}

beforeEach(() => {
  clearSlip();
  posts = [];
  refuseCombo = false;
  stubNetwork();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ComboSlipPanel", () => {
  it("shows each leg's book and the naive price from the legs' live mids", async () => {
    pickTwoLegs();
    const gateway = new MemoryGateway();
    renderPanel(gateway);
    const legs = await screen.findByRole("list", { name: "Combo legs" });
    expect(legs.textContent).toContain("Home wins");
    expect(legs.textContent).toContain("Over 45.5");
    // REST mids: 0.60 (yes) and 0.25 (no leg: 1 − 0.25 = 0.75) → 0.45.
    await waitFor(() => expect(screen.getByTestId("naive-price").textContent).toBe("45¢"));
    // A live tick moves one leg's mid to 0.50: 0.50 × 0.75 = 0.375.
    act(() =>
      gateway.publishTicker("KXGAME-A-HOME", { yes_bid_dollars: "0.48", yes_ask_dollars: "0.52" }),
    );
    await waitFor(() => expect(screen.getByTestId("naive-price").textContent).toBe("37.5¢"));
    expect(gateway.subscribed).toEqual(
      expect.arrayContaining(["ticker:KXGAME-A-HOME", "ticker:KXGAME-B-OVER"]),
    );
  });

  it("removes a leg, and asks for the collection's minimum before sending", async () => {
    pickTwoLegs();
    renderPanel(new MemoryGateway());
    fireEvent.click(await screen.findByRole("button", { name: "Remove Over 45.5" }));
    await screen.findByText("Add at least 2 legs.");
    const send = screen.getByRole("button", { name: "Create combo & request quotes" });
    expect((send as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("list", { name: "Combo legs" }).textContent).not.toContain("Over");
  });

  it("creates the combo market for the legs and sends one RFQ for it, then empties the slip", async () => {
    pickTwoLegs();
    const onCreated = renderPanel(new MemoryGateway());
    const send = await screen.findByRole("button", { name: "Create combo & request quotes" });
    await waitFor(() => expect((send as HTMLButtonElement).disabled).toBe(false));
    fireEvent.change(screen.getByLabelText("Contracts"), { target: { value: "2.50" } });
    fireEvent.click(send);
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith("rfq-1"));
    expect(posts).toEqual([
      {
        url: `/api/collections/${COLLECTION.collection_ticker}`,
        body: {
          selected_markets: [
            { market_ticker: "KXGAME-A-HOME", event_ticker: "KXGAME-A", side: "yes" },
            { market_ticker: "KXGAME-B-OVER", event_ticker: "KXGAME-B", side: "no" },
          ],
        },
      },
      {
        url: "/api/rfqs",
        body: {
          market_ticker: "KXMVEGAMEDAY-S1-X",
          contracts: "2.50",
          rest_remainder: false,
          replace_existing: true,
        },
      },
    ]);
    await screen.findByText(/No legs yet/);
  });

  it("sends the RFQ from the header switcher's subaccount", async () => {
    setActiveSubaccount(3);
    try {
      pickTwoLegs();
      const onCreated = renderPanel(new MemoryGateway());
      const send = await screen.findByRole("button", { name: "Create combo & request quotes" });
      await waitFor(() => expect((send as HTMLButtonElement).disabled).toBe(false));
      fireEvent.click(send);
      await waitFor(() => expect(onCreated).toHaveBeenCalled());
      expect(posts[1]?.body).toMatchObject({ subaccount: 3 });
    } finally {
      setActiveSubaccount(null);
    }
  });

  it("shows the exchange's refusal of the legs, sends no RFQ and keeps the slip", async () => {
    refuseCombo = true;
    pickTwoLegs();
    renderPanel(new MemoryGateway());
    const send = await screen.findByRole("button", { name: "Create combo & request quotes" });
    await waitFor(() => expect((send as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(send);
    expect((await screen.findByRole("alert")).textContent).toContain("selected_markets[1]");
    expect(posts.map((p) => p.url)).toEqual([`/api/collections/${COLLECTION.collection_ticker}`]);
    expect(screen.getByRole("list", { name: "Combo legs" }).textContent).toContain("Home wins");
  });
});
