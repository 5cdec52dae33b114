import { OrderGroupActionQuery, OrderGroupParams } from "@/lib/schemas/order-group";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/order-groups/{groupId}/trigger – trigger the group now: cancel its orders and block new ones
export const POST = traderRoute<{ groupId: string }>(
  async (request, { credential, params }) => {
    const { groupId } = OrderGroupParams.parse(params);
    const query = parseQuery(request, OrderGroupActionQuery);
    await createKalshiClient(credential).orderGroupAction(groupId, "trigger", query);
    return Response.json({ ok: true });
  },
  { mutation: true },
);
