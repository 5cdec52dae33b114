import { SettlementsQuery } from "@/lib/schemas/portfolio";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/portfolio/settlements – the trader's settled markets and payouts
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, SettlementsQuery);
  return Response.json(await createKalshiClient(credential).listSettlements(query, request.signal));
});
