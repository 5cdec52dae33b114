/**
 * Communications (RFQ) endpoints, api-reference/communications/*.md: the
 * communications ID, RFQs, quotes, and the accept → confirm lock. Handlers
 * parse with zod and call the RFQ desk (server/sim/rfq/rfq-desk.ts), which
 * owns every rule and timer. Block-trade proposals are not simulated.
 */
import type { Context } from "hono";
import { z } from "zod";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes, SimEnv } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import { parseJsonBody, parseQuery, pathParam, queryInt } from "@/server/sim/http/validation";
import { requestCount, requestDollars, subaccountNumber } from "@/server/sim/http/wire-schemas";
import {
  communicationsId,
  serializeQuote,
  serializeRfq,
  type Viewer,
} from "@/server/sim/rfq/serialize-rfq";

/** `user_filter`: "Omit or leave empty to return all results. Use `self` to filter by the authenticated user." */
const userFilter = z.enum(["self", ""]).optional();

const listRfqsQuery = z.strictObject({
  cursor: z.string().optional(),
  event_ticker: z.string().optional(),
  market_ticker: z.string().optional(),
  subaccount: queryInt(0, 63).optional(),
  limit: queryInt(1, 100).optional(),
  status: z.enum(["open", "closed"]).optional(),
  creator_user_id: z.string().optional(),
  user_filter: userFilter,
});

const createRfqBody = z.strictObject({
  market_ticker: z.string().min(1, "must not be empty"),
  contracts: z.number().int().min(1).optional(),
  contracts_fp: requestCount.nullable().optional(),
  target_cost_centi_cents: z.number().int().min(1).optional(),
  target_cost_dollars: requestDollars.optional(),
  target_cost_excludes_fees: z.boolean().optional(),
  rest_remainder: z.boolean(),
  replace_existing: z.boolean().optional(),
  subtrader_id: z.string().optional(),
  subaccount: subaccountNumber.optional(),
});

const listQuotesQuery = z.strictObject({
  cursor: z.string().optional(),
  min_ts: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  max_ts: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInt(1, 500).optional(),
  status: z.enum(["open", "accepted", "confirmed", "executed", "cancelled"]).optional(),
  quote_creator_user_id: z.string().optional(),
  user_filter: userFilter,
  rfq_user_filter: userFilter,
  rfq_creator_user_id: z.string().optional(),
  rfq_creator_subtrader_id: z.string().optional(),
  rfq_id: z.string().optional(),
});

const createQuoteBody = z.strictObject({
  rfq_id: z.string().min(1, "must not be empty"),
  yes_bid: requestDollars,
  no_bid: requestDollars,
  rest_remainder: z.boolean(),
  post_only: z.boolean().optional(),
  subaccount: subaccountNumber.optional(),
});

const acceptBody = z.strictObject({ accepted_side: z.enum(["yes", "no"]) });
/** The confirm body is an optional EmptyResponse object. */
const confirmBody = z.strictObject({});

function viewerOf(c: Context<SimEnv>): Viewer {
  const auth = c.get("auth");
  return { userId: auth.user.userId, lockedSubaccount: auth.apiKey.subaccount };
}

/** Reads the body only when one was sent (confirm's body is optional). */
async function parseOptionalBody(c: Context<SimEnv>): Promise<void> {
  const text = await c.req.text();
  if (text.trim().length > 0) await parseJsonBody(c, confirmBody);
}

/** One count from `contracts`/`contracts_fp` (which must agree), or null. */
function requestedContracts(body: z.infer<typeof createRfqBody>): number | null {
  const whole = body.contracts === undefined ? null : body.contracts * 100;
  const fp = body.contracts_fp ?? null;
  if (whole !== null && fp !== null && whole !== fp) {
    throw simErrors.invalidParameters("contracts and contracts_fp must match when both are given");
  }
  return fp ?? whole;
}

/** One target cost from `target_cost_dollars`/deprecated `target_cost_centi_cents`, or null. */
function requestedTargetCost(body: z.infer<typeof createRfqBody>): number | null {
  const centiCents =
    body.target_cost_centi_cents === undefined ? null : body.target_cost_centi_cents * 100;
  const dollars = body.target_cost_dollars ?? null;
  if (centiCents !== null && dollars !== null && centiCents !== dollars) {
    throw simErrors.invalidParameters(
      "target_cost_centi_cents and target_cost_dollars must match when both are given",
    );
  }
  return dollars ?? centiCents;
}

