/**
 * Order groups through the unchanged `kalshi-typescript` SDK against a running
 * simulator: every endpoint with the SDK's required fields checked, the trip
 * refusing new orders until a reset, subaccount scoping as each page says,
 * and `order_group_updates` delivered to the owner only, in seq order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/sim/accounts";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { sdkClients, sdkRejection, type SdkClients } from "@/server/sim/testing/sdk-clients";
import { sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";
import { createSignedFetch } from "@/server/sim/testing/signed-fetch";
import { msgOf, signedHeaders, TestClient } from "@/server/sim/ws/test-support";
import { parseDollars } from "@/lib/fixed-point";

let sim: RunningSim;
let market: MarketRecord;
let alice: { user: UserRecord; sdk: SdkClients; key: ReturnType<typeof generateApiKey> };
let bob: { user: UserRecord; sdk: SdkClients; key: ReturnType<typeof generateApiKey> };

function account() {
  const user = addUser(sim.exchange.state, 1_000_000);
  user.tier = "advanced";
  const key = generateApiKey(sim.exchange.state, user, "order-groups test");
  return { user, key, sdk: sdkClients(sim.restBaseUrl, key) };
}

const conforms = (model: string, data: unknown) =>
  expect(sdkShapeProblems(model, data)).toEqual([]);

const bid = (overrides: Record<string, unknown> = {}) => ({
  ticker: market.ticker,
  side: "bid" as const,
  count: "10",
  price: "0.40",
  time_in_force: "good_till_canceled" as const,
  self_trade_prevention_type: "taker_at_cross" as const,
  ...overrides,
});

/** Bob sells into the book directly through the engine (a counterparty, not under test). */
function bobSells(price: string, contracts: number) {
  return sim.exchange.engine.placeOrder({
    userId: bob.user.userId,
    ticker: market.ticker,
    side: "ask",
    price: parseDollars(price),
    count: contracts * 100,
    timeInForce: "immediate_or_cancel",
  });
}

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  market = addMarket(sim.exchange.state, {
    ticker: "KXOG-26JAN01-T50",
    eventTicker: "KXOG-26JAN01",
    seriesTicker: "KXOG",
  });
  alice = account();
  bob = account();
});

afterAll(async () => {
  await sim.close();
});

