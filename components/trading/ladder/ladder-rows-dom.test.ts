import { describe, expect, it } from "vitest";

import { barScale, compactCount, mineText, queueText, sizeText } from "./ladder-rows-dom";

describe("ladder cell text", () => {
  it("shows volume at one precision: whole contracts, compact when large", () => {
    expect(compactCount(0)).toBe("");
    expect(compactCount(43)).toBe("<1");
    expect(compactCount(7_300)).toBe("73");
    expect(compactCount(20_243)).toBe("202");
    expect(compactCount(141_190)).toBe("1412");
    expect(compactCount(1_234_500)).toBe("12k");
    expect(compactCount(250_000_000)).toBe("2.5M");
  });

  it("keeps book sizes exact, with hundredths only when fractional", () => {
    expect(sizeText(0)).toBe("");
    expect(sizeText(500)).toBe("5");
    expect(sizeText(1_050)).toBe("10.50");
  });

  it("shows my remaining size and the queue ahead of my first order", () => {
    expect(mineText([{ orderId: "a", remaining: 300, queue: 12_000 }], undefined)).toBe("3 q120");
    expect(mineText([{ orderId: "b", remaining: 100, queue: undefined }], undefined)).toBe("1 q…");
    // A long queue stays short enough for the column: exact below 10,000 contracts, then "k".
    expect(queueText(0)).toBe("0");
    expect(queueText(999_900)).toBe("9999");
    expect(queueText(1_250)).toBe("12.50");
    expect(queueText(1_234_500)).toBe("12k");
    expect(mineText([{ orderId: "c", remaining: 1_200, queue: 4_567_800 }], undefined)).toBe(
      "12 q46k",
    );
  });
});

describe("depth bar scale", () => {
  it("rounds up to 1, 2 or 5 × 10ⁿ and holds while the largest level moves inside it", () => {
    expect(barScale(0, 0)).toBe(0);
    expect(barScale(0, 730)).toBe(1_000);
    expect(barScale(0, 1_000)).toBe(1_000);
    expect(barScale(0, 1_001)).toBe(2_000);
    expect(barScale(0, 3)).toBe(5);
    // Held: the largest wanders between 40% and 100% of the scale.
    expect(barScale(1_000, 990)).toBe(1_000);
    expect(barScale(1_000, 401)).toBe(1_000);
    // Outgrown at once; shrunk only when the largest falls below 40%.
    expect(barScale(1_000, 1_200)).toBe(2_000);
    expect(barScale(1_000, 399)).toBe(500);
    // An empty view keeps the scale it had.
    expect(barScale(2_000, 0)).toBe(2_000);
  });
});