export const registerCommunicationsRoutes: RegisterRoutes = (app, exchange) => {
  const { state, rfqDesk: desk } = exchange;

  // GET /communications/id – the caller's public communications ID
  app.get("/communications/id", (c) => {
    return c.json({ communications_id: communicationsId(state, c.get("auth").user.userId) });
  });

  // GET /communications/rfqs – every RFQ (they are public), newest first
  app.get("/communications/rfqs", (c) => {
    const q = parseQuery(c, listRfqsQuery);
    const viewer = viewerOf(c);
    const all = desk.listRfqs(viewer, {
      status: q.status,
      marketTicker: q.market_ticker || undefined,
      eventTicker: q.event_ticker || undefined,
      self: q.user_filter === "self",
      creatorUserId: q.creator_user_id || undefined,
      subaccount: q.subaccount,
    });
    const page = paginate(all, q.cursor || undefined, q.limit ?? 100);
    return c.json({
      rfqs: page.items.map((rfq) => serializeRfq(state, rfq, viewer)),
      cursor: page.cursor,
    });
  });

  // POST /communications/rfqs – ask makers for a price on a market and size
  app.post("/communications/rfqs", async (c) => {
    const body = await parseJsonBody(c, createRfqBody);
    if (body.subtrader_id !== undefined) {
      throw simErrors.invalidParameters(
        "subtrader_id: only FCM members may create RFQs for a subtrader",
      );
    }
    const rfq = desk.createRfq(viewerOf(c), {
      marketTicker: body.market_ticker,
      contracts: requestedContracts(body),
      targetCost: requestedTargetCost(body),
      targetCostExcludesFees: body.target_cost_excludes_fees ?? false,
      restRemainder: body.rest_remainder,
      replaceExisting: body.replace_existing ?? false,
      subaccount: body.subaccount,
    });
    return c.json({ id: rfq.id }, 201);
  });

  // GET /communications/rfqs/{rfq_id} – one RFQ
  app.get("/communications/rfqs/:rfq_id", (c) => {
    const rfq = desk.getRfq(pathParam(c, "rfq_id"));
    return c.json({ rfq: serializeRfq(state, rfq, viewerOf(c)) });
  });

  // DELETE /communications/rfqs/{rfq_id} – the creator withdraws an open RFQ
  app.delete("/communications/rfqs/:rfq_id", (c) => {
    desk.deleteRfq(viewerOf(c), pathParam(c, "rfq_id"));
    return c.body(null, 204);
  });

  // GET /communications/quotes – quotes the caller made or received, newest first
  app.get("/communications/quotes", (c) => {
    const q = parseQuery(c, listQuotesQuery);
    const viewer = viewerOf(c);
    const all = desk.listQuotes(viewer, {
      status: q.status,
      rfqId: q.rfq_id || undefined,
      self: q.user_filter === "self",
      rfqSelf: q.rfq_user_filter === "self",
      quoteCreatorUserId: q.quote_creator_user_id || undefined,
      rfqCreatorUserId: q.rfq_creator_user_id || undefined,
      minUpdated: q.min_ts === undefined ? undefined : q.min_ts * 1000,
      maxUpdated: q.max_ts === undefined ? undefined : q.max_ts * 1000,
    });
    // FCM subtraders do not exist in the simulator: that filter matches nothing.
    const filtered = q.rfq_creator_subtrader_id ? [] : all;
    const page = paginate(filtered, q.cursor || undefined, q.limit ?? 500);
    return c.json({
      quotes: page.items.map(({ quote, rfq }) => serializeQuote(state, quote, rfq, viewer)),
      cursor: page.cursor,
    });
  });

  // POST /communications/quotes – a maker's two-sided price on an RFQ
  app.post("/communications/quotes", async (c) => {
    const body = await parseJsonBody(c, createQuoteBody);
    const quote = desk.createQuote(viewerOf(c), {
      rfqId: body.rfq_id,
      yesBid: body.yes_bid,
      noBid: body.no_bid,
      restRemainder: body.rest_remainder,
      postOnly: body.post_only ?? false,
      subaccount: body.subaccount,
    });
    return c.json({ id: quote.id }, 201);
  });

  const getQuote = (c: Context<SimEnv>, rfqId?: string) => {
    const viewer = viewerOf(c);
    const { quote, rfq } = desk.getQuote(viewer, pathParam(c, "quote_id"), rfqId);
    return c.json({ quote: serializeQuote(state, quote, rfq, viewer) });
  };
  const deleteQuote = (c: Context<SimEnv>, rfqId?: string) => {
    desk.deleteQuote(viewerOf(c), pathParam(c, "quote_id"), rfqId);
    return c.body(null, 204);
  };
  const acceptQuote = async (c: Context<SimEnv>, rfqId?: string) => {
    const body = await parseJsonBody(c, acceptBody);
    desk.acceptQuote(viewerOf(c), pathParam(c, "quote_id"), body.accepted_side, rfqId);
    return c.body(null, 204);
  };
  const confirmQuote = async (c: Context<SimEnv>, rfqId?: string) => {
    await parseOptionalBody(c);
    desk.confirmQuote(viewerOf(c), pathParam(c, "quote_id"), rfqId);
    return c.body(null, 204);
  };

  // GET /communications/quotes/{quote_id} – deprecated quote lookup
  app.get("/communications/quotes/:quote_id", (c) => getQuote(c));
  // DELETE /communications/quotes/{quote_id} – deprecated withdraw
  app.delete("/communications/quotes/:quote_id", (c) => deleteQuote(c));
  // PUT /communications/quotes/{quote_id}/accept – deprecated accept
  app.put("/communications/quotes/:quote_id/accept", (c) => acceptQuote(c));
  // PUT /communications/quotes/{quote_id}/confirm – deprecated confirm
  app.put("/communications/quotes/:quote_id/confirm", (c) => confirmQuote(c));

  // GET /communications/rfqs/{rfq_id}/quotes/{quote_id} – a quote, scoped to its RFQ
  app.get("/communications/rfqs/:rfq_id/quotes/:quote_id", (c) =>
    getQuote(c, pathParam(c, "rfq_id")),
  );
  // DELETE /communications/rfqs/{rfq_id}/quotes/{quote_id} – the maker withdraws before confirming
  app.delete("/communications/rfqs/:rfq_id/quotes/:quote_id", (c) =>
    deleteQuote(c, pathParam(c, "rfq_id")),
  );
  // PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/accept – the requester takes one side
  app.put("/communications/rfqs/:rfq_id/quotes/:quote_id/accept", (c) =>
    acceptQuote(c, pathParam(c, "rfq_id")),
  );
  // PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/confirm – the maker locks the trade
  app.put("/communications/rfqs/:rfq_id/quotes/:quote_id/confirm", (c) =>
    confirmQuote(c, pathParam(c, "rfq_id")),
  );
};
