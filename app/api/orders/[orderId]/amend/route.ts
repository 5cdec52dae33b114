import { AmendOrderBody, OrderIdParams } from "@/lib/schemas/order";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/orders/{orderId}/amend – change a resting order's price and/or total count
export const POST = traderRoute<{ orderId: string }>(
  async (request, { credential, params }) => {
    const { orderId } = OrderIdParams.parse(params);
    const body = await parseJsonBody(request, AmendOrderBody);
    return Response.json(await createKalshiClient(credential).amendOrder(orderId, body));
  },
  { mutation: true, recentAuth: true },
);
