import { CancelOrderQuery, OrderIdParams } from "@/lib/schemas/order";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/orders/{orderId} – one of the trader's orders
export const GET = traderRoute<{ orderId: string }>(async (request, { credential, params }) => {
  const { orderId } = OrderIdParams.parse(params);
  return Response.json({
    order: await createKalshiClient(credential).getOrder(orderId, request.signal),
  });
});

// DELETE /api/orders/{orderId} – cancel the rest of a resting order
export const DELETE = traderRoute<{ orderId: string }>(
  async (request, { credential, params }) => {
    const { orderId } = OrderIdParams.parse(params);
    const query = parseQuery(request, CancelOrderQuery);
    return Response.json(await createKalshiClient(credential).cancelOrder(orderId, query));
  },
  { mutation: true },
);