describe("order group endpoints through the SDK", () => {
  it("create, get, list, limit, trigger, reset and delete", async () => {
    const { orderGroups, orders } = alice.sdk;
    const created = await orderGroups.createOrderGroup({ contracts_limit: 25 });
    expect(created.status).toBe(201);
    conforms("create-order-group-response", created.data);
    expect(created.data).toMatchObject({ subaccount: 0, exchange_index: 0 });
    const id = created.data.order_group_id;

    const placed = await orders.createOrderV2(bid({ order_group_id: id }));
    const got = await orderGroups.getOrderGroup(id);
    conforms("get-order-group-response", got.data);
    expect(got.data).toEqual({
      is_auto_cancel_enabled: true,
      contracts_limit_fp: "25.00",
      orders: [placed.data.order_id],
      exchange_index: 0,
    });

    const listed = await orderGroups.getOrderGroups();
    conforms("get-order-groups-response", listed.data);
    expect(listed.data.order_groups).toContainEqual({
      id,
      contracts_limit_fp: "25.00",
      is_auto_cancel_enabled: true,
      exchange_index: 0,
    });

    const limit = await orderGroups.updateOrderGroupLimit(id, { contracts_limit_fp: "12.50" });
    expect([limit.status, limit.data]).toEqual([200, {}]);
    expect((await orderGroups.getOrderGroup(id)).data.contracts_limit_fp).toBe("12.50");

    const trigger = await orderGroups.triggerOrderGroup(id);
    expect([trigger.status, trigger.data]).toEqual([200, {}]);
    expect((await orders.getOrder(placed.data.order_id)).data.order.status).toBe("canceled");
    expect((await orderGroups.getOrderGroup(id)).data.is_auto_cancel_enabled).toBe(false);

    const reset = await orderGroups.resetOrderGroup(id, undefined, undefined, {});
    expect([reset.status, reset.data]).toEqual([200, {}]);
    expect((await orderGroups.getOrderGroup(id)).data.is_auto_cancel_enabled).toBe(true);

    const second = await orders.createOrderV2(bid({ order_group_id: id }));
    const deleted = await orderGroups.deleteOrderGroup(id);
    expect([deleted.status, deleted.data]).toEqual([200, {}]);
    expect((await orders.getOrder(second.data.order_id)).data.order.status).toBe("canceled");
    expect((await sdkRejection(orderGroups.getOrderGroup(id))).status).toBe(404);
    expect((await sdkRejection(orderGroups.deleteOrderGroup(id))).status).toBe(404);
  });

  it("a tripped group refuses orders (409 ORDER_GROUP_TRIGGERED) until reset", async () => {
    const { orderGroups, orders } = alice.sdk;
    const id = (await orderGroups.createOrderGroup({ contracts_limit_fp: "5" })).data
      .order_group_id;
    const maker = await orders.createOrderV2(
      bid({ order_group_id: id, price: "0.45", count: "20" }),
    );
    bobSells("0.45", 6); // 6 filled within the window > 5
    expect((await orders.getOrder(maker.data.order_id)).data.order).toMatchObject({
      status: "canceled",
      fill_count_fp: "6.00",
    });
    const refused = await sdkRejection(orders.createOrderV2(bid({ order_group_id: id })));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("ORDER_GROUP_TRIGGERED");
    // The SDK has no legacy create; the legacy route is checked over signed HTTP.
    const legacy = await createSignedFetch({ restBaseUrl: sim.restBaseUrl, ...alice.key })(
      "/portfolio/orders",
      {
        method: "POST",
        body: JSON.stringify({
          ticker: market.ticker,
          side: "yes",
          action: "buy",
          count: 1,
          yes_price: 40,
          order_group_id: id,
        }),
      },
    );
    expect([legacy.status, ((await legacy.json()) as { code: string }).code]).toEqual([
      409,
      "ORDER_GROUP_TRIGGERED",
    ]);

    await orderGroups.resetOrderGroup(id);
    const again = await orders.createOrderV2(bid({ order_group_id: id }));
    expect(again.status).toBe(201);
  });

  it("refuses bad input with a 400 naming the field and creates nothing", async () => {
    const { orderGroups, orders } = alice.sdk;
    const before = (await orderGroups.getOrderGroups()).data.order_groups?.length;
    for (const [body, field] of [
      [{}, "contracts_limit"],
      [{ contracts_limit: 0 }, "contracts_limit"],
      [{ contracts_limit: 5, contracts_limit_fp: "6" }, "contracts_limit_fp"],
      [{ contracts_limit: 1_000_001 }, "contracts_limit"],
      [{ contracts_limit: 5, color: "red" }, "color"],
      [{ contracts_limit: 5, subaccount: 9 }, "subaccount"],
    ] as const) {
      const rejected = await sdkRejection(orderGroups.createOrderGroup(body as never));
      expect(rejected.status, JSON.stringify(body)).toBe(400);
      expect(String(rejected.body.message)).toContain(field);
    }
    expect((await orderGroups.getOrderGroups()).data.order_groups?.length).toBe(before);
    const unknown = await sdkRejection(
      orders.createOrderV2(bid({ order_group_id: "not-a-group" })),
    );
    expect([unknown.status, unknown.body.code]).toEqual([400, "ORDER_GROUP_NOT_FOUND"]);
    const bobsGroup = (await bob.sdk.orderGroups.createOrderGroup({ contracts_limit: 5 })).data
      .order_group_id;
    const foreign = await sdkRejection(orders.createOrderV2(bid({ order_group_id: bobsGroup })));
    expect([foreign.status, foreign.body.code]).toEqual([400, "ORDER_GROUP_NOT_FOUND"]);
    expect((await sdkRejection(orderGroups.getOrderGroup(bobsGroup))).status).toBe(404);
    expect((await sdkRejection(orderGroups.triggerOrderGroup(bobsGroup))).status).toBe(404);
  });

  it("scopes by subaccount: get/list omitted = all, actions omitted = primary", async () => {
    const { orderGroups, portfolio } = alice.sdk;
    const sub = (await portfolio.createSubaccount()).data.subaccount_number;
    const primary = (await orderGroups.createOrderGroup({ contracts_limit: 3 })).data
      .order_group_id;
    const created = await orderGroups.createOrderGroup({ contracts_limit: 3, subaccount: sub });
    expect(created.data.subaccount).toBe(sub);
    const inSub = created.data.order_group_id;

    expect((await orderGroups.getOrderGroup(inSub)).status).toBe(200);
    expect((await orderGroups.getOrderGroup(inSub, sub)).status).toBe(200);
    expect((await sdkRejection(orderGroups.getOrderGroup(inSub, 0))).status).toBe(404);
    const all = (await orderGroups.getOrderGroups()).data.order_groups?.map((g) => g.id) ?? [];
    expect(all).toEqual(expect.arrayContaining([primary, inSub]));
    expect((await orderGroups.getOrderGroups(sub)).data.order_groups?.map((g) => g.id)).toEqual([
      inSub,
    ]);
    expect((await orderGroups.getOrderGroups(0)).data.order_groups?.map((g) => g.id)).not.toContain(
      inSub,
    );

    // trigger/reset/limit/delete default to subaccount 0.
    expect((await sdkRejection(orderGroups.triggerOrderGroup(inSub))).status).toBe(404);
    expect(
      (await sdkRejection(orderGroups.updateOrderGroupLimit(inSub, { contracts_limit: 4 }))).status,
    ).toBe(404);
    expect((await orderGroups.triggerOrderGroup(inSub, sub)).status).toBe(200);
    expect((await orderGroups.resetOrderGroup(inSub, sub)).status).toBe(200);
    expect(
      (await orderGroups.updateOrderGroupLimit(inSub, { contracts_limit: 4 }, sub)).status,
    ).toBe(200);
    expect((await sdkRejection(orderGroups.deleteOrderGroup(inSub))).status).toBe(404);
    expect((await orderGroups.deleteOrderGroup(inSub, sub)).status).toBe(200);

    // An order must be in the group's subaccount.
    const mismatch = await sdkRejection(
      alice.sdk.orders.createOrderV2(bid({ order_group_id: primary, subaccount: sub })),
    );
    expect([mismatch.status, mismatch.body.code]).toEqual([400, "ORDER_GROUP_SUBACCOUNT_MISMATCH"]);
  });
});

