import { describe, expect, it } from "vitest";

import { explainSubaccountRefusal } from "@/components/subaccounts/subaccount-refusal";

describe("explainSubaccountRefusal", () => {
  it("explains the documented maximum", () => {
    const text = explainSubaccountRefusal({
      code: "SUBACCOUNT_LIMIT_REACHED",
      message: "at most 63 numbered subaccounts per user; all are in use",
    });
    expect(text).toContain("All 63 numbered subaccounts are open");
    expect(text).toContain("64 accounts with the primary");
  });

  it("explains the tier requirement", () => {
    const text = explainSubaccountRefusal({
      code: "invalid_parameters",
      message: "subaccounts need the Advanced API tier or above; this account is on basic",
    });
    expect(text).toContain("this account is on basic.");
    expect(text).toContain("Advanced API tier and above: ask Kalshi to raise your API tier");
  });

  it("passes any other refusal through", () => {
    expect(explainSubaccountRefusal({ code: "rate_limited", message: "Slow down" })).toBe(
      "Slow down",
    );
  });
});
