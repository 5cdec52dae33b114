import { describe, expect, it } from "vitest";

import { MarkStore } from "./mark-store";

/** A store whose frames the test runs by hand, with room for `perFrame` tickers each. */
function setup(perFrame: number) {
  const frames: Array<() => void> = [];
  const store = new MarkStore((flush) => frames.push(flush), perFrame);
  const painted: string[] = [];
  const frame = () => {
    painted.length = 0;
    for (const run of frames.splice(0)) run();
    return [...painted];
  };
  const watch = (ticker: string) => store.subscribe(ticker, () => painted.push(ticker));
  return { store, frame, watch, pending: () => frames.length };
}

describe("MarkStore", () => {
  it("serves at most its budget of watched tickers per frame, oldest change first, until all are shown", () => {
    const { store, frame, watch } = setup(2);
    for (const t of ["A", "B", "C", "D", "E"]) watch(t);
    for (const [i, t] of ["A", "B", "C", "D", "E"].entries()) store.setMark(t, 100_000 + i, "live");
    expect(frame()).toEqual(["A", "B"]);
    // A new change to C while it waits keeps its place in the queue (it is not sent to the back).
    store.setMark("C", 555_000, "live");
    store.setMark("A", 111_000, "live");
    expect(frame()).toEqual(["C", "D"]);
    expect(frame()).toEqual(["E", "A"]);
    expect(frame()).toEqual([]);
    // Each listener reads the latest mark when it runs.
    expect(store.get("C")?.yes).toBe(555_000);
  });

  it("spends no budget on tickers nobody shows, and runs when idle otherwise", () => {
    const { store, frame, watch, pending } = setup(1);
    watch("SHOWN");
    for (let i = 0; i < 50; i++) store.setMark(`HIDDEN-${i}`, 10_000 * (i + 1), "live");
    store.setMark("SHOWN", 420_000, "live");
    expect(frame()).toEqual(["SHOWN"]);
    expect(pending()).toBe(0);
  });

  it("tells whole-book listeners once per frame that flushed, and bumps the version", () => {
    const { store, frame, watch } = setup(1);
    watch("A");
    watch("B");
    let any = 0;
    store.subscribeAny(() => (any += 1));
    const v0 = store.getVersion();
    store.setMark("A", 100_000, "live");
    store.setMark("B", 200_000, "live");
    frame();
    frame();
    expect(any).toBe(2);
    expect(store.getVersion()).toBe(v0 + 2);
  });

  it("ignores a REST mark once a live one arrived, and an unchanged mark entirely", () => {
    const { store, frame, watch, pending } = setup(4);
    watch("A");
    store.setMark("A", 300_000, "live");
    frame();
    store.setMark("A", 900_000, "rest");
    store.setMark("A", 300_000, "live");
    expect(pending()).toBe(0);
    expect(store.get("A")?.yes).toBe(300_000);
  });
});
