import { describe, expect, it } from "vitest";

import { historyRows } from "@/lib/portfolio/history-rows";
import type { HistoryPage } from "@/lib/schemas/portfolio-history";

const fills = (tier: "live" | "historical", ...ids: string[]): HistoryPage =>
  ({ kind: "fills", tier, cursor: "x", items: ids.map((fill_id) => ({ fill_id })) }) as never;

const shape = (rows: ReturnType<typeof historyRows>) =>
  rows.map((r) => (r.type === "tier" ? "|" : String((r.item as { fill_id?: string }).fill_id)));

describe("historyRows", () => {
  it("reads on from live into historical with one marker, dropping a record seen in both", () => {
    const rows = historyRows("fills", [
      fills("live", "f9", "f8"),
      fills("live", "f7"),
      fills("historical", "f7", "f6"),
      fills("historical", "f5"),
    ]);
    expect(shape(rows)).toEqual(["f9", "f8", "f7", "|", "f6", "f5"]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it("puts no marker on a list that is all one tier, or whose live tier was empty", () => {
    expect(shape(historyRows("fills", [fills("live", "a"), fills("live", "b")]))).toEqual([
      "a",
      "b",
    ]);
    expect(shape(historyRows("fills", [fills("live"), fills("historical", "a")]))).toEqual(["a"]);
  });

  it("keeps two settlements of one market and time (they have no id) as two rows", () => {
    const settlement = { ticker: "KX-1", settled_time: "2026-01-01T00:00:00Z", revenue: 100 };
    const rows = historyRows("settlements", [
      {
        kind: "settlements",
        tier: "live",
        cursor: "",
        items: [settlement, { ...settlement }],
      } as never,
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.key).not.toBe(rows[1]?.key);
  });
});
