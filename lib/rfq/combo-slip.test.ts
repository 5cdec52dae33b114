// @vitest-environment happy-dom
import { act, renderHook } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type * as ComboSlipModule from "@/lib/rfq/combo-slip";
import type { SlipLeg } from "@/lib/rfq/combo-slip";

/**
 * The combo slip store: legs in and out, one market per event (so a market
 * is never in twice), a cap at the collection's size, one collection per
 * slip, kept in localStorage across reloads and shared by tabs. Each test
 * loads the module fresh, as a page load does.
 */
type Slip = typeof ComboSlipModule;
let slip: Slip;

async function load(): Promise<Slip> {
  vi.resetModules();
  return import("@/lib/rfq/combo-slip");
}

const leg = (event: string, market: string, side: "yes" | "no"): SlipLeg => ({
  market_ticker: `${event}-${market}`,
  event_ticker: event,
  side,
  label: `${market} ${side}`,
});
/** The stored slip's legs as "market:side" (what a reload would read). */
const tickers = (): string[] => {
  const stored = JSON.parse(window.localStorage.getItem(slip.STORAGE_KEY) ?? "{}") as {
    legs?: SlipLeg[];
  };
  return (stored.legs ?? []).map((l) => `${l.market_ticker}:${l.side}`);
};

beforeEach(async () => {
  window.localStorage.clear();
  slip = await load();
});

describe("combo slip", () => {
  it("adds legs, toggles a leg off when picked again, and removes one by market", () => {
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "yes"))).toBe("added");
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME2", "B", "no"))).toBe("added");
    expect(tickers()).toEqual(["GAME1-A:yes", "GAME2-B:no"]);
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "yes"))).toBe("removed");
    expect(tickers()).toEqual(["GAME2-B:no"]);
    slip.removeLeg("GAME2-B");
    expect(JSON.parse(window.localStorage.getItem(slip.STORAGE_KEY) ?? "")).toEqual({
      collection_ticker: null,
      legs: [],
    });
  });

  it("never holds a market twice: its other side, or another market of its event, replaces it", () => {
    slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "yes"));
    slip.toggleLeg("KXMVEDAY", leg("GAME2", "B", "yes"));
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "no"))).toBe("replaced");
    expect(tickers()).toEqual(["GAME2-B:yes", "GAME1-A:no"]);
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME1", "C", "yes"))).toBe("replaced");
    expect(tickers()).toEqual(["GAME2-B:yes", "GAME1-C:yes"]);
  });

  it("refuses a leg past the collection's size and keeps the slip as it was", () => {
    slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "yes"), { sizeMax: 2 });
    slip.toggleLeg("KXMVEDAY", leg("GAME2", "B", "yes"), { sizeMax: 2 });
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME3", "C", "yes"), { sizeMax: 2 })).toBe("full");
    expect(tickers()).toEqual(["GAME1-A:yes", "GAME2-B:yes"]);
    // Replacing within an event is not growing: still allowed when full.
    expect(slip.toggleLeg("KXMVEDAY", leg("GAME2", "B", "no"), { sizeMax: 2 })).toBe("replaced");
    // Without a size, the stored form's own limit holds, so a full slip still reloads.
    for (let i = 0; i < slip.MAX_SLIP_LEGS + 3; i += 1)
      slip.toggleLeg("KXMVEWIDE", leg(`EV${i}`, "M", "yes"));
    expect(tickers()).toHaveLength(slip.MAX_SLIP_LEGS);
  });

  it("starts a new slip for a leg of another collection", () => {
    slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "yes"));
    slip.toggleLeg("KXMVEECON", leg("CPI", "T3", "yes"));
    const stored = JSON.parse(window.localStorage.getItem(slip.STORAGE_KEY) ?? "");
    expect(stored.collection_ticker).toBe("KXMVEECON");
    expect(tickers()).toEqual(["CPI-T3:yes"]);
  });

  it("survives a reload, ignores a corrupt store, and clears", async () => {
    slip.toggleLeg("KXMVEDAY", leg("GAME1", "A", "yes"));
    slip.toggleLeg("KXMVEDAY", leg("GAME2", "B", "no"));
    slip = await load();
    const { result } = renderHook(() => slip.useComboSlip());
    expect(result.current.collection_ticker).toBe("KXMVEDAY");
    expect(result.current.legs.map((l) => l.market_ticker)).toEqual(["GAME1-A", "GAME2-B"]);
    act(() => slip.clearSlip());
    expect(result.current.legs).toEqual([]);

    window.localStorage.setItem(slip.STORAGE_KEY, '{"collection_ticker":1,"legs":"x"}');
    slip = await load();
    expect(renderHook(() => slip.useComboSlip()).result.current.legs).toEqual([]);
  });

  it("follows a change made in another tab (the storage event)", () => {
    const { result } = renderHook(() => slip.useComboSlip());
    expect(result.current.legs).toEqual([]);
    const other = {
      collection_ticker: "KXMVEDAY",
      legs: [leg("GAME9", "Z", "no")],
    };
    act(() => {
      window.localStorage.setItem(slip.STORAGE_KEY, JSON.stringify(other));
      window.dispatchEvent(new StorageEvent("storage", { key: slip.STORAGE_KEY }));
    });
    expect(result.current).toEqual(other);
  });
});
