import { HistoryParams, HistoryQuery } from "@/lib/schemas/portfolio-history";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";
import { pageHistory } from "@/server/portfolio/history";

// GET /api/portfolio/history/{kind} – one page of fills, orders, settlements or transfers, live then historical
export const GET = traderRoute<{ kind: string }>(async (request, { credential, params }) => {
  const { kind } = HistoryParams.parse(params);
  const query = parseQuery(request, HistoryQuery);
  return Response.json(
    await pageHistory(createKalshiClient(credential), kind, query, request.signal),
  );
});
