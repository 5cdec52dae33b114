import { EventsQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { publicMarketData } from "@/server/kalshi/market-data";

// GET /api/events – one page of events (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, EventsQuery);
  return Response.json(await publicMarketData().listEvents(query, request.signal));
});
