import { QuoteParams } from "@/lib/schemas/rfq";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/quotes/{quoteId}/confirm – as the maker, confirm an accepted quote so it executes
export const POST = traderRoute<{ quoteId: string }>(
  async (_request, { credential, params }) => {
    const { quoteId } = QuoteParams.parse(params);
    await createKalshiClient(credential).confirmQuote(quoteId);
    return Response.json({ ok: true });
  },
  { mutation: true, recentAuth: true },
);
