import { CreateOrderBody, OrdersQuery } from "@/lib/schemas/order";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/orders – the trader's orders, filtered by market/status/time
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, OrdersQuery);
  return Response.json(await createKalshiClient(credential).listOrders(query, request.signal));
});

// POST /api/orders – place a limit order for the signed-in trader (placed at most once)
export const POST = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, CreateOrderBody);
    // No request.signal: once sent, an order must finish its retries even if the browser leaves.
    const placed = await createKalshiClient(credential).placeOrder(body);
    return Response.json(placed, { status: placed.deduplicated ? 200 : 201 });
  },
  { mutation: true, recentAuth: true },
);
