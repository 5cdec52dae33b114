/**
 * The RFQ desk's state machine on a ManualClock: sizing, quote rules, the
 * accept → confirm → execute lock with both timer sets, lapses, closures,
 * balance failures, limits, privacy, and what goes out on the bus.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SimEvent } from "@/server/sim/bus";
import type { ManualClock } from "@/server/sim/clock";
import type { SimExchange } from "@/server/sim/exchange";
import type { MarketRecord, UserRecord } from "@/server/sim/model";
import type { RfqDesk } from "@/server/sim/rfq/rfq-desk";
import type { Viewer } from "@/server/sim/rfq/serialize-rfq";
import { communicationsId } from "@/server/sim/rfq/serialize-rfq";
import type { SimState } from "@/server/sim/state";
import {
  addMarket,
  addUser,
  cashOf,
  catchSimError,
  makeEngineExchange,
  snapshotEngine,
  usd,
} from "@/server/sim/testing/engine-fixtures";

let exchange: SimExchange;
let state: SimState;
let clock: ManualClock;
let desk: RfqDesk;
let market: MarketRecord;
let requester: UserRecord;
let maker: UserRecord;
let req: Viewer;
let mk: Viewer;
let events: SimEvent[];

const viewer = (user: UserRecord): Viewer => ({ userId: user.userId, lockedSubaccount: null });

beforeEach(() => {
  ({ exchange, state, clock } = makeEngineExchange());
  desk = exchange.rfqDesk;
  market = addMarket(state, { ticker: "KXTEST-26JAN01-T50" });
  requester = addUser(state, 100_000); // $1,000
  maker = addUser(state, 100_000);
  req = viewer(requester);
  mk = viewer(maker);
  events = [];
  state.bus.subscribe((event) => events.push(event));
});

function rfq10(overrides: Partial<Parameters<RfqDesk["createRfq"]>[1]> = {}) {
  return desk.createRfq(req, {
    marketTicker: market.ticker,
    contracts: 1_000,
    targetCost: null,
    targetCostExcludesFees: false,
    restRemainder: false,
    replaceExisting: false,
    subaccount: undefined,
    ...overrides,
  });
}

function quote(
  rfqId: string,
  yesBid = usd("0.40"),
  noBid = usd("0.55"),
  by: Viewer = mk,
  extra = {},
) {
  return desk.createQuote(by, {
    rfqId,
    yesBid,
    noBid,
    restRemainder: false,
    postOnly: false,
    subaccount: undefined,
    ...extra,
  });
}

const comms = () =>
  events.filter(
    (e): e is Extract<SimEvent, { kind: "communications" }> => e.kind === "communications",
  );

describe("happy path (standard market)", () => {
  it("accept yes → confirm → executes after 15 s at the maker's yes bid, with exact cash, fees and positions", () => {
    const rfq = rfq10();
    const q = quote(rfq.id);
    expect(q.yesContracts).toBe(1_000);
    expect(q.noContracts).toBe(1_000);
    clock.advance(1_000);
    desk.acceptQuote(req, q.id, "yes");
    expect(q.status).toBe("accepted");
    clock.advance(29_999);
    desk.confirmQuote(mk, q.id, rfq.id);
    expect(q.status).toBe("confirmed");
    clock.advance(14_999);
    exchange.tick();
    expect(q.status).toBe("confirmed");
    expect(state.trades).toHaveLength(0);
    clock.advance(1);
    exchange.tick();
    expect(q.status).toBe("executed");
    expect(rfq.status).toBe("closed");
    expect(rfq.cancellationReason).toBeNull();

    // Maker bought 10 YES at $0.40 (free maker side on plain quadratic fees).
    expect(cashOf(state, maker)).toBe(usd("1000") - usd("4.00"));
    // Requester bought 10 NO at $0.60 as taker: fee 0.07×10×0.4×0.6 = $0.168, charged to the cent → $6.17.
    expect(cashOf(state, requester)).toBe(usd("1000") - usd("6.17"));
    expect(state.position(maker.userId, 0, market.ticker).position).toBe(1_000);
    expect(state.position(requester.userId, 0, market.ticker).position).toBe(-1_000);
    expect(state.trades).toEqual([
      expect.objectContaining({
        price: usd("0.40"),
        count: 1_000,
        takerSide: "ask",
        isBlockTrade: true,
      }),
    ]);
    const fills = state.fills;
    expect(fills.map((f) => [f.userId, f.side, f.isTaker, f.fee, f.orderId])).toEqual([
      [requester.userId, "ask", true, usd("0.17"), q.rfqCreatorOrderId],
      [maker.userId, "bid", false, 0, q.creatorOrderId],
    ]);
    expect(state.orders.get(q.creatorOrderId ?? "")?.status).toBe("executed");
    expect(market.volume).toBe(1_000);
    expect(market.openInterest).toBe(1_000);
  });

  it("accept no: the maker buys NO at its no bid, the requester YES at $1 − no bid", () => {
    const rfq = rfq10();
    const q = quote(rfq.id);
    desk.acceptQuote(req, q.id, "no");
    desk.confirmQuote(mk, q.id);
    clock.advance(15_000);
    exchange.tick();
    expect(q.status).toBe("executed");
    expect(cashOf(state, maker)).toBe(usd("1000") - usd("5.50"));
    // 10 YES at $0.45: fee 0.07×10×0.45×0.55 = $0.17325 → $0.1733, balance to the cent: $4.6733 → $4.68.
    expect(cashOf(state, requester)).toBe(usd("1000") - usd("4.68"));
    expect(state.position(requester.userId, 0, market.ticker).position).toBe(1_000);
    expect(state.trades[0]?.price).toBe(usd("0.45"));
  });

  it("HVM (combo) markets use a 3 s confirmation window and a 1 s execution timer", () => {
    const combo = addMarket(state, {
      ticker: "KXMVECROSS-26JAN01-ABC",
      eventTicker: "KXMVECROSS-26JAN01",
      seriesTicker: "KXMVECROSS",
    });
    const rfq = rfq10({ marketTicker: combo.ticker });
    const q1 = quote(rfq.id);
    desk.acceptQuote(req, q1.id, "yes");
    clock.advance(3_000);
    expect(catchSimError(() => desk.confirmQuote(mk, q1.id)).code).toBe("invalid_parameters");
    expect(q1.cancellationReason).toBe("confirmation_timeout");
    const q2 = quote(rfq.id);
    desk.acceptQuote(req, q2.id, "yes");
    clock.advance(2_999);
    desk.confirmQuote(mk, q2.id);
    clock.advance(999);
    exchange.tick();
    expect(q2.status).toBe("confirmed");
    clock.advance(1);
    exchange.tick();
    expect(q2.status).toBe("executed");
  });

  it("sizes target-cost RFQs per side, fees included unless excluded", () => {
    const rfq = rfq10({ contracts: null, targetCost: usd("10.00") });
    const q = quote(rfq.id, usd("0.40"), usd("0.50"));
    // Yes side: requester pays $0.60 + fee. 16.43 contracts cost $9.858 + fee 0.07×16.43×0.24 = $0.2761 → $0.28: $10.138 > $10.
    // Largest that fits: 16.20 → $9.72 + ceil(0.27216) = $0.28 → $10.00.
    expect(q.yesContracts).toBe(1_620);
    // No side: $0.50 each, fee 0.07×c×0.5×0.5: 19.33 → $9.665 + $0.3383 → $0.34 = $10.005 > 10; 19.32 → $9.66 + $0.34 = $10.00.
    expect(q.noContracts).toBe(1_932);
    desk.deleteRfq(req, rfq.id);
    const principalOnly = rfq10({
      contracts: null,
      targetCost: usd("10.00"),
      targetCostExcludesFees: true,
    });
    const q2 = quote(principalOnly.id, usd("0.40"), usd("0.50"));
    expect([q2.yesContracts, q2.noContracts]).toEqual([1_666, 2_000]);
  });
});

describe("quote rules", () => {
  it("rejects off-grid prices, both sides zero, and a sum above $1, changing nothing", () => {
    const rfq = rfq10();
    const before = snapshotEngine(state);
    const eventsBefore = events.length;
    for (const [yes, no, text] of [
      [usd("0.405"), usd("0.50"), "yes_bid"],
      [usd("0.40"), usd("0.5001"), "no_bid"],
      [0, 0, "at most one side"],
      [usd("0.50"), usd("0.51"), "must not exceed $1"],
    ] as const) {
      const error = catchSimError(() => quote(rfq.id, yes, no));
      expect([error.status, error.code]).toEqual([400, "invalid_parameters"]);
      expect(error.message).toContain(text);
    }
    expect(desk.quotes.size).toBe(0);
    expect(events.length).toBe(eventsBefore);
    expect(snapshotEngine(state)).toEqual(before);
  });

  it("allows one declined side, which cannot then be accepted; a sum of exactly $1 is fine", () => {
    const rfq = rfq10();
    const q = quote(rfq.id, 0, usd("0.55"));
    expect(q.yesContracts).toBe(0);
    expect(catchSimError(() => desk.acceptQuote(req, q.id, "yes")).message).toContain(
      "declines the yes side",
    );
    expect(quote(rfq.id, usd("0.45"), usd("0.55")).status).toBe("open");
  });

  it("a new quote from the same maker replaces the old one; another maker's quote stays", () => {
    const other = addUser(state, 100_000);
    const rfq = rfq10();
    const first = quote(rfq.id);
    const theirs = quote(rfq.id, usd("0.30"), usd("0.60"), viewer(other));
    const second = quote(rfq.id, usd("0.41"), usd("0.55"));
    expect([first.status, first.cancellationReason]).toEqual(["cancelled", "replaced"]);
    expect(second.status).toBe("open");
    expect(theirs.status).toBe("open");
  });

  it("refuses quoting your own RFQ and quoting a closed RFQ (RFQ_CLOSED)", () => {
    const rfq = rfq10();
    expect(catchSimError(() => quote(rfq.id, usd("0.40"), usd("0.50"), req)).message).toContain(
      "own RFQ",
    );
    desk.deleteRfq(req, rfq.id);
    expect(catchSimError(() => quote(rfq.id)).code).toBe("RFQ_CLOSED");
  });
});

describe("accept and confirm failures", () => {
  it("accept after the RFQ was deleted or executed → 400 RFQ_CLOSED", () => {
    const rfq = rfq10();
    const q = quote(rfq.id);
    desk.deleteRfq(req, rfq.id);
    expect([q.status, q.cancellationReason]).toEqual(["cancelled", "rfq_closed"]);
    const error = catchSimError(() => desk.acceptQuote(req, q.id, "yes"));
    expect([error.status, error.code]).toEqual([400, "RFQ_CLOSED"]);

    const rfq2 = rfq10();
    const a = quote(rfq2.id);
    const b = quote(rfq2.id, usd("0.30"), usd("0.60"), viewer(addUser(state, 100_000)));
    desk.acceptQuote(req, a.id, "yes");
    desk.confirmQuote(mk, a.id);
    clock.advance(15_000);
    exchange.tick();
    expect([b.status, b.cancellationReason]).toEqual(["cancelled", "rfq_closed"]);
    expect(catchSimError(() => desk.acceptQuote(req, b.id, "yes")).code).toBe("RFQ_CLOSED");
  });

  it("the RFQ expires after its lifetime (RFQ_CLOSED, reason expired)", () => {
    desk.configure({ rfqLifetimeMs: 60_000 });
    const rfq = rfq10();
    const q = quote(rfq.id);
    clock.advance(60_000);
    exchange.tick();
    expect([rfq.status, rfq.cancellationReason]).toEqual(["closed", "expired"]);
    expect(catchSimError(() => desk.acceptQuote(req, q.id, "yes")).code).toBe("RFQ_CLOSED");
  });

  it("confirm after the 30 s window → 400; the quote is cancelled and the RFQ stays open for another quote", () => {
    const rfq = rfq10();
    const q = quote(rfq.id);
    desk.acceptQuote(req, q.id, "yes");
    clock.advance(30_000);
    const error = catchSimError(() => desk.confirmQuote(mk, q.id));
    expect([error.status, error.code]).toEqual([400, "invalid_parameters"]);
    expect(error.message).toContain("confirmation window lapsed");
    expect([q.status, q.cancellationReason]).toEqual(["cancelled", "confirmation_timeout"]);
    expect(rfq.status).toBe("open");
    const again = quote(rfq.id);
    desk.acceptQuote(req, again.id, "yes");
    expect(again.status).toBe("accepted");
  });

  it("only one quote per RFQ can be accepted at a time; only the requester accepts, only the maker confirms", () => {
    const rfq = rfq10();
    const a = quote(rfq.id);
    const b = quote(rfq.id, usd("0.30"), usd("0.60"), viewer(addUser(state, 100_000)));
    expect(catchSimError(() => desk.acceptQuote(mk, a.id, "yes")).status).toBe(404);
    desk.acceptQuote(req, a.id, "yes");
    expect(catchSimError(() => desk.acceptQuote(req, b.id, "yes")).message).toContain(
      "already has quote",
    );
    expect(catchSimError(() => desk.confirmQuote(req, a.id)).status).toBe(404);
  });

  it("insufficient balance: 400 INSUFFICIENT_BALANCE at accept (requester) and at confirm (maker)", () => {
    const poor = addUser(state, 500); // $5: 10 NO at $0.60 cost $6.17
    const rfq = desk.createRfq(viewer(poor), {
      marketTicker: market.ticker,
      contracts: 1_000,
      targetCost: null,
      targetCostExcludesFees: false,
      restRemainder: false,
      replaceExisting: false,
      subaccount: undefined,
    });
    const q = quote(rfq.id);
    const error = catchSimError(() => desk.acceptQuote(viewer(poor), q.id, "yes"));
    expect([error.status, error.code]).toEqual([400, "INSUFFICIENT_BALANCE"]);
    expect(q.status).toBe("open");

    const poorMaker = addUser(state, 300); // $3 < $4.00 for 10 YES at $0.40
    const rfq2 = rfq10({ marketTicker: addMarket(state, { ticker: "KXTEST-26JAN01-T60" }).ticker });
    const q2 = quote(rfq2.id, usd("0.40"), usd("0.55"), viewer(poorMaker));
    desk.acceptQuote(req, q2.id, "yes");
    expect(catchSimError(() => desk.confirmQuote(viewer(poorMaker), q2.id)).code).toBe(
      "INSUFFICIENT_BALANCE",
    );
    expect(q2.status).toBe("accepted");
  });

  it("insufficient balance at execution cancels the quote (insufficient_balance), closes the RFQ, and rests the solvent side's remainder when asked", () => {
    const rfq = rfq10();
    const q = quote(rfq.id, usd("0.40"), usd("0.55"), mk, { restRemainder: true });
    desk.acceptQuote(req, q.id, "yes");
    desk.confirmQuote(mk, q.id);
    // The requester spends its cash elsewhere during the execution timer.
    state.adjustBalance(requester, 0, -(usd("1000") - usd("6.00")));
    clock.advance(15_000);
    exchange.tick();
    expect([q.status, q.cancellationReason]).toEqual(["cancelled", "insufficient_balance"]);
    expect([rfq.status, rfq.cancellationReason]).toEqual(["closed", "insufficient_balance"]);
    expect(state.trades).toHaveLength(0);
    // The maker's 10 @ $0.40 YES bid now rests on the book.
    expect(state.book(market.ticker).depth("bid")).toEqual([[usd("0.40"), 1_000]]);
    expect(comms().map((e) => e.type)).not.toContain("quote_executed");
  });

  it("a confirmed quote binds both: neither the RFQ nor the quote can be deleted", () => {
    const rfq = rfq10();
    const q = quote(rfq.id);
    desk.acceptQuote(req, q.id, "yes");
    desk.confirmQuote(mk, q.id);
    expect(catchSimError(() => desk.deleteRfq(req, rfq.id)).message).toContain(
      "neither party can withdraw",
    );
    expect(catchSimError(() => desk.deleteQuote(mk, q.id)).message).toContain(
      "neither party can withdraw",
    );
  });
});

describe("RFQ limits and ownership", () => {
  it("409 for a second open RFQ on the same market unless replace_existing, which closes the old one", () => {
    const first = rfq10();
    const error = catchSimError(() => rfq10());
    expect([error.status, error.code]).toEqual([409, "conflict"]);
    const second = rfq10({ replaceExisting: true });
    expect([first.status, first.cancellationReason]).toEqual(["closed", "replaced"]);
    expect(second.status).toBe("open");
  });

  it("the 101st open RFQ is refused", () => {
    for (let i = 0; i < 100; i += 1) {
      const m = addMarket(state, { ticker: `KXTEST-26JAN01-B${i}` });
      rfq10({ marketTicker: m.ticker });
    }
    const extra = addMarket(state, { ticker: "KXTEST-26JAN01-EXTRA" });
    const error = catchSimError(() => rfq10({ marketTicker: extra.ticker }));
    expect([error.status, error.code]).toEqual([400, "invalid_parameters"]);
    expect(error.message).toContain("maximum of 100 open RFQs");
    expect(desk.rfqs.size).toBe(100);
  });

  it("deleting someone else's RFQ or quote is a 404, and a third party cannot see a quote", () => {
    const rfq = rfq10();
    const q = quote(rfq.id);
    expect(catchSimError(() => desk.deleteRfq(mk, rfq.id)).status).toBe(404);
    expect(catchSimError(() => desk.deleteQuote(req, q.id)).status).toBe(404);
    const stranger = viewer(addUser(state, 100));
    expect(catchSimError(() => desk.getQuote(stranger, q.id)).status).toBe(404);
    expect(desk.listQuotes(stranger, {})).toEqual([]);
    expect(desk.listQuotes(req, { rfqSelf: true }).map((x) => x.quote.id)).toEqual([q.id]);
    expect(desk.listQuotes(req, { self: true })).toEqual([]);
    expect(desk.listRfqs(stranger, {}).map((r) => r.id)).toEqual([rfq.id]);
    expect(desk.listRfqs(stranger, { self: true })).toEqual([]);
  });
});

describe("communications events", () => {
  it("RFQ events go to everyone (creator anonymised), quote events only to the two parties with their own subaccount", () => {
    requester.subaccountCount = 2;
    state.adjustBalance(requester, 2, usd("100"));
    const rfq = rfq10({ subaccount: 2 });
    const q = quote(rfq.id);
    desk.acceptQuote(req, q.id, "yes");
    desk.confirmQuote(mk, q.id);
    clock.advance(15_000);
    exchange.tick();
    const sent = comms().map((e) => [e.type, e.deliveries.map((d) => d.userId)]);
    expect(sent).toEqual([
      ["rfq_created", [null]],
      ["quote_created", [maker.userId, requester.userId]],
      ["quote_accepted", [maker.userId, requester.userId]],
      ["quote_executed", [maker.userId, requester.userId]],
      ["rfq_deleted", [null]],
    ]);
    const [created, quoteCreated, , executed, deleted] = comms();
    expect(created?.deliveries[0]?.msg).toEqual({
      id: rfq.id,
      creator_id: "",
      market_ticker: market.ticker,
      event_ticker: market.eventTicker,
      contracts_fp: "10.00",
      created_ts: "2026-01-01T00:00:00.000Z",
    });
    expect(deleted?.deliveries[0]?.msg.creator_id).toBe(communicationsId(state, requester.userId));
    // The maker trades from its primary: no subaccount field; the requester sees its own 2.
    expect(quoteCreated?.deliveries[0]?.msg).not.toHaveProperty("subaccount");
    expect(quoteCreated?.deliveries[1]?.msg.subaccount).toBe(2);
    expect(executed?.deliveries[0]?.msg.order_id).toBe(q.creatorOrderId);
    expect(executed?.deliveries[1]?.msg.order_id).toBe(q.rfqCreatorOrderId);
    expect(executed?.deliveries[1]?.msg.client_order_id).toBe(
      state.orders.get(q.rfqCreatorOrderId ?? "")?.clientOrderId,
    );
    expect(state.position(requester.userId, 2, market.ticker).position).toBe(-1_000);
  });
});
