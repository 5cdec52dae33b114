import { CollectionParams, CreateComboBody } from "@/lib/schemas/collection";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { publicRoute } from "@/server/http/public-route";
import { marketData } from "@/server/market-data/registry";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/collections/{ticker} – one collection with its events and leg rules (public)
export const GET = publicRoute<{ ticker: string }>(async (request, { params }) => {
  const { ticker } = CollectionParams.parse(params);
  return Response.json({
    collection: await marketData().getCollection(ticker, request.signal),
  });
});

// POST /api/collections/{ticker} – create (or find) the combo market for the chosen legs
export const POST = traderRoute<{ ticker: string }>(
  async (request, { credential, params }) => {
    const { ticker } = CollectionParams.parse(params);
    const body = await parseJsonBody(request, CreateComboBody);
    return Response.json(await createKalshiClient(credential).createComboMarket(ticker, body));
  },
  { mutation: true },
);
