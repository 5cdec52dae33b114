import { TickerParams } from "@/lib/schemas/common";
import { publicRoute } from "@/server/http/public-route";
import { getMarketAnyTier } from "@/server/browse/get-market";

// GET /api/markets/{ticker} – one market, from the historical tier once settled past the cutoff (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = TickerParams.parse(params);
  return Response.json({ market: await getMarketAnyTier(ticker, request.signal) });
});
