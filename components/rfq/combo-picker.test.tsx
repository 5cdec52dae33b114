// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import ComboPicker from "@/components/rfq/combo-picker";
import { clearSlip, toggleLeg } from "@/lib/rfq/combo-slip";

/**
 * "Add to combo" on an event page follows the collection's rules, so the
 * slip never holds legs the exchange would refuse: a yes-only event offers
 * no No leg, and a full slip says so instead of growing.
 */
const collection = (yesOnly: boolean) => ({
  collection_ticker: "KXMVEECONREL",
  series_ticker: "KXMVEECONREL",
  title: "Economic releases",
  description: "",
  open_date: "2026-01-01T00:00:00Z",
  close_date: "2026-02-01T00:00:00Z",
  associated_events: [
    { ticker: "KXCPI-26JAN", is_yes_only: yesOnly, size_max: 1 },
    { ticker: "KXFED-26JAN", is_yes_only: false, size_max: 1 },
    { ticker: "KXJOBS-26JAN", is_yes_only: false, size_max: 1 },
  ],
  is_ordered: false,
  size_min: 2,
  size_max: 2,
  functional_description: "",
});

function renderPicker(yesOnly: boolean) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      expect(url).toContain("associated_event_ticker=KXCPI-26JAN");
      return Response.json({ multivariate_contracts: [collection(yesOnly)], cursor: "" });
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ComboPicker
        eventTicker="KXCPI-26JAN"
        markets={[
          { ticker: "KXCPI-26JAN-T3.0", label: "Above 3.0%", live: true },
          { ticker: "KXCPI-26JAN-T2.5", label: "Above 2.5%", live: false },
        ]}
      />
    </QueryClientProvider>,
  );
}

beforeEach(() => clearSlip());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ComboPicker", () => {
  it("offers only the yes side of a yes-only event, and only markets that trade", async () => {
    renderPicker(true);
    const yes = await screen.findByRole("button", { name: "Add Above 3.0% yes leg" });
    const no = screen.getByRole("button", { name: "Add Above 3.0% no leg" });
    expect((no as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByText("Above 2.5%")).toBeNull();
    fireEvent.click(yes);
    expect(
      screen
        .getByRole("button", { name: "Remove Above 3.0% yes leg" })
        .getAttribute("aria-pressed"),
    ).toBe("true");
    expect(screen.getByRole("link", { name: "Combo slip (1)" })).toBeTruthy();
  });

  it("says the slip is full at the collection's size instead of adding a leg", async () => {
    toggleLeg("KXMVEECONREL", {
      market_ticker: "KXFED-26JAN-H0",
      event_ticker: "KXFED-26JAN",
      side: "yes",
      label: "Hold",
    });
    toggleLeg("KXMVEECONREL", {
      market_ticker: "KXJOBS-26JAN-T100",
      event_ticker: "KXJOBS-26JAN",
      side: "no",
      label: "Above 100k",
    });
    renderPicker(false);
    fireEvent.click(await screen.findByRole("button", { name: "Add Above 3.0% no leg" }));
    expect((await screen.findByRole("status")).textContent).toContain("at most 2 legs");
    expect(screen.getByRole("link", { name: "Combo slip (2)" })).toBeTruthy();
  });
});
