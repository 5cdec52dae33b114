import { TickerParams } from "@/lib/schemas/common";
import { EventQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";

// GET /api/events/{ticker} – one event and its markets (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = TickerParams.parse(params);
  const query = parseQuery(request, EventQuery);
  return Response.json(await marketData().getEvent(ticker, query, request.signal));
});
