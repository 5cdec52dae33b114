import { TradesQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";

// GET /api/trades – recent public trades, optionally for one market (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, TradesQuery);
  return Response.json(await marketData().listTrades(query, request.signal));
});
