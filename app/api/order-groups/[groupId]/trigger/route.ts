import { OrderGroupParams } from "@/lib/schemas/order-group";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/order-groups/{groupId}/trigger – trigger the group now: cancel its orders and block new ones
export const POST = traderRoute<{ groupId: string }>(
  async (_request, { credential, params }) => {
    const { groupId } = OrderGroupParams.parse(params);
    await createKalshiClient(credential).orderGroupAction(groupId, "trigger");
    return Response.json({ ok: true });
  },
  { mutation: true },
);
