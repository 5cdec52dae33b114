import { MarketsQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { publicMarketData } from "@/server/kalshi/market-data";

// GET /api/markets – one page of markets, filtered by status/event/series (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, MarketsQuery);
  return Response.json(await publicMarketData().listMarkets(query, request.signal));
});
