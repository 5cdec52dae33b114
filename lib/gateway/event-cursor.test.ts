import { describe, expect, it } from "vitest";
import { eventsSince, type EventCursor } from "@/lib/gateway/event-cursor";

const ev = (epoch: string | undefined, seq: number) => ({
  epoch,
  seq,
  msg: { id: `${epoch}:${seq}` },
});

describe("eventsSince", () => {
  it("treats what is there at first as history, then returns only newer events", () => {
    const first = eventsSince([ev("a", 2), ev("a", 1)], null);
    expect(first.fresh).toEqual([]);
    const next = eventsSince([ev("a", 4), ev("a", 3), ev("a", 2), ev("a", 1)], first.cursor);
    expect(next.fresh.map((e) => e.seq)).toEqual([4, 3]);
  });

  it("returns a restarted topic's events although their seq is lower than the last seen", () => {
    const cursor: EventCursor = { epoch: "a", seq: 57 };
    const { fresh, cursor: after } = eventsSince(
      [ev("b", 2), ev("b", 1), ev("a", 57), ev("a", 56)],
      cursor,
    );
    expect(fresh.map((e) => `${e.epoch}:${e.seq}`)).toEqual(["b:2", "b:1"]);
    expect(after).toEqual({ epoch: "b", seq: 2 });
    expect(eventsSince([ev("b", 2), ev("b", 1), ev("a", 57)], after).fresh).toEqual([]);
  });

  it("starts from nothing when the topic had no events yet", () => {
    const empty = eventsSince([], null);
    expect(eventsSince([ev(undefined, 1)], empty.cursor).fresh).toHaveLength(1);
  });
});
