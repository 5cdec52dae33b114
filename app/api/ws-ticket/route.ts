import type { WsTicket } from "@/lib/schemas/ws-ticket";
import { sessionRoute } from "@/server/auth/trader-route";
import { issueGatewayTicket } from "@/server/gateway/ticket-secret";

export const dynamic = "force-dynamic";

// POST /api/ws-ticket – a 60-second single-use ticket that opens the WebSocket gateway as the signed-in user
export const POST = sessionRoute(
  async (_request, { userId }) => {
    const body: WsTicket = issueGatewayTicket(userId);
    return Response.json(body, { status: 201, headers: { "cache-control": "no-store" } });
  },
  { mutation: true },
);
