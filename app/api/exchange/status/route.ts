import { publicRoute } from "@/server/http/public-route";
import { publicMarketData } from "@/server/kalshi/market-data";

// GET /api/exchange/status – whether the exchange and trading are open (public)
export const GET = publicRoute(async (request) =>
  Response.json(await publicMarketData().getExchangeStatus(request.signal)),
);
