import { TickerParams } from "@/lib/schemas/common";
import { publicRoute } from "@/server/http/public-route";
import { marketData } from "@/server/market-data/registry";

// GET /api/series/{ticker} – one series (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = TickerParams.parse(params);
  return Response.json({ series: await marketData().getSeries(ticker, request.signal) });
});
