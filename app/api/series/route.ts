import { SeriesQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";
import { slimSeries } from "@/server/market-data/slim";

// GET /api/series – every series (chip fields only), optionally by category or tags (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, SeriesQuery);
  const { series } = await marketData().listSeries(query, request.signal);
  return Response.json({ series: series.map(slimSeries) });
});
