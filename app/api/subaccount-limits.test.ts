/**
 * Opening subaccounts through the BFF against the simulator, up to Kalshi's
 * documented limits (create-subaccount.md): 63 numbered subaccounts, the
 * 64th refused with 400 SUBACCOUNT_LIMIT_REACHED; below the Advanced tier,
 * refused with the tier named; nothing opened by a refusal. What the page
 * says about each refusal is components/subaccounts/subaccount-refusal.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as overview from "@/app/api/subaccounts/overview/route";
import * as subaccounts from "@/app/api/subaccounts/route";
import { explainSubaccountRefusal } from "@/components/subaccounts/subaccount-refusal";
import {
  errorOf,
  startBffHarness,
  type BffHarness,
  type Handler,
  type Trader,
} from "@/server/testing/bff-harness";

let h: BffHarness;

beforeAll(async () => {
  h = await startBffHarness();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const open = (who: Trader) =>
  h.call(subaccounts.POST as Handler, {
    method: "POST",
    path: "/api/subaccounts",
    body: {},
    cookie: who.cookie,
  });

describe("opening subaccounts", () => {
  it("opens 63 numbered subaccounts and refuses the 64th with the documented error", async () => {
    // Premier: 63 opens in a burst fit its write budget.
    const trader = await h.trader("many-subs@example.com", { tier: "premier" });
    for (let n = 1; n <= 63; n += 1) {
      const opened = await open(trader);
      expect(opened.status, opened.text).toBe(201);
      expect(opened.body.subaccount_number).toBe(n);
    }
    const refused = await open(trader);
    expect(refused.status, refused.text).toBe(400);
    const error = errorOf(refused);
    expect(error?.code).toBe("SUBACCOUNT_LIMIT_REACHED");
    expect(explainSubaccountRefusal(error ?? { code: "", message: "" })).toContain(
      "All 63 numbered subaccounts are open",
    );
    const listed = await h.call(overview.GET as Handler, {
      method: "GET",
      path: "/api/subaccounts/overview",
      cookie: trader.cookie,
    });
    expect(listed.status, listed.text).toBe(200);
    expect((listed.body.subaccounts as unknown[]).length).toBe(64);
    expect(listed.body.max_subaccounts).toBe(63);
  }, 60_000);

  it("refuses an account below the Advanced tier, naming the tier, and opens nothing", async () => {
    const trader = await h.trader("basic-subs@example.com", { tier: "basic" });
    const refused = await open(trader);
    expect(refused.status, refused.text).toBe(400);
    const error = errorOf(refused);
    expect(error?.message).toContain("Advanced");
    expect(explainSubaccountRefusal(error ?? { code: "", message: "" })).toContain(
      "ask Kalshi to raise your API tier",
    );
    expect(h.sim.exchange.state.users.get(trader.account.userId)?.subaccountCount).toBe(0);
  });
});
