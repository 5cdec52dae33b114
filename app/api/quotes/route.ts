import { CreateQuoteBody, QuotesQuery } from "@/lib/schemas/rfq";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/quotes – quotes I made (role=maker) or quotes on my RFQs (role=requester)
export const GET = traderRoute(async (request, { credential }) => {
  const { role, ...query } = parseQuery(request, QuotesQuery);
  return Response.json(
    await createKalshiClient(credential).listQuotes(
      {
        ...query,
        user_filter: role === "maker" ? "self" : undefined,
        rfq_user_filter: role === "requester" ? "self" : undefined,
      },
      request.signal,
    ),
  );
});

// POST /api/quotes – answer an RFQ with a yes bid and a no bid (as a maker)
export const POST = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, CreateQuoteBody);
    return Response.json(await createKalshiClient(credential).createQuote(body), { status: 201 });
  },
  { mutation: true, recentAuth: true },
);
