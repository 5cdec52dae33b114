import { CreateRfqBody, RfqsQuery } from "@/lib/schemas/rfq";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/rfqs – open or closed RFQs; mine=true for the trader's own requests
export const GET = traderRoute(async (request, { credential }) => {
  const { mine, ...query } = parseQuery(request, RfqsQuery);
  return Response.json(
    await createKalshiClient(credential).listRfqs(
      { ...query, user_filter: mine ? "self" : undefined },
      request.signal,
    ),
  );
});

// POST /api/rfqs – ask makers for quotes on a number of contracts
export const POST = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, CreateRfqBody);
    return Response.json(await createKalshiClient(credential).createRfq(body), { status: 201 });
  },
  { mutation: true, recentAuth: true },
);
