import { CreateSubaccountBody } from "@/lib/schemas/subaccount";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/subaccounts – the cash balance of each of the trader's subaccounts
export const GET = traderRoute(async (request, { credential }) =>
  Response.json(await createKalshiClient(credential).getSubaccountBalances(request.signal)),
);

// POST /api/subaccounts – open the next numbered subaccount
export const POST = traderRoute(
  async (request, { credential }) => {
    await parseJsonBody(request, CreateSubaccountBody);
    return Response.json(await createKalshiClient(credential).createSubaccount(), { status: 201 });
  },
  { mutation: true },
);
