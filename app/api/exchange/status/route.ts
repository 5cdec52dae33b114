import { publicRoute } from "@/server/http/public-route";
import { marketData } from "@/server/market-data/registry";

// GET /api/exchange/status – whether the exchange and trading are open (public)
export const GET = publicRoute(async (request) =>
  Response.json(await marketData().getExchangeStatus(request.signal)),
);
