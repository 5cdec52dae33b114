import { TradesQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { publicMarketData } from "@/server/kalshi/market-data";

// GET /api/trades – recent public trades, optionally for one market (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, TradesQuery);
  return Response.json(await publicMarketData().listTrades(query, request.signal));
});
