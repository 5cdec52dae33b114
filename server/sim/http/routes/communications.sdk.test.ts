/**
 * Conformance: the unchanged `kalshi-typescript` CommunicationsApi against a
 * running simulator, two users, every RFQ/quote endpoint (deprecated and
 * RFQ-scoped paths), each response checked against the SDK model's required
 * fields and JSON types. The market is treated as high-volatility so the
 * 1 s execution timer runs in real time.
 */
import axios from "axios";
import { CommunicationsApi, Configuration } from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/sim/accounts";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { sdkRejection } from "@/server/sim/testing/sdk-clients";
import { sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";

let sim: RunningSim;
let market: MarketRecord;
let alice: CommunicationsApi;
let bob: CommunicationsApi;

function client(): CommunicationsApi {
  const user = addUser(sim.exchange.state, 1_000_000);
  user.tier = "advanced";
  const key = generateApiKey(sim.exchange.state, user, "communications sdk test");
  const configuration = new Configuration({
    basePath: sim.restBaseUrl,
    apiKey: key.apiKeyId,
    privateKeyPem: key.privateKeyPem,
  });
  // A fresh axios per API object: each adds its own signing interceptor.
  return new CommunicationsApi(configuration, undefined, axios.create());
}

/** How long a confirmed quote may take to execute: the 1 s timer plus a loaded box's slack. */
const QUOTE_EXECUTES = { timeout: 15_000, interval: 100 };

const conforms = (model: string, data: unknown) =>
  expect(sdkShapeProblems(model, data)).toEqual([]);

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false, tickMs: 50 });
  market = addMarket(sim.exchange.state, {
    ticker: "KXCOMSDK-26JAN01-T50",
    eventTicker: "KXCOMSDK-26JAN01",
    seriesTicker: "KXCOMSDK",
  });
  sim.exchange.rfqDesk.configure({ isHighVolatility: (m) => m.ticker === market.ticker });
  alice = client();
  bob = client();
});

afterAll(async () => {
  await sim?.close();
});

