import { RfqParams } from "@/lib/schemas/rfq";
import { traderRoute } from "@/server/auth/trader-route";
import { createKalshiClient } from "@/server/kalshi/client";

// GET /api/rfqs/{rfqId} – one RFQ
export const GET = traderRoute<{ rfqId: string }>(async (request, { credential, params }) => {
  const { rfqId } = RfqParams.parse(params);
  return Response.json({ rfq: await createKalshiClient(credential).getRfq(rfqId, request.signal) });
});

// DELETE /api/rfqs/{rfqId} – withdraw the trader's RFQ
export const DELETE = traderRoute<{ rfqId: string }>(
  async (_request, { credential, params }) => {
    const { rfqId } = RfqParams.parse(params);
    await createKalshiClient(credential).deleteRfq(rfqId);
    return Response.json({ ok: true });
  },
  { mutation: true },
);
