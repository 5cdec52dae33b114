import { OrderGroupParams } from "@/lib/schemas/order-group";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/order-groups/{groupId}/reset – re-enable a triggered group so its orders may trade again
export const POST = traderRoute<{ groupId: string }>(
  async (_request, { credential, params }) => {
    const { groupId } = OrderGroupParams.parse(params);
    await createKalshiClient(credential).orderGroupAction(groupId, "reset");
    return Response.json({ ok: true });
  },
  { mutation: true },
);
