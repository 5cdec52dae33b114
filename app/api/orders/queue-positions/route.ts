import { QueuePositionsQuery } from "@/lib/schemas/order";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/orders/queue-positions – contracts ahead of each of the trader's resting orders in one market
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, QueuePositionsQuery);
  return Response.json(
    await createKalshiClient(credential).getQueuePositions(query, request.signal),
  );
});
