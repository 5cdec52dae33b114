import { PositionsQuery } from "@/lib/schemas/portfolio";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/portfolio/positions – the trader's market and event positions
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, PositionsQuery);
  return Response.json(await createKalshiClient(credential).getPositions(query, request.signal));
});
