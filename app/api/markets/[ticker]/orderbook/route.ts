import { TickerParams } from "@/lib/schemas/common";
import { OrderbookQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";

// GET /api/markets/{ticker}/orderbook – the market's resting yes/no bids (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = TickerParams.parse(params);
  const query = parseQuery(request, OrderbookQuery);
  return Response.json(await marketData().getOrderbook(ticker, query, request.signal));
});