describe("order_group_updates over WebSocket", () => {
  it("reaches the owner only, in order, with increasing seq", async () => {
    const aliceWs = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    const bobWs = await TestClient.connect(sim.wsUrl, signedHeaders(bob.key));
    try {
      for (const client of [aliceWs, bobWs]) {
        await client.command({
          id: 1,
          cmd: "subscribe",
          params: { channels: ["order_group_updates"] },
        });
      }
      const aliceFrom = aliceWs.frames.length;
      const bobFrom = bobWs.frames.length;
      const { orderGroups, orders } = alice.sdk;
      const id = (await orderGroups.createOrderGroup({ contracts_limit: 2 })).data.order_group_id;
      await orders.createOrderV2(bid({ order_group_id: id, price: "0.47", count: "5" }));
      await orderGroups.updateOrderGroupLimit(id, { contracts_limit: 3 });
      bobSells("0.47", 4); // trips: 4 > 3
      await orderGroups.resetOrderGroup(id);
      await orderGroups.triggerOrderGroup(id);
      await orderGroups.deleteOrderGroup(id);

      const frames = (await aliceWs.drain(aliceFrom)).filter(
        (f) => f.type === "order_group_updates",
      );
      expect(frames.map((f) => msgOf(f).event_type)).toEqual([
        "created",
        "limit_updated",
        "triggered",
        "reset",
        "triggered",
        "deleted",
      ]);
      expect(frames.map((f) => msgOf(f).contracts_limit_fp)).toEqual([
        "2.00",
        "3.00",
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      for (const frame of frames) {
        expect(msgOf(frame).order_group_id).toBe(id);
        expect(msgOf(frame).ts_ms).toBeTypeOf("number");
      }
      const seqs = frames.map((f) => f.seq as number);
      for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]).toBe((seqs[i - 1] as number) + 1);
      expect(new Set(frames.map((f) => f.sid)).size).toBe(1);

      const bobFrames = (await bobWs.drain(bobFrom)).filter(
        (f) => f.type === "order_group_updates",
      );
      expect(bobFrames).toEqual([]);
    } finally {
      aliceWs.close();
      bobWs.close();
    }
  });
});
