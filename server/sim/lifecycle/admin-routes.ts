/**
 * Sim-only market controls under `/sim/v1/markets/{ticker}/…`, for tests and
 * demos: close now, determine with a chosen result, settle now (skipping the
 * timer), deactivate, activate, and move the close time. Each answers the
 * market as `GET /markets/{ticker}` would (`{ "market": … }`); an unknown
 * ticker is a 404 MARKET_NOT_FOUND, a transition the market's status does not
 * allow a 409 MARKET_STATUS_CONFLICT, a bad body a 400 naming the field.
 * Registered by http/routes/sim-admin.ts.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { ONE_DOLLAR } from "@/lib/fixed-point";
import type { SimExchange } from "@/server/sim/exchange";
import { serializeMarket } from "@/server/sim/http/serialize-market";
import { parseBlankableJsonBody, pathParam } from "@/server/sim/http/validation";
import { requestDollars } from "@/server/sim/http/wire-schemas";
import type { Outcome } from "@/server/sim/lifecycle/determination";
import {
  activateMarket,
  closeMarket,
  deactivateMarket,
  determineMarket,
  requireMarket,
  settleMarket,
  updateCloseTime,
} from "@/server/sim/lifecycle/transitions";
import type { MarketRecord } from "@/server/sim/model";

const EmptyBody = z.object({}).strict();

const DetermineBody = z
  .object({
    result: z.enum(["yes", "no", "scalar"]),
    settlement_value: requestDollars.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.result === "scalar" && body.settlement_value === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["settlement_value"],
        message: "required with result scalar",
      });
    }
  });

const CloseTimeBody = z
  .object({
    close_time: z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
  })
  .strict();

/** A forced outcome from the request: yes pays $1, no $0, scalar the given value. */
function outcomeOf(body: z.infer<typeof DetermineBody>): Outcome {
  const fixed = body.result === "yes" ? ONE_DOLLAR : body.result === "no" ? 0 : undefined;
  return { result: body.result, settlementValue: body.settlement_value ?? fixed ?? 0 };
}

/** Adds the market control routes to the sim-only app. */
export function registerMarketControlRoutes(app: Hono, exchange: SimExchange): void {
  const { state } = exchange;
  const respond = (c: Context, market: MarketRecord) =>
    c.json({ market: serializeMarket(state, market) });
  /** Parses an optional empty body, then runs `action` on the market (404 before 400: the path is checked first). */
  const simple =
    (action: (exchange: SimExchange, market: MarketRecord) => void) => async (c: Context) => {
      const market = requireMarket(exchange, pathParam(c, "ticker"));
      await parseBlankableJsonBody(c, EmptyBody, true);
      action(exchange, market);
      return respond(c, market);
    };

  // POST /sim/v1/markets/{ticker}/close – close now (early close: close_date_updated), canceling resting orders
  app.post("/markets/:ticker/close", simple(closeMarket));
  // POST /sim/v1/markets/{ticker}/settle – finalize now with payouts, skipping the settlement timer
  app.post("/markets/:ticker/settle", simple(settleMarket));
  // POST /sim/v1/markets/{ticker}/deactivate – pause trading on an open market
  app.post("/markets/:ticker/deactivate", simple(deactivateMarket));
  // POST /sim/v1/markets/{ticker}/activate – resume a deactivated market (its resting orders are canceled)
  app.post("/markets/:ticker/activate", simple(activateMarket));

  // POST /sim/v1/markets/{ticker}/determine – set the result of a closed market
  app.post("/markets/:ticker/determine", async (c) => {
    const market = requireMarket(exchange, pathParam(c, "ticker"));
    const body = await parseBlankableJsonBody(c, DetermineBody, false);
    determineMarket(exchange, market, outcomeOf(body));
    return respond(c, market);
  });

  // POST /sim/v1/markets/{ticker}/close_time – move close_time (closes, or reopens a closed market)
  app.post("/markets/:ticker/close_time", async (c) => {
    const market = requireMarket(exchange, pathParam(c, "ticker"));
    const body = await parseBlankableJsonBody(c, CloseTimeBody, false);
    updateCloseTime(exchange, market, body.close_time);
    return respond(c, market);
  });
}
