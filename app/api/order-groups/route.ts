import { CreateOrderGroupBody } from "@/lib/schemas/order-group";
import { BalanceQuery } from "@/lib/schemas/portfolio";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/order-groups – the trader's order groups (optionally of one subaccount)
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, BalanceQuery);
  return Response.json(await createKalshiClient(credential).listOrderGroups(query, request.signal));
});

// POST /api/order-groups – create an order group with a contracts limit
export const POST = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, CreateOrderGroupBody);
    return Response.json(await createKalshiClient(credential).createOrderGroup(body), {
      status: 201,
    });
  },
  { mutation: true },
);
