// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";

import { paintLiveCells } from "./live-cells";

function cells() {
  const make = (ch: number) => {
    const span = document.createElement("span");
    span.dataset.ch = String(ch);
    return span;
  };
  return { mark: make(8), value: make(11), pnl: make(11), pct: make(8) };
}

describe("live position cells", () => {
  it("write the mark, value and P&L, and keep their boxes when the text fits", () => {
    const c = cells();
    // 10 YES contracts bought for $4.00, marked at 52¢: worth $5.20, +$1.20, +30%.
    paintLiveCells(c, 520_000, { side: "yes", contracts: 1_000, cost: 4_000_000 });
    expect(c.value.textContent).toBe("$5.20");
    expect(c.pnl.textContent).toBe("+$1.20");
    expect(c.pct.textContent).toContain("30");
    expect(c.pnl.className).toContain("text-yes");
    for (const box of Object.values(c)) expect(box.style.width).toBe("");
  });

  it("widen a box (never narrow it) when a longer figure arrives, so nothing is clipped or overlaps", () => {
    const c = cells();
    // 2,000,000 contracts: the value is "$1,040,000.00" (13 characters) — wider than its 11ch box.
    paintLiveCells(c, 520_000, { side: "yes", contracts: 200_000_000, cost: 800_000_000_000 });
    expect(c.value.textContent).toBe("$1,040,000.00");
    expect(c.value.style.width).toBe("14ch");
    paintLiveCells(c, 520_000, { side: "yes", contracts: 1_000, cost: 4_000_000 });
    expect(c.value.textContent).toBe("$5.20");
    expect(c.value.style.width).toBe("14ch");
  });
});
