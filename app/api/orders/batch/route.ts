import { BatchCancelOrdersBody, BatchCreateOrdersBody } from "@/lib/schemas/order";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/orders/batch – place up to 20 limit orders; each result is placed or an error
export const POST = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, BatchCreateOrdersBody);
    return Response.json(await createKalshiClient(credential).batchCreateOrders(body), {
      status: 201,
    });
  },
  { mutation: true, recentAuth: true },
);

// DELETE /api/orders/batch – cancel up to 20 orders; each result is cancelled or an error
export const DELETE = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, BatchCancelOrdersBody);
    return Response.json(await createKalshiClient(credential).batchCancelOrders(body));
  },
  { mutation: true },
);
