import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/account/limits – the trader's API usage tier and rate budgets
export const GET = traderRoute(async (request, { credential }) =>
  Response.json(await createKalshiClient(credential).getAccountLimits(request.signal)),
);
