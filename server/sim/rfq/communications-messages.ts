/**
 * Bodies of the `communications` WebSocket channel (asyncapi.yaml,
 * websockets/communications.md), published on the bus with their
 * recipients: RFQ events to every subscriber, quote events only to the
 * quote's maker and the RFQ's creator, each with their own `subaccount`
 * (present only when it is not the primary) and, on quote_executed, their
 * own order. The counterparty's private fields never travel.
 */
import { comboFields } from "@/server/sim/combos/combo-fields";
import { formatCount, formatDollars } from "@/lib/fixed-point";
import type { JsonObject } from "@/server/sim/bus";
import { isoTime } from "@/server/sim/http/serialize-market";
import type { QuoteRecord, RfqRecord } from "@/server/sim/rfq/rfq-model";
import { communicationsId, quoteContracts } from "@/server/sim/rfq/serialize-rfq";
import type { SimState } from "@/server/sim/state";

function rfqSize(rfq: RfqRecord): JsonObject {
  return {
    ...(rfq.contracts === null ? {} : { contracts_fp: formatCount(rfq.contracts) }),
    ...(rfq.targetCost === null ? {} : { target_cost_dollars: formatDollars(rfq.targetCost) }),
  };
}

function withSubaccount(body: JsonObject, subaccount: number): JsonObject {
  return subaccount === 0 ? body : { ...body, subaccount };
}

/** `rfq_created` to everyone; the spec leaves `creator_id` empty on this event. */
export function publishRfqCreated(state: SimState, rfq: RfqRecord): void {
  const msg: JsonObject = {
    id: rfq.id,
    creator_id: "",
    market_ticker: rfq.marketTicker,
    event_ticker: rfq.eventTicker,
    ...rfqSize(rfq),
    created_ts: isoTime(rfq.createdTime),
    ...comboFields(state, rfq.marketTicker),
  };
  state.bus.publish({
    kind: "communications",
    type: "rfq_created",
    marketTicker: rfq.marketTicker,
    deliveries: [{ userId: null, msg }],
  });
}

/** `rfq_deleted` to everyone, whenever an RFQ closes (deleted, replaced, expired or executed). */
export function publishRfqDeleted(state: SimState, rfq: RfqRecord): void {
  const msg: JsonObject = {
    id: rfq.id,
    creator_id: communicationsId(state, rfq.userId),
    market_ticker: rfq.marketTicker,
    event_ticker: rfq.eventTicker,
    ...rfqSize(rfq),
    deleted_ts: isoTime(rfq.cancelledTime ?? rfq.updatedTime),
  };
  state.bus.publish({
    kind: "communications",
    type: "rfq_deleted",
    marketTicker: rfq.marketTicker,
    deliveries: [{ userId: null, msg }],
  });
}

function quoteCommon(state: SimState, quote: QuoteRecord, rfq: RfqRecord): JsonObject {
  return {
    quote_id: quote.id,
    rfq_id: rfq.id,
    quote_creator_id: communicationsId(state, quote.userId),
    rfq_creator_id: communicationsId(state, rfq.userId),
    market_ticker: quote.marketTicker,
    event_ticker: rfq.eventTicker,
    yes_bid_dollars: formatDollars(quote.yesBid),
    no_bid_dollars: formatDollars(quote.noBid),
  };
}

function offered(quote: QuoteRecord, rfq: RfqRecord): JsonObject {
  return {
    yes_contracts_offered_fp: formatCount(quote.yesContracts),
    no_contracts_offered_fp: formatCount(quote.noContracts),
    ...(rfq.targetCost === null ? {} : { rfq_target_cost_dollars: formatDollars(rfq.targetCost) }),
  };
}

/** Publishes one body to the maker and the requester, each with their own subaccount. */
function toBothParties(
  state: SimState,
  type: "quote_created" | "quote_accepted",
  quote: QuoteRecord,
  rfq: RfqRecord,
  body: JsonObject,
): void {
  state.bus.publish({
    kind: "communications",
    type,
    marketTicker: rfq.marketTicker,
    deliveries: [
      { userId: quote.userId, msg: withSubaccount(body, quote.subaccount) },
      { userId: rfq.userId, msg: withSubaccount(body, rfq.subaccount) },
    ],
  });
}

/** `quote_created` to the maker and the RFQ creator. */
export function publishQuoteCreated(state: SimState, quote: QuoteRecord, rfq: RfqRecord): void {
  toBothParties(state, "quote_created", quote, rfq, {
    ...quoteCommon(state, quote, rfq),
    ...offered(quote, rfq),
    created_ts: isoTime(quote.createdTime),
  });
}

/** `quote_accepted` to the maker and the RFQ creator. */
export function publishQuoteAccepted(state: SimState, quote: QuoteRecord, rfq: RfqRecord): void {
  toBothParties(state, "quote_accepted", quote, rfq, {
    ...quoteCommon(state, quote, rfq),
    ...(quote.acceptedSide === null ? {} : { accepted_side: quote.acceptedSide }),
    contracts_accepted_fp: formatCount(quoteContracts(quote)),
    ...offered(quote, rfq),
  });
}

/** `quote_executed`: each party gets its own order_id and client_order_id. */
export function publishQuoteExecuted(state: SimState, quote: QuoteRecord, rfq: RfqRecord): void {
  const base: JsonObject = {
    quote_id: quote.id,
    rfq_id: rfq.id,
    quote_creator_id: communicationsId(state, quote.userId),
    rfq_creator_id: communicationsId(state, rfq.userId),
    market_ticker: quote.marketTicker,
    executed_ts: isoTime(quote.executedTime ?? quote.updatedTime),
  };
  const maker: JsonObject = {
    ...base,
    order_id: quote.creatorOrderId ?? "",
    client_order_id: quote.creatorClientOrderId ?? "",
  };
  const requester: JsonObject = {
    ...base,
    order_id: quote.rfqCreatorOrderId ?? "",
    client_order_id: quote.rfqCreatorClientOrderId ?? "",
  };
  state.bus.publish({
    kind: "communications",
    type: "quote_executed",
    marketTicker: rfq.marketTicker,
    deliveries: [
      { userId: quote.userId, msg: withSubaccount(maker, quote.subaccount) },
      { userId: rfq.userId, msg: withSubaccount(requester, rfq.subaccount) },
    ],
  });
}
