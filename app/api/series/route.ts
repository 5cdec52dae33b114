import { SeriesQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { publicMarketData } from "@/server/kalshi/market-data";

// GET /api/series – every series, optionally by category or tags (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, SeriesQuery);
  return Response.json(await publicMarketData().listSeries(query, request.signal));
});
