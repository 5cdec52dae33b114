/**
 * The whole RFQ flow over REST and the `communications` WebSocket channel,
 * with a requester, a maker (quoting from subaccount 1) and an onlooker, on a
 * ManualClock: each party receives exactly the messages the spec gives it,
 * never the other's private fields, and fills, positions and balances of
 * both are exact afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey, type NewApiKey } from "@/server/sim/accounts";
import { ManualClock } from "@/server/sim/clock";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import { communicationsId } from "@/server/sim/rfq/serialize-rfq";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser, usd } from "@/server/sim/testing/engine-fixtures";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";
import { msgOf, signedHeaders, TestClient, type Frame } from "@/server/sim/ws/test-support";

const START = Date.UTC(2026, 2, 3, 15, 0, 0);
const clock = new ManualClock(START);
let sim: RunningSim;
let market: MarketRecord;

interface Party {
  user: UserRecord;
  key: NewApiKey;
  fetch: SignedFetch;
  ws: TestClient;
}
let requester: Party;
let maker: Party;
let onlooker: Party;

async function party(balanceCents: number): Promise<Party> {
  const user = addUser(sim.exchange.state, balanceCents);
  user.tier = "advanced";
  const key = generateApiKey(sim.exchange.state, user, "rfq e2e");
  const fetch = createSignedFetch({ restBaseUrl: sim.restBaseUrl, ...key, now: () => clock.now() });
  const ws = await TestClient.connect(sim.wsUrl, signedHeaders(key, { timestamp: clock.now() }));
  const frames = await ws.command({
    id: 1,
    cmd: "subscribe",
    params: { channels: ["communications"] },
  });
  expect(frames.map((f) => f.type)).toContain("subscribed");
  return { user, key, fetch, ws };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

const commsFrames = (frames: Frame[]) =>
  frames.filter((f) =>
    ["rfq_created", "rfq_deleted", "quote_created", "quote_accepted", "quote_executed"].includes(
      f.type,
    ),
  );

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false, clock, tickMs: 3_600_000 });
  market = addMarket(sim.exchange.state, {
    ticker: "KXRFQE2E-26MAR03-T50",
    eventTicker: "KXRFQE2E-26MAR03",
    seriesTicker: "KXRFQE2E",
  });
  requester = await party(100_000); // $1,000
  maker = await party(100_000);
  maker.user.subaccountCount = 1;
  sim.exchange.state.adjustBalance(maker.user, 0, -usd("500"));
  sim.exchange.state.adjustBalance(maker.user, 1, usd("500"));
  onlooker = await party(10_000);
});

afterAll(async () => {
  for (const p of [requester, maker, onlooker]) p?.ws.close();
  await sim?.close();
});

describe("RFQ flow over REST and the communications channel", () => {
  it("runs create → quote → accept → confirm → execute with exact messages, fills, positions and balances", async () => {
    const marks = [requester, maker, onlooker].map((p) => p.ws.frames.length);

    const created = await requester.fetch("/communications/rfqs", {
      method: "POST",
      body: JSON.stringify({
        market_ticker: market.ticker,
        contracts_fp: "20",
        rest_remainder: false,
      }),
    });
    expect(created.status).toBe(201);
    const rfqId = (await json(created)).id as string;

    const quoted = await maker.fetch("/communications/quotes", {
      method: "POST",
      body: JSON.stringify({
        rfq_id: rfqId,
        yes_bid: "0.30",
        no_bid: "0.62",
        rest_remainder: false,
        subaccount: 1,
      }),
    });
    expect(quoted.status).toBe(201);
    const quoteId = (await json(quoted)).id as string;

    clock.advance(2_000);
    const accepted = await requester.fetch(
      `/communications/rfqs/${rfqId}/quotes/${quoteId}/accept`,
      {
        method: "PUT",
        body: JSON.stringify({ accepted_side: "no" }),
      },
    );
    expect(accepted.status).toBe(204);
    clock.advance(5_000);
    const confirmed = await maker.fetch(`/communications/rfqs/${rfqId}/quotes/${quoteId}/confirm`, {
      method: "PUT",
    });
    expect(confirmed.status).toBe(204);

    clock.advance(15_000);
    sim.exchange.tick();

    const reqFrames = await requester.ws.drain(marks[0] ?? 0);
    const makerFrames = await maker.ws.drain(marks[1] ?? 0);
    const lookFrames = await onlooker.ws.drain(marks[2] ?? 0);
    const reqId = communicationsId(sim.exchange.state, requester.user.userId);
    const makerId = communicationsId(sim.exchange.state, maker.user.userId);
    const quoteBody = {
      quote_id: quoteId,
      rfq_id: rfqId,
      quote_creator_id: makerId,
      rfq_creator_id: reqId,
      market_ticker: market.ticker,
      event_ticker: market.eventTicker,
      yes_bid_dollars: "0.3000",
      no_bid_dollars: "0.6200",
      yes_contracts_offered_fp: "20.00",
      no_contracts_offered_fp: "20.00",
    };

    const got = (await (
      await requester.fetch(`/communications/rfqs/${rfqId}/quotes/${quoteId}`)
    ).json()) as { quote: Record<string, string> };
    const makerView = (await (await maker.fetch(`/communications/quotes/${quoteId}`)).json()) as {
      quote: Record<string, string>;
    };
    const reqOrderId = got.quote.rfq_creator_order_id as string;
    const makerOrderId = makerView.quote.creator_order_id as string;
    expect(got.quote).not.toHaveProperty("creator_order_id");
    expect(got.quote).not.toHaveProperty("creator_subaccount");
    expect(makerView.quote).not.toHaveProperty("rfq_creator_order_id");
    expect(makerView.quote).not.toHaveProperty("rfq_creator_user_id");
    expect(got.quote.status).toBe("executed");
    const reqClient = sim.exchange.state.orders.get(reqOrderId)?.clientOrderId;
    const makerClient = sim.exchange.state.orders.get(makerOrderId)?.clientOrderId;

    const rfqCreated = {
      type: "rfq_created",
      msg: {
        id: rfqId,
        creator_id: "",
        market_ticker: market.ticker,
        event_ticker: market.eventTicker,
        contracts_fp: "20.00",
        created_ts: "2026-03-03T15:00:00.000Z",
      },
    };
    const rfqDeleted = {
      type: "rfq_deleted",
      msg: {
        id: rfqId,
        creator_id: reqId,
        market_ticker: market.ticker,
        event_ticker: market.eventTicker,
        contracts_fp: "20.00",
        deleted_ts: "2026-03-03T15:00:22.000Z",
      },
    };
    const strip = (frames: Frame[]) =>
      commsFrames(frames).map((f) => ({ type: f.type, msg: msgOf(f) }));

    expect(strip(reqFrames)).toEqual([
      rfqCreated,
      { type: "quote_created", msg: { ...quoteBody, created_ts: "2026-03-03T15:00:00.000Z" } },
      {
        type: "quote_accepted",
        msg: { ...quoteBody, accepted_side: "no", contracts_accepted_fp: "20.00" },
      },
      {
        type: "quote_executed",
        msg: {
          quote_id: quoteId,
          rfq_id: rfqId,
          quote_creator_id: makerId,
          rfq_creator_id: reqId,
          order_id: reqOrderId,
          client_order_id: reqClient,
          market_ticker: market.ticker,
          executed_ts: "2026-03-03T15:00:22.000Z",
        },
      },
      rfqDeleted,
    ]);
    expect(strip(makerFrames)).toEqual([
      rfqCreated,
      {
        type: "quote_created",
        msg: { ...quoteBody, created_ts: "2026-03-03T15:00:00.000Z", subaccount: 1 },
      },
      {
        type: "quote_accepted",
        msg: { ...quoteBody, accepted_side: "no", contracts_accepted_fp: "20.00", subaccount: 1 },
      },
      {
        type: "quote_executed",
        msg: {
          quote_id: quoteId,
          rfq_id: rfqId,
          quote_creator_id: makerId,
          rfq_creator_id: reqId,
          order_id: makerOrderId,
          client_order_id: makerClient,
          market_ticker: market.ticker,
          executed_ts: "2026-03-03T15:00:22.000Z",
          subaccount: 1,
        },
      },
      rfqDeleted,
    ]);
    expect(strip(lookFrames)).toEqual([rfqCreated, rfqDeleted]);
    // The same sid for every message of the subscription.
    expect(new Set(commsFrames(reqFrames).map((f) => f.sid)).size).toBe(1);

    // Maker bought 20 NO at $0.62 (free maker side); requester 20 YES at $0.38 as taker:
    // fee 0.07 × 20 × 0.38 × 0.62 = $0.32984 → $0.3299, charged to the cent: $7.60 + $0.3299 → $7.93.
    const reqFills = (await json(await requester.fetch("/portfolio/fills"))).fills as Array<
      Record<string, unknown>
    >;
    expect(
      reqFills.map((f) => [
        f.order_id,
        f.book_side,
        f.count_fp,
        f.yes_price_dollars,
        f.is_taker,
        f.fee_cost,
        f.subaccount_number,
      ]),
    ).toEqual([[reqOrderId, "bid", "20.00", "0.3800", true, "0.3300", 0]]);
    const makerFills = (await json(await maker.fetch("/portfolio/fills"))).fills as Array<
      Record<string, unknown>
    >;
    expect(
      makerFills.map((f) => [
        f.order_id,
        f.book_side,
        f.count_fp,
        f.yes_price_dollars,
        f.is_taker,
        f.fee_cost,
        f.subaccount_number,
      ]),
    ).toEqual([[makerOrderId, "ask", "20.00", "0.3800", false, "0.0000", 1]]);
    expect((await json(await requester.fetch("/portfolio/balance"))).balance_dollars).toBe(
      "992.0700",
    );
    expect((await json(await maker.fetch("/portfolio/balance?subaccount=1"))).balance_dollars).toBe(
      "487.6000",
    );
    expect((await json(await maker.fetch("/portfolio/balance"))).balance_dollars).toBe("500.0000");
    const positions = (
      await json(await requester.fetch(`/portfolio/positions?ticker=${market.ticker}`))
    ).market_positions as Array<Record<string, unknown>>;
    expect(positions.map((p) => [p.ticker, p.position_fp])).toEqual([[market.ticker, "20.00"]]);
    const makerPositions = (
      await json(await maker.fetch(`/portfolio/positions?ticker=${market.ticker}&subaccount=1`))
    ).market_positions as Array<Record<string, unknown>>;
    expect(makerPositions.map((p) => [p.ticker, p.position_fp])).toEqual([
      [market.ticker, "-20.00"],
    ]);
  });
});
