import { SearchQuery } from "@/lib/schemas/search";
import { kalshiRestBaseUrl } from "@/server/config";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { publicMarketData } from "@/server/kalshi/market-data";
import { marketData } from "@/server/market-data/registry";
import { search } from "@/server/search/search-index";

// GET /api/search – instant full-text search over series, event and market titles and tickers (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, SearchQuery);
  // From the in-memory universe; until it is loaded (or when it is off), from an index built over REST.
  const held = await marketData().searchHeld(query);
  return Response.json(held ?? (await search(kalshiRestBaseUrl(), publicMarketData(), query)));
});
