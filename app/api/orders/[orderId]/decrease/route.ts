import { DecreaseOrderBody, OrderIdParams } from "@/lib/schemas/order";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/orders/{orderId}/decrease – shrink a resting order (reduce_by or reduce_to)
export const POST = traderRoute<{ orderId: string }>(
  async (request, { credential, params }) => {
    const { orderId } = OrderIdParams.parse(params);
    const body = await parseJsonBody(request, DecreaseOrderBody);
    return Response.json(await createKalshiClient(credential).decreaseOrder(orderId, body));
  },
  { mutation: true },
);
