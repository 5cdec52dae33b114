import { TickerParams } from "@/lib/schemas/common";
import { publicRoute } from "@/server/http/public-route";
import { marketData } from "@/server/market-data/registry";

// GET /api/markets/{ticker} – one market, from the historical tier once settled past the cutoff (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = TickerParams.parse(params);
  return Response.json({ market: await marketData().getMarket(ticker, request.signal) });
});