describe("CommunicationsApi through the official SDK", () => {
  it("communications id", async () => {
    const a = await alice.getCommunicationsID();
    const b = await bob.getCommunicationsID();
    conforms("get-communications-idresponse", a.data);
    expect(a.data.communications_id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.data.communications_id).not.toBe(b.data.communications_id);
  });

  it("every RFQ and quote endpoint, through execution", async () => {
    const created = await alice.createRFQ({
      market_ticker: market.ticker,
      contracts_fp: "5.00",
      rest_remainder: false,
    });
    expect(created.status).toBe(201);
    conforms("create-rfqresponse", created.data);
    const rfqId = created.data.id;

    const one = await bob.getRFQ(rfqId);
    conforms("get-rfqresponse", one.data);
    expect(one.data.rfq).not.toHaveProperty("creator_user_id");
    const mine = await alice.getRFQs(
      undefined,
      undefined,
      market.ticker,
      undefined,
      10,
      "open",
      undefined,
      "self",
    );
    conforms("get-rfqs-response", mine.data);
    expect(
      mine.data.rfqs.map((r) => [r.id, r.contracts_fp, r.creator_user_id !== undefined]),
    ).toEqual([[rfqId, "5.00", true]]);
    expect(
      (
        await bob.getRFQs(
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          "self",
        )
      ).data.rfqs,
    ).toEqual([]);

    const firstQuote = await bob.createQuote({
      rfq_id: rfqId,
      yes_bid: "0.45",
      no_bid: "0.50",
      rest_remainder: false,
    });
    conforms("create-quote-response", firstQuote.data);
    expect((await bob.deleteQuote(firstQuote.data.id)).status).toBe(204);
    const q2 = await bob.createQuote({
      rfq_id: rfqId,
      yes_bid: "0.44",
      no_bid: "0.50",
      rest_remainder: false,
      post_only: true,
    });
    expect((await bob.deleteRFQQuote(rfqId, q2.data.id)).status).toBe(204);
    const q3 = await bob.createQuote({
      rfq_id: rfqId,
      yes_bid: "0.46",
      no_bid: "0.50",
      rest_remainder: false,
    });
    const quoteId = q3.data.id;

    const quotes = await alice.getQuotes(
      undefined,
      undefined,
      undefined,
      50,
      undefined,
      undefined,
      undefined,
      "self",
      undefined,
      undefined,
      rfqId,
    );
    conforms("get-quotes-response", quotes.data);
    expect(quotes.data.quotes.map((q) => [q.id, q.status, q.cancellation_reason ?? ""])).toEqual([
      [quoteId, "open", ""],
      [q2.data.id, "cancelled", "deleted"],
      [firstQuote.data.id, "cancelled", "deleted"],
    ]);
    conforms("get-quote-response", (await alice.getQuote(quoteId)).data);
    conforms("get-quote-response", (await bob.getRFQQuote(rfqId, quoteId)).data);

    expect((await alice.acceptRFQQuote(rfqId, quoteId, { accepted_side: "yes" })).status).toBe(204);
    expect((await bob.confirmRFQQuote(rfqId, quoteId)).status).toBe(204);
    // The 1 s execution timer runs in real time: wait for its outcome, not for a guess at its length.
    await expect
      .poll(async () => (await bob.getQuote(quoteId)).data.quote.status, QUOTE_EXECUTES)
      .toBe("executed");
    const done = await bob.getQuote(quoteId);
    conforms("get-quote-response", done.data);
    expect(done.data.quote.status).toBe("executed");
    expect(typeof done.data.quote.creator_order_id).toBe("string");
    expect(done.data.quote).not.toHaveProperty("rfq_creator_order_id");
    expect((await alice.getRFQ(rfqId)).data.rfq.status).toBe("closed");

    // Deprecated accept/confirm paths, and delete RFQ.
    const rfq2 = (
      await alice.createRFQ({
        market_ticker: market.ticker,
        target_cost_dollars: "2.00",
        rest_remainder: true,
      })
    ).data.id;
    const q4 = (
      await bob.createQuote({ rfq_id: rfq2, yes_bid: "0.40", no_bid: "0", rest_remainder: false })
    ).data.id;
    const sized = (await alice.getRFQQuote(rfq2, q4)).data.quote;
    conforms("quote", sized);
    expect([sized.rfq_target_cost_dollars, sized.yes_contracts_fp, sized.no_contracts_fp]).toEqual([
      "2.0000",
      "3.23",
      "0.00",
    ]); // 3.23 × $0.60 + fee $0.0543 → $0.06 = $1.998; 3.24 would cost $2.004
    expect((await alice.acceptQuote(q4, { accepted_side: "yes" })).status).toBe(204);
    expect((await bob.confirmQuote(q4)).status).toBe(204);
    await expect
      .poll(async () => (await alice.getQuote(q4)).data.quote.status, QUOTE_EXECUTES)
      .toBe("executed");
    const rfq3 = (
      await bob.createRFQ({ market_ticker: market.ticker, contracts: 3, rest_remainder: false })
    ).data.id;
    expect((await bob.deleteRFQ(rfq3)).status).toBe(204);
  });

  it("errors keep Kalshi's status codes and bodies", async () => {
    const rfqId = (
      await alice.createRFQ({
        market_ticker: market.ticker,
        contracts_fp: "1",
        rest_remainder: false,
        replace_existing: true,
      })
    ).data.id;
    const dup = await sdkRejection(
      alice.createRFQ({ market_ticker: market.ticker, contracts_fp: "1", rest_remainder: false }),
    );
    expect([dup.status, dup.body.code]).toEqual([409, "conflict"]);
    const offGrid = await sdkRejection(
      bob.createQuote({ rfq_id: rfqId, yes_bid: "0.455", no_bid: "0.50", rest_remainder: false }),
    );
    expect([offGrid.status, offGrid.body.code]).toEqual([400, "invalid_parameters"]);
    expect((await sdkRejection(bob.deleteRFQ(rfqId))).status).toBe(404);
    expect((await sdkRejection(alice.getRFQ("no-such-rfq"))).status).toBe(404);
    const quoteId = (
      await bob.createQuote({
        rfq_id: rfqId,
        yes_bid: "0.45",
        no_bid: "0.50",
        rest_remainder: false,
      })
    ).data.id;
    expect((await sdkRejection(alice.deleteQuote(quoteId))).status).toBe(404);
    expect((await alice.deleteRFQ(rfqId)).status).toBe(204);
    const closed = await sdkRejection(
      alice.acceptRFQQuote(rfqId, quoteId, { accepted_side: "yes" }),
    );
    expect([closed.status, closed.body.code]).toEqual([400, "RFQ_CLOSED"]);
  });
});
