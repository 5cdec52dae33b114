// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { PlaceOrderIntent } from "@/components/trading/order-intent";
import { OrderTicket, type OrderTicketProps } from "@/components/trading/ticket/order-ticket";
import type { OrderActions } from "@/components/trading/use-order-actions";
import { priceRangesFor } from "@/lib/price-grid";

/**
 * The ticket's subaccount defaults to the header switcher's (passed in as
 * `defaultSubaccount`), follows it when it changes, and the trader can still
 * pick another for one order. The order path (`actions.place`) is replaced by
 * a recorder: what matters here is the intent the ticket hands to it.
 */
const placed: PlaceOrderIntent[] = [];
const actions = {
  place: vi.fn(async (intent: PlaceOrderIntent) => {
    placed.push(intent);
    return {
      order_id: "o1",
      client_order_id: intent.clientOrderId,
      fill_count: "0.00",
      remaining_count: "1.00",
      ts_ms: 1,
      deduplicated: false,
    };
  }),
} as unknown as OrderActions;

function props(defaultSubaccount: number | undefined): OrderTicketProps {
  return {
    ticker: "KXTEST-1",
    ranges: priceRangesFor("linear_cent"),
    fractional: true,
    fees: { feeType: "quadratic", feeMultiplier: 1 },
    top: { bestBid: 400_000, bestAsk: 450_000 },
    held: { yes: 0, no: 0 },
    balance: 100_000_000,
    view: "yes",
    onViewChange: () => {},
    defaultSize: 100,
    prefill: null,
    actions,
    subaccounts: [1, 2],
    defaultSubaccount,
    orderGroups: [],
    disabledReason: null,
  };
}

const select = () => screen.getByLabelText("Subaccount") as HTMLSelectElement;

afterEach(() => {
  cleanup();
  placed.length = 0;
});

describe("OrderTicket subaccount", () => {
  it("starts in the switcher's subaccount and follows it; a per-order pick is sent", async () => {
    const view = render(<OrderTicket {...props(2)} />);
    expect(select().value).toBe("2");
    view.rerender(<OrderTicket {...props(1)} />);
    expect(select().value).toBe("1");

    fireEvent.change(screen.getByLabelText("Limit price"), { target: { value: "40" } });
    fireEvent.click(screen.getByRole("button", { name: /^Buy YES 1 @ 40/ }));
    await waitFor(() => expect(placed).toHaveLength(1));
    expect(placed[0]?.subaccount).toBe(1);

    fireEvent.change(select(), { target: { value: "0" } });
    fireEvent.change(screen.getByLabelText("Limit price"), { target: { value: "41" } });
    fireEvent.click(screen.getByRole("button", { name: /^Buy YES 1 @ 41/ }));
    await waitFor(() => expect(placed).toHaveLength(2));
    expect(placed[1]?.subaccount).toBeUndefined(); // the primary account
  });

  it("uses the primary account when the switcher shows all accounts or an unknown subaccount", () => {
    const view = render(<OrderTicket {...props(undefined)} />);
    expect(select().value).toBe("0");
    view.rerender(<OrderTicket {...props(9)} />);
    expect(select().value).toBe("0");
  });
});
