import { OrderGroupActionQuery, OrderGroupParams } from "@/lib/schemas/order-group";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/order-groups/{groupId} – one order group and its order ids
export const GET = traderRoute<{ groupId: string }>(async (request, { credential, params }) => {
  const { groupId } = OrderGroupParams.parse(params);
  return Response.json(await createKalshiClient(credential).getOrderGroup(groupId, request.signal));
});

// DELETE /api/order-groups/{groupId} – delete the group and cancel its orders
export const DELETE = traderRoute<{ groupId: string }>(
  async (request, { credential, params }) => {
    const { groupId } = OrderGroupParams.parse(params);
    const query = parseQuery(request, OrderGroupActionQuery);
    await createKalshiClient(credential).deleteOrderGroup(groupId, query);
    return Response.json({ ok: true });
  },
  { mutation: true },
);
