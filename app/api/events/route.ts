import { EventsQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";
import { slimEventList } from "@/server/market-data/slim";

// GET /api/events – one page of events, the fields a list shows (public)
export const GET = publicRoute(async (request) => {
  const query = parseQuery(request, EventsQuery);
  return Response.json(slimEventList(await marketData().listEvents(query, request.signal)));
});
