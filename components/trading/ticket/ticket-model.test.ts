import { describe, expect, it } from "vitest";

import {
  INITIAL_TICKET,
  crossesBook,
  formatCentsInput,
  parseCents,
  previewTicket,
  stepPrice,
  takePrice,
  validateTicket,
  type TicketState,
} from "@/components/trading/ticket/ticket-model";
import { parseCount as n, parseDollars as $ } from "@/lib/fixed-point";
import { priceRangesFor } from "@/lib/price-grid";

const cent = priceRangesFor("linear_cent");
const tapered = priceRangesFor("tapered_deci_cent");
const rules = { ranges: cent, fractional: true, nowMs: Date.parse("2026-01-01T00:00:00Z") };
const ticket = (patch: Partial<TicketState>): TicketState => ({ ...INITIAL_TICKET, ...patch });
const quadratic = { feeType: "quadratic" as const, feeMultiplier: 1 };
const noBook = { bestBid: null, bestAsk: null };

describe("preview fees, to the digit of lib/fees.ts's documented examples", () => {
  it("100 contracts at 50¢: taker $1.75, maker free on plain quadratic", () => {
    const p = previewTicket({
      side: "yes",
      action: "buy",
      price: $("0.50"),
      count: n("100"),
      fees: quadratic,
      top: noBook,
      held: 0,
      balance: $("100"),
    });
    expect(p.takerFee).toBe($("1.75"));
    expect(p.makerFee).toBe(0);
    expect(p.cost).toBe($("50"));
    expect(p.maxPayout).toBe($("100"));
    // Rests (nothing to cross): balance less cost and the maker fee.
    expect(p.crosses).toBe(false);
    expect(p.balanceAfter).toBe($("50"));
  });

  it("ceils to the centicent: 10 at 33¢ is $0.1548; maker quarter-rate with maker fees", () => {
    const fees = { feeType: "quadratic_with_maker_fees" as const, feeMultiplier: 1 };
    const p = previewTicket({
      side: "yes",
      action: "buy",
      price: $("0.33"),
      count: n("10"),
      fees,
      top: { bestBid: $("0.32"), bestAsk: $("0.33") },
      held: 0,
      balance: $("10"),
    });
    expect(p.takerFee).toBe($("0.1548"));
    // 0.0175 × 10 × 0.33 × 0.67 = 0.0386925 → ceiled to 0.0387
    expect(p.makerFee).toBe($("0.0387"));
    expect(p.crosses).toBe(true);
    expect(p.balanceAfter).toBe($("10") - $("3.30") - $("0.1548"));
  });

  it("fractional 0.30 at 50¢: $0.0053; multiplier 0.5 halves before ceiling", () => {
    const p = previewTicket({
      side: "no",
      action: "buy",
      price: $("0.50"),
      count: n("0.30"),
      fees: quadratic,
      top: noBook,
      held: 0,
      balance: null,
    });
    expect(p.takerFee).toBe($("0.0053"));
    expect(p.balanceAfter).toBeNull();
    const half = previewTicket({
      side: "yes",
      action: "buy",
      price: $("0.50"),
      count: n("100"),
      fees: { feeType: "quadratic", feeMultiplier: 0.5 },
      top: noBook,
      held: 0,
      balance: null,
    });
    expect(half.takerFee).toBe($("0.875"));
  });

  it("a sell closes what is held for proceeds and opens the rest against collateral", () => {
    const p = previewTicket({
      side: "yes",
      action: "sell",
      price: $("0.60"),
      count: n("10"),
      fees: quadratic,
      top: noBook,
      held: n("4"),
      balance: $("20"),
    });
    expect(p.closing).toBe(n("4"));
    expect(p.opening).toBe(n("6"));
    expect(p.proceeds).toBe($("2.40"));
    expect(p.cost).toBe($("2.40")); // 6 × (1 − 0.60)
    expect(p.maxPayout).toBe($("6"));
  });
});

