import { describe, expect, it } from "vitest";

import {
  formatChangeCents,
  formatClockTime,
  formatCloseTime,
  formatCount,
  formatDateTime,
  formatPriceCents,
  safeMicros,
} from "./format";

describe("formatPriceCents", () => {
  it.each([
    ["0.5600", "56¢"],
    ["0.56", "56¢"],
    ["0.0550", "5.5¢"],
    ["0.0500", "5¢"],
    ["0.0001", "0.01¢"],
    ["0.055012", "5.5012¢"],
    ["0.9900", "99¢"],
    ["1.0000", "100¢"],
    ["0", "0¢"],
    ["12.3400", "1,234¢"],
  ])("%s → %s", (input, expected) => {
    expect(formatPriceCents(input)).toBe(expected);
  });

  it("never goes through a float (0.29 is not 28.999…)", () => {
    expect(formatPriceCents("0.2900")).toBe("29¢");
    expect(formatPriceCents("0.5700")).toBe("57¢");
  });

  it.each([[null], [undefined], [""], ["abc"], ["1e-2"], ["-0.5"], ["0.1234567"]])(
    "renders %j as a dash",
    (input) => {
      expect(formatPriceCents(input)).toBe("—");
    },
  );
});

describe("formatCount", () => {
  it.each([
    ["0.00", "0"],
    ["10.00", "10"],
    ["12.50", "12.5"],
    ["1234.00", "1,234"],
    ["1234567.05", "1,234,567.05"],
  ])("%s → %s", (input, expected) => {
    expect(formatCount(input)).toBe(expected);
  });

  it("renders bad input as a dash", () => {
    expect(formatCount("1.234")).toBe("—");
    expect(formatCount(undefined)).toBe("—");
  });
});

describe("formatCloseTime", () => {
  it("renders in UTC", () => {
    expect(formatCloseTime("2025-11-21T18:05:00Z")).toBe("Nov 21, 18:05 UTC");
    expect(formatCloseTime("2025-11-21T23:30:00-05:00")).toBe("Nov 22, 04:30 UTC");
  });

  it("renders bad input as a dash", () => {
    expect(formatCloseTime("soon")).toBe("—");
    expect(formatCloseTime(null)).toBe("—");
  });
});

describe("formatChangeCents", () => {
  it.each([
    [30_000, "+3¢"],
    [-15_000, "−1.5¢"],
    [0, "0¢"],
    [1_230_000, "+123¢"],
    [-100, "−0.01¢"],
  ])("%d → %s", (input, expected) => {
    expect(formatChangeCents(input)).toBe(expected);
  });

  it("renders a missing or fractional value as a dash", () => {
    expect(formatChangeCents(undefined)).toBe("—");
    expect(formatChangeCents(0.5)).toBe("—");
  });
});

describe("safeMicros", () => {
  it("parses dollar strings and refuses junk without throwing", () => {
    expect(safeMicros("0.5600")).toBe(560_000);
    expect(safeMicros("-0.01")).toBe(-10_000);
    expect(safeMicros("abc")).toBeUndefined();
    expect(safeMicros(null)).toBeUndefined();
  });
});

describe("formatDateTime and formatClockTime", () => {
  it("print UTC with the year, and a tape time with seconds", () => {
    expect(formatDateTime("2026-11-21T18:00:00Z")).toBe("Nov 21, 2026, 18:00 UTC");
    expect(formatDateTime("nope")).toBe("—");
    expect(formatClockTime(Date.UTC(2026, 10, 21, 18, 0, 5))).toBe("18:00:05");
  });
});
