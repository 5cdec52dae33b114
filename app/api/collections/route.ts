import { CollectionsQuery } from "@/lib/schemas/collection";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { publicMarketData } from "@/server/kalshi/market-data";

// GET /api/collections – multivariate event collections: which events' markets can be combined (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, CollectionsQuery);
  return Response.json(await publicMarketData().listCollections(query, request.signal));
});
