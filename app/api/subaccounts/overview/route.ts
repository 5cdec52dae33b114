import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";
import { subaccountOverview } from "@/server/portfolio/subaccount-overview";

// GET /api/subaccounts/overview – each subaccount's cash, portfolio value, positions, orders and netting
export const GET = traderRoute(async (request, { credential }) =>
  Response.json(await subaccountOverview(createKalshiClient(credential), request.signal)),
);
