import { AcceptQuoteBody, QuoteParams } from "@/lib/schemas/rfq";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// POST /api/quotes/{quoteId}/accept – as the RFQ's creator, take a quote on one side
export const POST = traderRoute<{ quoteId: string }>(
  async (request, { credential, params }) => {
    const { quoteId } = QuoteParams.parse(params);
    const body = await parseJsonBody(request, AcceptQuoteBody);
    await createKalshiClient(credential).acceptQuote(quoteId, body.accepted_side);
    return Response.json({ ok: true });
  },
  { mutation: true, recentAuth: true },
);
