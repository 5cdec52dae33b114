import { FillsQuery } from "@/lib/schemas/portfolio";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/portfolio/fills – the trader's fills, newest first
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, FillsQuery);
  return Response.json(await createKalshiClient(credential).listFills(query, request.signal));
});
