import { MarketsQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";
import { slimMarketList } from "@/server/market-data/slim";

// GET /api/markets – one page of markets (row fields only), by status/event/series/tickers/close time, category, closing window and sort (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, MarketsQuery);
  return Response.json(slimMarketList(await marketData().listMarkets(query, request.signal)));
});
