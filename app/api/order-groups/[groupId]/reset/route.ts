import { OrderGroupActionQuery, OrderGroupParams } from "@/lib/schemas/order-group";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/order-groups/{groupId}/reset – re-enable a triggered group so its orders may trade again
export const POST = traderRoute<{ groupId: string }>(
  async (request, { credential, params }) => {
    const { groupId } = OrderGroupParams.parse(params);
    const query = parseQuery(request, OrderGroupActionQuery);
    await createKalshiClient(credential).orderGroupAction(groupId, "reset", query);
    return Response.json({ ok: true });
  },
  { mutation: true },
);
