import { QuoteParams } from "@/lib/schemas/rfq";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/quotes/{quoteId} – one quote
export const GET = traderRoute<{ quoteId: string }>(async (request, { credential, params }) => {
  const { quoteId } = QuoteParams.parse(params);
  return Response.json({
    quote: await createKalshiClient(credential).getQuote(quoteId, request.signal),
  });
});

// DELETE /api/quotes/{quoteId} – withdraw the trader's quote
export const DELETE = traderRoute<{ quoteId: string }>(
  async (_request, { credential, params }) => {
    const { quoteId } = QuoteParams.parse(params);
    await createKalshiClient(credential).deleteQuote(quoteId);
    return Response.json({ ok: true });
  },
  { mutation: true },
);
