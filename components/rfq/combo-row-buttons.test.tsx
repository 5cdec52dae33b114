// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import ComboRowButtons from "@/components/rfq/combo-row-buttons";
import { clearSlip, useComboSlip } from "@/lib/rfq/combo-slip";

/** Browse rows add legs to the combo slip when the market's event is in an open collection. */
const collection = {
  collection_ticker: "KXMVEGAMEDAY-26JAN01",
  series_ticker: "KXMVEGAMEDAY",
  title: "Game day",
  description: "",
  open_date: "2026-01-01T00:00:00Z",
  close_date: "2026-01-02T00:00:00Z",
  associated_events: [
    { ticker: "KXGAME-A", is_yes_only: false, size_max: 1 },
    { ticker: "KXTEMP-A", is_yes_only: true, size_max: 1 },
    { ticker: "KXRAIN-A", is_yes_only: false, size_max: 1 },
  ],
  is_ordered: false,
  size_min: 2,
  size_max: 2,
  functional_description: "",
};

let requests: string[] = [];

function SlipCount() {
  const slip = useComboSlip();
  return (
    <output data-testid="slip">
      {slip.legs.map((l) => `${l.market_ticker}:${l.side}`).join(",")}
    </output>
  );
}

function renderRows() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ComboRowButtons marketTicker="KXGAME-A-HOME" eventTicker="KXGAME-A" label="Home" />
      <ComboRowButtons marketTicker="KXTEMP-A-B80" eventTicker="KXTEMP-A" label="80 to 81" />
      <ComboRowButtons marketTicker="KXRAIN-A-Y" eventTicker="KXRAIN-A" label="Rain" />
      <ComboRowButtons marketTicker="KXBTC-X" eventTicker="KXBTC" label="Bitcoin" />
      <SlipCount />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  clearSlip();
  requests = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      requests.push(url);
      return Response.json({ multivariate_contracts: [collection], cursor: "" });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ComboRowButtons", () => {
  it("offers legs only for markets of collection events, from one shared collections read", async () => {
    renderRows();
    await screen.findByRole("button", { name: "Add Home yes leg (combo)" });
    expect(screen.queryByRole("button", { name: /Bitcoin/ })).toBeNull();
    expect(
      (screen.getByRole("button", { name: "Add 80 to 81 no leg (combo)" }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    expect(requests).toEqual(["/api/collections?status=open"]);
  });

  it("adds and toggles legs in the slip, and says when the slip is full", async () => {
    renderRows();
    fireEvent.click(await screen.findByRole("button", { name: "Add Home yes leg (combo)" }));
    fireEvent.click(screen.getByRole("button", { name: "Add 80 to 81 yes leg (combo)" }));
    expect(screen.getByTestId("slip").textContent).toBe("KXGAME-A-HOME:yes,KXTEMP-A-B80:yes");
    // The other side of a market replaces it.
    fireEvent.click(screen.getByRole("button", { name: "Add Home no leg (combo)" }));
    expect(screen.getByTestId("slip").textContent).toBe("KXTEMP-A-B80:yes,KXGAME-A-HOME:no");
    fireEvent.click(screen.getByRole("button", { name: "Remove Home no leg (combo)" }));
    expect(screen.getByTestId("slip").textContent).toBe("KXTEMP-A-B80:yes");

    fireEvent.click(screen.getByRole("button", { name: "Add Home yes leg (combo)" }));
    expect(screen.getByTestId("slip").textContent).toBe("KXTEMP-A-B80:yes,KXGAME-A-HOME:yes");
    // A two-leg collection is full: a third event's leg is refused and the row says why.
    const rain = screen.getByRole("button", { name: "Add Rain yes leg (combo)" });
    fireEvent.click(rain);
    expect(screen.getByTestId("slip").textContent).toBe("KXTEMP-A-B80:yes,KXGAME-A-HOME:yes");
    expect(rain.parentElement?.getAttribute("title")).toContain("at most 2 legs");
  });
});
