import { BalanceQuery } from "@/lib/schemas/portfolio";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/portfolio/balance – the trader's cash balance and portfolio value (cents)
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, BalanceQuery);
  return Response.json(await createKalshiClient(credential).getBalance(query, request.signal));
});
