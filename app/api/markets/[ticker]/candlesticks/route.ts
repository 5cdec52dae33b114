import { TickerParams } from "@/lib/schemas/common";
import { CandlesticksQuery } from "@/lib/schemas/market";
import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";

// GET /api/markets/{ticker}/candlesticks – OHLC candles, live and historical merged (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = TickerParams.parse(params);
  const query = parseQuery(request, CandlesticksQuery);
  return Response.json(await marketData().getMarketCandlesticks(ticker, query, request.signal));
});
