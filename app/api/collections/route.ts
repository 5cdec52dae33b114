import { CollectionsQuery } from "@/lib/schemas/collection";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";

// GET /api/collections – multivariate event collections: which events' markets can be combined (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, CollectionsQuery);
  return Response.json(await marketData().listCollections(query, request.signal));
});
