import { describe, expect, it } from "vitest";

import { inSection } from "@/lib/navigation";

describe("inSection", () => {
  it("matches a section and the pages below it, and nothing that merely shares a prefix", () => {
    expect(inSection("/markets", "/markets")).toBe(true);
    expect(inSection("/markets/KXBTC-26JAN01-B100000", "/markets")).toBe(true);
    expect(inSection("/marketsfoo", "/markets")).toBe(false);
    expect(inSection("/events/KXBTC-26JAN01", "/markets")).toBe(false);
  });

  it("treats the home page as itself only", () => {
    expect(inSection("/", "/")).toBe(true);
    expect(inSection("/markets", "/")).toBe(false);
  });
});
