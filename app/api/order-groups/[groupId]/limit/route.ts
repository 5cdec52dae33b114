import {
  OrderGroupActionQuery,
  OrderGroupParams,
  UpdateOrderGroupLimitBody,
} from "@/lib/schemas/order-group";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// PUT /api/order-groups/{groupId}/limit – change the group's contracts limit (?subaccount= when not the primary)
export const PUT = traderRoute<{ groupId: string }>(
  async (request, { credential, params }) => {
    const { groupId } = OrderGroupParams.parse(params);
    const query = parseQuery(request, OrderGroupActionQuery);
    const body = await parseJsonBody(request, UpdateOrderGroupLimitBody);
    await createKalshiClient(credential).updateOrderGroupLimit(
      groupId,
      body.contracts_limit,
      query,
    );
    return Response.json({ ok: true });
  },
  { mutation: true },
);