describe("crossing and taking", () => {
  const top = { bestBid: $("0.40"), bestAsk: $("0.45") };
  it("buy YES crosses at or above the ask, buy NO at or above 1 − bid", () => {
    expect(crossesBook("yes", "buy", $("0.45"), top)).toBe(true);
    expect(crossesBook("yes", "buy", $("0.44"), top)).toBe(false);
    expect(crossesBook("no", "buy", $("0.60"), top)).toBe(true);
    expect(crossesBook("no", "buy", $("0.59"), top)).toBe(false);
    expect(crossesBook("yes", "sell", $("0.40"), top)).toBe(true);
  });
  it("takes the YES ask for buy YES and 1 − YES bid for buy NO", () => {
    expect(takePrice("yes", "buy", top)).toBe($("0.45"));
    expect(takePrice("no", "buy", top)).toBe($("0.60"));
    expect(takePrice("yes", "sell", top)).toBe($("0.40"));
    expect(takePrice("no", "sell", top)).toBe($("0.55"));
  });
});

describe("validateTicket", () => {
  it("accepts a grid price and a fractional count", () => {
    const result = validateTicket(ticket({ priceText: "56", countText: "2.5" }), rules);
    expect(result).toEqual({ ok: true, value: { price: $("0.56"), count: n("2.50") } });
  });

  it("names the nearest grid prices for an off-grid price", () => {
    const result = validateTicket(ticket({ priceText: "56.5", countText: "1" }), rules);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.price).toBe("Not on this market's price grid; nearest: 56¢ or 57¢.");
  });

  it("accepts sub-cent prices only where the tapered band allows them", () => {
    const taperedRules = { ...rules, ranges: tapered };
    expect(validateTicket(ticket({ priceText: "5.5" }), taperedRules).ok).toBe(true);
    expect(validateTicket(ticket({ priceText: "50.5" }), taperedRules).ok).toBe(false);
  });

  it("refuses counts below 0.01, finer than 0.01, fractional where not allowed, and empty prices", () => {
    const bad = (patch: Partial<TicketState>, r = rules) => {
      const result = validateTicket(ticket({ priceText: "50", ...patch }), r);
      return result.ok ? {} : result.errors;
    };
    expect(bad({ countText: "0" }).count).toBe("At least 0.01 contracts.");
    expect(bad({ countText: "1.005" }).count).toMatch(/at most 2 decimals/);
    expect(bad({ countText: "1.5" }, { ...rules, fractional: false }).count).toMatch(
      /whole contracts/,
    );
    expect(bad({ priceText: "" }).price).toBe("Enter a limit price in cents.");
    expect(bad({ priceText: "100" }).price).toMatch(/between 0¢ and 100¢/);
  });

  it("checks the expiration and post-only with a non-resting time in force", () => {
    const past = validateTicket(ticket({ priceText: "50", expiration: "2025-12-31T23:00" }), rules);
    expect(past.ok ? null : past.errors.expiration).toBe("Expiration must be in the future.");
    const future = validateTicket(
      ticket({ priceText: "50", expiration: "2026-01-02T00:00Z" }),
      rules,
    );
    expect(future.ok && future.value.expirationTime).toBe(Date.parse("2026-01-02T00:00Z") / 1000);
    const ioc = validateTicket(
      ticket({ priceText: "50", postOnly: true, timeInForce: "immediate_or_cancel" }),
      rules,
    );
    expect(ioc.ok ? null : ioc.errors.postOnly).toMatch(/good till canceled/);
  });
});

describe("grid stepping across tapered bands", () => {
  it("steps by a cent on linear_cent and stops at the edges", () => {
    expect(stepPrice("56", cent, "up")).toBe($("0.57"));
    expect(stepPrice("56", cent, "down")).toBe($("0.55"));
    expect(stepPrice("99", cent, "up")).toBe($("0.99"));
    expect(stepPrice("", cent, "up")).toBe($("0.01"));
  });

  it("follows tapered_deci_cent's sub-cent tails and whole-cent middle", () => {
    // Below 10¢ the step is 0.1¢; from 10¢ to 90¢ a cent; above 90¢ 0.1¢ again.
    expect(stepPrice("9.9", tapered, "up")).toBe($("0.10"));
    expect(stepPrice("10", tapered, "up")).toBe($("0.11"));
    expect(stepPrice("10", tapered, "down")).toBe($("0.099"));
    expect(stepPrice("90", tapered, "up")).toBe($("0.901"));
    expect(stepPrice("50.5", tapered, "down")).toBe($("0.50"));
  });

  it("formats and parses cents without floats", () => {
    expect(formatCentsInput($("0.099"))).toBe("9.9");
    expect(formatCentsInput($("0.5"))).toBe("50");
    expect(parseCents("12.34")).toBe($("0.1234"));
    expect(parseCents("1e2")).toBeNull();
  });
});
