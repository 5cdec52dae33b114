/**
 * Subaccounts through the unchanged `kalshi-typescript` SDK against a running
 * simulator: create (up to 63, Advanced tier and above), balances of all,
 * transfers with their history, netting; then the `subaccount` parameter of
 * every portfolio and order endpoint (omitted = all or primary, exactly as
 * each page says) and the `subaccount_number` on orders.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDollars } from "@/lib/fixed-point";
import { generateApiKey } from "@/server/sim/accounts";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { sdkClients, sdkRejection, type SdkClients } from "@/server/sim/testing/sdk-clients";
import { sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";
import { createSignedFetch } from "@/server/sim/testing/signed-fetch";

let sim: RunningSim;
let market: MarketRecord;

interface Account {
  user: UserRecord;
  key: { apiKeyId: string; privateKeyPem: string };
  sdk: SdkClients;
}

function account(balanceCents: number, tier = "advanced"): Account {
  const user = addUser(sim.exchange.state, balanceCents);
  user.tier = tier;
  const key = generateApiKey(sim.exchange.state, user, "subaccounts test");
  return { user, key, sdk: sdkClients(sim.restBaseUrl, key) };
}

const conforms = (model: string, data: unknown) =>
  expect(sdkShapeProblems(model, data)).toEqual([]);

const transfer = (
  from: number,
  to: number,
  amountCents: number,
  clientTransferId = randomUUID(),
) => ({
  client_transfer_id: clientTransferId,
  from_subaccount: from,
  to_subaccount: to,
  amount_cents: amountCents,
});

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  market = addMarket(sim.exchange.state, {
    ticker: "KXSUB-26JAN01-T50",
    eventTicker: "KXSUB-26JAN01",
    seriesTicker: "KXSUB",
  });
});

afterAll(async () => {
  await sim.close();
});

describe("subaccount management", () => {
  it("numbers subaccounts from 1 and refuses the 64th with 400 SUBACCOUNT_LIMIT_REACHED", async () => {
    // Premier: 63 creates in a burst stay inside its Write bucket (Advanced's would run dry).
    const { portfolio } = account(10_000, "premier").sdk;
    const first = await portfolio.createSubaccount();
    expect(first.status).toBe(201);
    conforms("create-subaccount-response", first.data);
    expect(first.data).toEqual({ subaccount_number: 1 });
    expect((await portfolio.createSubaccount({ exchange_index: 0 })).data.subaccount_number).toBe(
      2,
    );
    for (let n = 3; n <= 63; n += 1) {
      expect((await portfolio.createSubaccount()).data.subaccount_number).toBe(n);
    }
    const refused = await sdkRejection(portfolio.createSubaccount());
    expect([refused.status, refused.body.code]).toEqual([400, "SUBACCOUNT_LIMIT_REACHED"]);
    expect((await portfolio.getSubaccountBalances()).data.subaccount_balances).toHaveLength(64);
  });

  it("refuses a basic-tier account and a bad body, creating nothing", async () => {
    const basic = account(10_000, "basic");
    const refused = await sdkRejection(basic.sdk.portfolio.createSubaccount());
    expect(refused.status).toBe(400);
    expect(String(refused.body.message)).toContain("Advanced");
    expect(basic.user.subaccountCount).toBe(0);
    const advanced = account(10_000);
    const bad = await sdkRejection(advanced.sdk.portfolio.createSubaccount({ exchange_index: 3 }));
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toContain("exchange_index");
    expect(advanced.user.subaccountCount).toBe(0);
  });

  it("transfers cash, lists balances of all (primary included) and the transfer history", async () => {
    const { portfolio } = account(1_000_000).sdk; // $10,000
    await portfolio.createSubaccount();
    await portfolio.createSubaccount();
    const done = await portfolio.applySubaccountTransfer(transfer(0, 1, 10_000));
    expect([done.status, done.data]).toEqual([200, {}]);
    await portfolio.applySubaccountTransfer(transfer(0, 2, 5_000));
    await portfolio.applySubaccountTransfer(transfer(1, 2, 2_550));

    const balances = await portfolio.getSubaccountBalances();
    conforms("get-subaccount-balances-response", balances.data);
    expect(
      balances.data.subaccount_balances.map((b) => [
        b.subaccount_number,
        b.balance,
        b.exchange_index,
      ]),
    ).toEqual([
      [0, "9850.0000", 0],
      [1, "74.5000", 0],
      [2, "75.5000", 0],
    ]);
    expect((await portfolio.getBalance(1)).data.balance).toBe(7_450);

    const all = await portfolio.getSubaccountTransfers();
    conforms("get-subaccount-transfers-response", all.data);
    expect(
      all.data.transfers.map((t) => [t.from_subaccount, t.to_subaccount, t.amount_cents]),
    ).toEqual([
      [1, 2, 2_550],
      [0, 2, 5_000],
      [0, 1, 10_000],
    ]);
    expect(all.data.cursor).toBe("");
    const page1 = await portfolio.getSubaccountTransfers(2);
    expect(page1.data.transfers).toEqual(all.data.transfers.slice(0, 2));
    const page2 = await portfolio.getSubaccountTransfers(2, page1.data.cursor);
    expect(page2.data.transfers).toEqual(all.data.transfers.slice(2));
    expect(page2.data.cursor).toBe("");
    const created = all.data.transfers[0]?.created_ts ?? 0;
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(60);
  });

  it("refuses a transfer over the balance, to a missing subaccount, a reused id and bad input; nothing moves", async () => {
    const owner = account(100_000); // $1,000
    const { portfolio } = owner.sdk;
    await portfolio.createSubaccount();
    const reused = randomUUID();
    await portfolio.applySubaccountTransfer(transfer(0, 1, 1_000, reused));
    const balancesBefore = (await portfolio.getSubaccountBalances()).data;
    const historyBefore = (await portfolio.getSubaccountTransfers()).data;

    const over = await sdkRejection(portfolio.applySubaccountTransfer(transfer(1, 0, 1_001)));
    expect([over.status, over.body.code]).toEqual([400, "INSUFFICIENT_BALANCE"]);
    const missing = await sdkRejection(portfolio.applySubaccountTransfer(transfer(0, 2, 100)));
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("to_subaccount: subaccount 2 does not exist");
    const missingFrom = await sdkRejection(portfolio.applySubaccountTransfer(transfer(5, 0, 100)));
    expect(missingFrom.body.message).toBe("from_subaccount: subaccount 5 does not exist");
    const again = await sdkRejection(
      portfolio.applySubaccountTransfer(transfer(0, 1, 1_000, reused)),
    );
    expect([again.status, again.body.code]).toEqual([409, "TRANSFER_ALREADY_EXISTS"]);
    const same = await sdkRejection(portfolio.applySubaccountTransfer(transfer(1, 1, 10)));
    expect(same.status).toBe(400);
    for (const [body, field] of [
      [{ ...transfer(0, 1, 10), client_transfer_id: "not-a-uuid" }, "client_transfer_id"],
      [transfer(0, 1, 0), "amount_cents"],
      [transfer(0, 64, 10), "to_subaccount"],
      [{ ...transfer(0, 1, 10), memo: "x" }, "memo"],
      [{ from_subaccount: 0, to_subaccount: 1, amount_cents: 5 }, "client_transfer_id"],
    ] as const) {
      const rejected = await sdkRejection(portfolio.applySubaccountTransfer(body as never));
      expect(rejected.status, JSON.stringify(body)).toBe(400);
      expect(String(rejected.body.message)).toContain(field);
    }
    expect((await portfolio.getSubaccountBalances()).data).toEqual(balancesBefore);
    expect((await portfolio.getSubaccountTransfers()).data).toEqual(historyBefore);
  });

  it("reports and updates netting per subaccount", async () => {
    const { portfolio } = account(10_000).sdk;
    await portfolio.createSubaccount();
    const initial = await portfolio.getSubaccountNetting();
    conforms("get-subaccount-netting-response", initial.data);
    expect(initial.data.netting_configs).toEqual([
      { subaccount_number: 0, enabled: true, exchange_index: 0 },
      { subaccount_number: 1, enabled: true, exchange_index: 0 },
    ]);
    const updated = await portfolio.updateSubaccountNetting({
      subaccount_number: 1,
      enabled: false,
    });
    expect([updated.status, updated.data]).toEqual([200, {}]);
    expect(
      (await portfolio.getSubaccountNetting()).data.netting_configs.map((c) => c.enabled),
    ).toEqual([true, false]);
    const missing = await sdkRejection(
      portfolio.updateSubaccountNetting({ subaccount_number: 2, enabled: false }),
    );
    expect(missing.status).toBe(400);
    expect(String(missing.body.message)).toContain("subaccount_number");
    const bad = await sdkRejection(
      portfolio.updateSubaccountNetting({ subaccount_number: 1 } as never),
    );
    expect(String(bad.body.message)).toContain("enabled");
  });
});

describe("the subaccount parameter on portfolio and order endpoints", () => {
  let alice: Account;
  let bob: Account;
  let primaryOrder: string;
  let subOrder: string;

  beforeAll(async () => {
    alice = account(1_000_000);
    bob = account(1_000_000);
    await alice.sdk.portfolio.createSubaccount();
    await alice.sdk.portfolio.applySubaccountTransfer(transfer(0, 1, 50_000));
    const order = {
      ticker: market.ticker,
      side: "bid" as const,
      time_in_force: "good_till_canceled" as const,
      self_trade_prevention_type: "taker_at_cross" as const,
    };
    // Bob rests 4 to sell at each price; each of Alice's bids takes 4 and rests 6.
    const bobAsk = (price: string) =>
      sim.exchange.engine.placeOrder({
        userId: bob.user.userId,
        ticker: market.ticker,
        side: "ask",
        price: parseDollars(price),
        count: 400,
        timeInForce: "good_till_canceled",
      });
    bobAsk("0.40");
    primaryOrder = (await alice.sdk.orders.createOrderV2({ ...order, price: "0.40", count: "10" }))
      .data.order_id;
    bobAsk("0.41");
    subOrder = (
      await alice.sdk.orders.createOrderV2({ ...order, price: "0.41", count: "10", subaccount: 1 })
    ).data.order_id;
    const { state } = sim.exchange;
    for (const subaccount of [0, 1]) {
      state.settlements.push({
        userId: alice.user.userId,
        subaccount,
        ticker: `KXSETTLED-${subaccount}`,
        eventTicker: "KXSETTLED",
        result: "yes",
        yesCount: 100,
        yesTotalCost: 500_000,
        noCount: 0,
        noTotalCost: 0,
        revenue: 1_000_000,
        feeCost: 0,
        settledTime: state.now(),
        value: 1_000_000,
      });
    }
  });

  it("orders: omitted = all subaccounts, given = that one; subaccount_number on each order", async () => {
    const { orders } = alice.sdk;
    const all = await orders.getOrders();
    expect(sdkShapeProblems("get-orders-response", all.data)).toEqual([]);
    const byId = new Map(all.data.orders.map((o) => [o.order_id, o.subaccount_number]));
    expect(byId).toEqual(
      new Map([
        [primaryOrder, 0],
        [subOrder, 1],
      ]),
    );
    const one = await orders.getOrders(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    );
    expect(one.data.orders.map((o) => o.order_id)).toEqual([subOrder]);
    const zero = await orders.getOrders(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      0,
    );
    expect(zero.data.orders.map((o) => o.order_id)).toEqual([primaryOrder]);
    expect((await orders.getOrder(subOrder)).data.order.subaccount_number).toBe(1);
  });

  it("legacy order entry carries the subaccount onto the order", async () => {
    const legacy = await createSignedFetch({ restBaseUrl: sim.restBaseUrl, ...alice.key })(
      "/portfolio/orders",
      {
        method: "POST",
        body: JSON.stringify({
          ticker: market.ticker,
          side: "yes",
          action: "buy",
          count: 1,
          yes_price: 30,
          subaccount: 1,
        }),
      },
    );
    expect(legacy.status).toBe(201);
    const { order } = (await legacy.json()) as {
      order: { order_id: string; subaccount_number: number };
    };
    expect(order.subaccount_number).toBe(1);
    expect(sim.exchange.state.orders.get(order.order_id)?.subaccount).toBe(1);
  });

  it("fills and settlements: omitted = all, given = that one", async () => {
    const { portfolio } = alice.sdk;
    const fills = await portfolio.getFills();
    expect(sdkShapeProblems("get-fills-response", fills.data)).toEqual([]);
    expect(fills.data.fills.map((f) => f.subaccount_number).sort()).toEqual([0, 1]);
    const subFills = await portfolio.getFills(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    );
    expect(subFills.data.fills.map((f) => [f.order_id, f.count_fp])).toEqual([[subOrder, "4.00"]]);

    const settlements = await portfolio.getSettlements();
    expect(sdkShapeProblems("get-settlements-response", settlements.data)).toEqual([]);
    expect(settlements.data.settlements.map((s) => s.ticker).sort()).toEqual([
      "KXSETTLED-0",
      "KXSETTLED-1",
    ]);
    const primaryOnly = await portfolio.getSettlements(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      0,
    );
    expect(primaryOnly.data.settlements.map((s) => s.ticker)).toEqual(["KXSETTLED-0"]);
  });

  it("balance and positions: omitted = primary, given = that one", async () => {
    const { portfolio } = alice.sdk;
    const state = sim.exchange.state;
    expect((await portfolio.getBalance()).data.balance).toBe(
      Math.floor(state.balance(alice.user, 0) / 10_000),
    );
    expect((await portfolio.getBalance(1)).data.balance).toBe(
      Math.floor(state.balance(alice.user, 1) / 10_000),
    );
    expect(state.balance(alice.user, 1)).not.toBe(state.balance(alice.user, 0));

    const primary = await portfolio.getPositions();
    expect(sdkShapeProblems("get-positions-response", primary.data)).toEqual([]);
    // subaccount_number is on the wire but not in the SDK's MarketPosition type.
    const numbered = (p: object) => [
      (p as { subaccount_number?: number }).subaccount_number,
      (p as { position_fp: string }).position_fp,
    ];
    expect(primary.data.market_positions.map(numbered)).toEqual([[0, "4.00"]]);
    const sub = await portfolio.getPositions(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    );
    expect(sub.data.market_positions.map(numbered)).toEqual([[1, "4.00"]]);
  });

  it("cancel, amend, decrease and queue positions: omitted = primary", async () => {
    const { orders } = alice.sdk;
    const queue = await orders.getOrderQueuePositions();
    expect(queue.data.queue_positions.map((q) => q.order_id)).toEqual([primaryOrder]);
    const subQueue = await orders.getOrderQueuePositions(undefined, undefined, 1);
    expect(subQueue.data.queue_positions.map((q) => q.order_id)).toContain(subOrder);

    expect((await sdkRejection(orders.decreaseOrderV2(subOrder, { reduce_by: "1" }))).status).toBe(
      404,
    );
    expect(
      (await orders.decreaseOrderV2(subOrder, { reduce_by: "1" }, 1)).data.remaining_count,
    ).toBe("5.00");
    const amendBody = { ticker: market.ticker, side: "bid" as const, price: "0.41", count: "8" };
    expect((await sdkRejection(orders.amendOrderV2(subOrder, amendBody))).status).toBe(404);
    expect((await orders.amendOrderV2(subOrder, amendBody, 1)).status).toBe(200);
    expect((await sdkRejection(orders.cancelOrderV2(subOrder))).status).toBe(404);
    expect(sim.exchange.state.orders.get(subOrder)?.status).toBe("resting");
    const canceled = await orders.cancelOrderV2(subOrder, 1);
    expect(canceled.data.reduced_by).toBe("4.00");
  });
});
