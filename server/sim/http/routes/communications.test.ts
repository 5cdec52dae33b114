/**
 * REST edge of the communications endpoints: every body and query is parsed
 * strictly and a bad one is a 400 naming the field that changes nothing;
 * auth, 404s for other users' records, list filters and pagination.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/sim/accounts";
import { ManualClock } from "@/server/sim/clock";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";

const clock = new ManualClock(Date.UTC(2026, 2, 3, 15));
let sim: RunningSim;
let market: MarketRecord;
let alice: SignedFetch;
let bob: SignedFetch;

function account(): SignedFetch {
  const user = addUser(sim.exchange.state, 100_000);
  user.tier = "advanced";
  const key = generateApiKey(sim.exchange.state, user, "communications test");
  return createSignedFetch({ restBaseUrl: sim.restBaseUrl, ...key, now: () => clock.now() });
}

const post = (f: SignedFetch, path: string, body: unknown) =>
  f(path, { method: "POST", body: JSON.stringify(body) });
async function error(response: Response): Promise<[number, string, string]> {
  const body = (await response.json()) as { code: string; message: string };
  return [response.status, body.code, body.message];
}

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false, clock, tickMs: 3_600_000 });
  market = addMarket(sim.exchange.state, {
    ticker: "KXCOMREST-26MAR03-T50",
    eventTicker: "KXCOMREST-26MAR03",
    seriesTicker: "KXCOMREST",
  });
  alice = account();
  bob = account();
});

afterAll(async () => {
  await sim?.close();
});

describe("communications REST validation", () => {
  it("refuses unsigned requests", async () => {
    const response = await fetch(`${sim.restBaseUrl}/communications/rfqs`);
    expect(response.status).toBe(401);
  });

  it("create RFQ: 400s name the field, and nothing is created", async () => {
    const cases: Array<[unknown, string]> = [
      [{ market_ticker: market.ticker, contracts_fp: "1" }, "rest_remainder"],
      [
        { market_ticker: market.ticker, contracts_fp: "1.005", rest_remainder: false },
        "contracts_fp",
      ],
      [
        { market_ticker: market.ticker, target_cost_dollars: "1.00001", rest_remainder: false },
        "target_cost_dollars",
      ],
      [
        { market_ticker: market.ticker, contracts_fp: "1", rest_remainder: false, colour: "red" },
        "colour",
      ],
      [{ market_ticker: market.ticker, rest_remainder: false }, "exactly one of contracts_fp"],
      [
        { market_ticker: market.ticker, contracts: 2, contracts_fp: "3", rest_remainder: false },
        "must match",
      ],
      [
        {
          market_ticker: market.ticker,
          contracts_fp: "1",
          target_cost_dollars: "5",
          rest_remainder: false,
        },
        "exactly one",
      ],
      [
        {
          market_ticker: market.ticker,
          contracts_fp: "1",
          rest_remainder: false,
          target_cost_excludes_fees: true,
        },
        "target_cost_excludes_fees",
      ],
      [
        { market_ticker: market.ticker, contracts_fp: "1", rest_remainder: false, subaccount: 64 },
        "subaccount",
      ],
      [
        { market_ticker: market.ticker, contracts_fp: "1", rest_remainder: false, subaccount: 3 },
        "subaccount",
      ],
      [
        {
          market_ticker: market.ticker,
          contracts_fp: "1",
          rest_remainder: false,
          subtrader_id: "x",
        },
        "subtrader_id",
      ],
    ];
    for (const [body, field] of cases) {
      const [status, code, message] = await error(await post(alice, "/communications/rfqs", body));
      expect([status, code], JSON.stringify(body)).toEqual([400, "invalid_parameters"]);
      expect(message).toContain(field);
    }
    expect(sim.exchange.rfqDesk.rfqs.size).toBe(0);
    const missing = await post(alice, "/communications/rfqs", {
      market_ticker: "NOPE",
      contracts_fp: "1",
      rest_remainder: false,
    });
    expect((await error(missing)).slice(0, 2)).toEqual([404, "MARKET_NOT_FOUND"]);
  });

  it("quotes, accept and confirm bodies are strict; lists validate their queries", async () => {
    const created = await post(alice, "/communications/rfqs", {
      market_ticker: market.ticker,
      contracts: 2,
      rest_remainder: false,
    });
    expect(created.status).toBe(201);
    const rfqId = ((await created.json()) as { id: string }).id;

    const badQuotes: Array<[unknown, string]> = [
      [{ rfq_id: rfqId, yes_bid: 0.4, no_bid: "0.5", rest_remainder: false }, "yes_bid"],
      [{ rfq_id: rfqId, yes_bid: "0.40", no_bid: "-0.5", rest_remainder: false }, "no_bid"],
      [{ rfq_id: rfqId, yes_bid: "0.40", no_bid: "0.50" }, "rest_remainder"],
      [
        { rfq_id: rfqId, yes_bid: "0.40", no_bid: "0.50", rest_remainder: false, size: "3" },
        "size",
      ],
    ];
    for (const [body, field] of badQuotes) {
      const [status, , message] = await error(await post(bob, "/communications/quotes", body));
      expect(status).toBe(400);
      expect(message).toContain(field);
    }
    const quoted = await post(bob, "/communications/quotes", {
      rfq_id: rfqId,
      yes_bid: "0.40",
      no_bid: "0.50",
      rest_remainder: false,
    });
    expect(quoted.status).toBe(201);
    const quoteId = ((await quoted.json()) as { id: string }).id;

    const badAccept = await alice(`/communications/quotes/${quoteId}/accept`, {
      method: "PUT",
      body: JSON.stringify({ accepted_side: "maybe" }),
    });
    expect((await error(badAccept))[2]).toContain("accepted_side");
    const wrongRfq = await alice(`/communications/rfqs/other/quotes/${quoteId}/accept`, {
      method: "PUT",
      body: JSON.stringify({ accepted_side: "yes" }),
    });
    expect(wrongRfq.status).toBe(404);
    const accepted = await alice(`/communications/quotes/${quoteId}/accept`, {
      method: "PUT",
      body: JSON.stringify({ accepted_side: "yes" }),
    });
    expect(accepted.status).toBe(204);
    const badConfirm = await bob(`/communications/quotes/${quoteId}/confirm`, {
      method: "PUT",
      body: JSON.stringify({ now: true }),
    });
    expect((await error(badConfirm))[2]).toContain("now");
    expect(sim.exchange.rfqDesk.quotes.get(quoteId)?.status).toBe("accepted");
    const confirmed = await bob(`/communications/quotes/${quoteId}/confirm`, {
      method: "PUT",
      body: "{}",
    });
    expect(confirmed.status).toBe(204);

    for (const query of ["status=pending", "user_filter=others", "limit=101", "colour=red"]) {
      expect((await alice(`/communications/rfqs?${query}`)).status, query).toBe(400);
    }
    for (const query of ["status=done", "rfq_user_filter=me", "limit=501", "min_ts=x"]) {
      expect((await alice(`/communications/quotes?${query}`)).status, query).toBe(400);
    }
  });

  it("lists filter by self, status and market, newest first, with cursors", async () => {
    const second = addMarket(sim.exchange.state, {
      ticker: "KXCOMREST-26MAR03-T60",
      eventTicker: "KXCOMREST-26MAR03",
      seriesTicker: "KXCOMREST",
    });
    const third = addMarket(sim.exchange.state, {
      ticker: "KXCOMREST-26MAR03-T70",
      eventTicker: "KXCOMREST-26MAR03",
      seriesTicker: "KXCOMREST",
    });
    const ids: string[] = [];
    for (const m of [second, third]) {
      clock.advance(1_000);
      const r = await post(bob, "/communications/rfqs", {
        market_ticker: m.ticker,
        contracts_fp: "1",
        rest_remainder: true,
      });
      ids.push(((await r.json()) as { id: string }).id);
    }
    const mine = (await (await bob("/communications/rfqs?user_filter=self&limit=1")).json()) as {
      rfqs: Array<{ id: string }>;
      cursor: string;
    };
    expect(mine.rfqs.map((r) => r.id)).toEqual([ids[1]]);
    const next = (await (
      await bob(`/communications/rfqs?user_filter=self&limit=1&cursor=${mine.cursor}`)
    ).json()) as { rfqs: Array<{ id: string }>; cursor: string };
    expect([next.rfqs.map((r) => r.id), next.cursor]).toEqual([[ids[0]], ""]);
    const byMarket = (await (
      await alice(`/communications/rfqs?market_ticker=${second.ticker}&status=open`)
    ).json()) as { rfqs: Array<{ id: string; creator_user_id?: string }> };
    expect(byMarket.rfqs.map((r) => [r.id, r.creator_user_id])).toEqual([[ids[0], undefined]]);
    const all = (await (
      await alice("/communications/rfqs?event_ticker=KXCOMREST-26MAR03")
    ).json()) as { rfqs: unknown[] };
    expect(all.rfqs).toHaveLength(3);
    const quotesOfBob = (await (
      await bob("/communications/quotes?user_filter=self&status=confirmed")
    ).json()) as { quotes: Array<{ status: string }> };
    expect(quotesOfBob.quotes.map((q) => q.status)).toEqual(["confirmed"]);
    const none = (await (await bob("/communications/quotes?rfq_user_filter=self")).json()) as {
      quotes: unknown[];
    };
    expect(none.quotes).toEqual([]);
  });
});
