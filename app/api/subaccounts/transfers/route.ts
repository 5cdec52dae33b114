import { TransferBody, TransfersQuery } from "@/lib/schemas/subaccount";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/subaccounts/transfers – cash moves between the trader's subaccounts
export const GET = traderRoute(async (request, { credential }) => {
  const query = parseQuery(request, TransfersQuery);
  return Response.json(
    await createKalshiClient(credential).listSubaccountTransfers(query, request.signal),
  );
});

// POST /api/subaccounts/transfers – move cash between two of the trader's subaccounts
export const POST = traderRoute(
  async (request, { credential }) => {
    const body = await parseJsonBody(request, TransferBody);
    return Response.json(await createKalshiClient(credential).transferBetweenSubaccounts(body), {
      status: 201,
    });
  },
  { mutation: true, recentAuth: true },
);
