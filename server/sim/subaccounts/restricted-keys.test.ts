/**
 * Subaccount-restricted API keys over real HTTP (the unchanged SDK where it
 * has the call): the key acts on its locked subaccount when `subaccount` is
 * omitted, is refused (403) when it names another, cannot see or touch a
 * sibling subaccount's orders (404), and gets the documented 403 on
 * endpoints outside its set (transfers, subaccount management, API keys).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { generateApiKey } from "@/server/sim/accounts";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { RESTRICTED_ENDPOINT_MESSAGE } from "@/server/sim/subaccounts/restricted-keys";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { sdkClients, sdkRejection, type SdkClients } from "@/server/sim/testing/sdk-clients";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";

let sim: RunningSim;
let market: MarketRecord;
let owner: UserRecord;
let full: SdkClients;
let locked: SdkClients;
let lockedFetch: SignedFetch;
let primaryOrder: string;
let primaryGroup: string;

const order = (overrides: Record<string, unknown> = {}) => ({
  ticker: market.ticker,
  side: "bid" as const,
  count: "2",
  price: "0.30",
  time_in_force: "good_till_canceled" as const,
  self_trade_prevention_type: "taker_at_cross" as const,
  ...overrides,
});

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  const { state } = sim.exchange;
  market = addMarket(state, {
    ticker: "KXLOCK-26JAN01-T50",
    eventTicker: "KXLOCK-26JAN01",
    seriesTicker: "KXLOCK",
  });
  owner = addUser(state, 100_000);
  owner.tier = "advanced";
  full = sdkClients(sim.restBaseUrl, generateApiKey(state, owner, "full"));
  await full.portfolio.createSubaccount();
  await full.portfolio.createSubaccount();
  for (const to of [1, 2]) {
    await full.portfolio.applySubaccountTransfer({
      client_transfer_id: randomUUID(),
      from_subaccount: 0,
      to_subaccount: to,
      amount_cents: 10_000,
    });
  }
  const key = generateApiKey(state, owner, "locked to 1", ["read", "write"], 1);
  locked = sdkClients(sim.restBaseUrl, key);
  lockedFetch = createSignedFetch({ restBaseUrl: sim.restBaseUrl, ...key });
  primaryOrder = (await full.orders.createOrderV2(order())).data.order_id;
  primaryGroup = (await full.orderGroups.createOrderGroup({ contracts_limit: 5 })).data
    .order_group_id;
});

afterAll(async () => {
  await sim.close();
});

describe("a subaccount-restricted key", () => {
  it("places orders in its subaccount when subaccount is omitted, and is refused for another", async () => {
    const placed = await locked.orders.createOrderV2(order());
    expect(sim.exchange.state.orders.get(placed.data.order_id)?.subaccount).toBe(1);
    expect((await locked.orders.createOrderV2(order({ subaccount: 1 }))).status).toBe(201);
    const before = sim.exchange.state.orders.size;
    const other = await sdkRejection(locked.orders.createOrderV2(order({ subaccount: 2 })));
    expect([other.status, other.body.code]).toEqual([403, "forbidden"]);
    // A batch naming another subaccount anywhere is refused whole.
    const batch = await sdkRejection(
      locked.orders.batchCreateOrdersV2({ orders: [order(), order({ subaccount: 0 })] }),
    );
    expect(batch.status).toBe(403);
    expect(sim.exchange.state.orders.size).toBe(before);
    const legacy = await lockedFetch("/portfolio/orders", {
      method: "POST",
      body: JSON.stringify({
        ticker: market.ticker,
        side: "yes",
        action: "buy",
        count: 1,
        yes_price: 30,
        subaccount: 0,
      }),
    });
    expect(legacy.status).toBe(403);
  });

  it("sees only its subaccount's orders, fills, positions, settlements and balance", async () => {
    const own = (await locked.orders.getOrders()).data.orders;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((o) => o.subaccount_number === 1)).toBe(true);
    expect(
      (
        await sdkRejection(
          locked.orders.getOrders(
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            0,
          ),
        )
      ).status,
    ).toBe(403);
    expect((await sdkRejection(locked.orders.getOrder(primaryOrder))).status).toBe(404);
    expect((await sdkRejection(locked.orders.getOrderQueuePosition(primaryOrder))).status).toBe(
      404,
    );
    expect(
      (await locked.orders.getOrderQueuePositions()).data.queue_positions.every(
        (q) => q.order_id !== primaryOrder,
      ),
    ).toBe(true);

    const balance = (await locked.portfolio.getBalance()).data.balance;
    expect(balance).toBe(Math.floor(sim.exchange.state.balance(owner, 1) / 10_000));
    expect(balance).not.toBe((await full.portfolio.getBalance()).data.balance);
    expect((await sdkRejection(locked.portfolio.getBalance(0))).status).toBe(403);
    expect((await locked.portfolio.getBalance(1)).status).toBe(200);
    expect(
      (
        await sdkRejection(
          locked.portfolio.getPositions(undefined, undefined, undefined, undefined, undefined, 2),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await sdkRejection(
          locked.portfolio.getFills(
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            0,
          ),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await sdkRejection(
          locked.portfolio.getSettlements(
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            0,
          ),
        )
      ).status,
    ).toBe(403);
  });

  it("cannot cancel, amend or decrease a sibling subaccount's order", async () => {
    expect((await sdkRejection(locked.orders.cancelOrderV2(primaryOrder))).status).toBe(404);
    expect((await sdkRejection(locked.orders.cancelOrderV2(primaryOrder, 0))).status).toBe(403);
    expect(
      (await sdkRejection(locked.orders.decreaseOrderV2(primaryOrder, { reduce_by: "1" }))).status,
    ).toBe(404);
    const amend = { ticker: market.ticker, side: "bid" as const, price: "0.31", count: "2" };
    expect((await sdkRejection(locked.orders.amendOrderV2(primaryOrder, amend))).status).toBe(404);
    const batch = await locked.orders.batchCancelOrdersV2({ orders: [{ order_id: primaryOrder }] });
    expect(batch.data.orders[0]?.error?.code).toBe("not_found");
    expect(sim.exchange.state.orders.get(primaryOrder)?.status).toBe("resting");
    expect(sim.exchange.state.orders.get(primaryOrder)?.remainingCount).toBe(200);
  });

  it("manages order groups in its subaccount only", async () => {
    const created = await locked.orderGroups.createOrderGroup({ contracts_limit: 3 });
    expect(created.data.subaccount).toBe(1);
    expect(
      (
        await sdkRejection(
          locked.orderGroups.createOrderGroup({ contracts_limit: 3, subaccount: 0 }),
        )
      ).status,
    ).toBe(403);
    expect((await locked.orderGroups.getOrderGroups()).data.order_groups?.map((g) => g.id)).toEqual(
      [created.data.order_group_id],
    );
    expect((await sdkRejection(locked.orderGroups.getOrderGroup(primaryGroup))).status).toBe(404);
    expect((await sdkRejection(locked.orderGroups.triggerOrderGroup(primaryGroup))).status).toBe(
      404,
    );
    expect((await locked.orderGroups.triggerOrderGroup(created.data.order_group_id)).status).toBe(
      200,
    );
  });

  it("gets the documented 403 on transfers, subaccount management and API keys", async () => {
    const balancesBefore = [...owner.balances.entries()];
    for (const call of [
      locked.portfolio.applySubaccountTransfer({
        client_transfer_id: randomUUID(),
        from_subaccount: 1,
        to_subaccount: 0,
        amount_cents: 100,
      }),
      locked.portfolio.createSubaccount(),
      locked.portfolio.getSubaccountBalances(),
      locked.portfolio.getSubaccountTransfers(),
      locked.portfolio.getSubaccountNetting(),
      locked.portfolio.updateSubaccountNetting({ subaccount_number: 1, enabled: false }),
    ]) {
      const refused = await sdkRejection(call);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(RESTRICTED_ENDPOINT_MESSAGE);
    }
    expect((await lockedFetch("/api_keys")).status).toBe(403);
    expect([...owner.balances.entries()]).toEqual(balancesBefore);
    expect(owner.subaccountCount).toBe(2);
  });
});
