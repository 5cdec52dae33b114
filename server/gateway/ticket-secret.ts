/**
 * The HMAC secret shared by `POST /api/ws-ticket` (in the Next.js bundle) and
 * the gateway (in server/main.ts or its own container): GATEWAY_TICKET_SECRET,
 * or a key derived from the auth secret so that one secret configures both.
 */
import { createHmac } from "node:crypto";
import { getAuthSecret } from "@/server/auth/session";
import { getServerConfig } from "@/server/config";
import { issueTicket } from "@/server/gateway/ticket";

export function gatewayTicketSecret(): string {
  const configured = getServerConfig().gateway.ticketSecret;
  if (configured) return configured;
  // A derived key, so a ticket can never be confused with a session token signed by AUTH_SECRET itself.
  return createHmac("sha256", getAuthSecret())
    .update("kalshi-dashboard gateway ticket v1")
    .digest("base64url");
}

/** A ticket for `userId`, signed with the shared secret (what `POST /api/ws-ticket` returns). */
export function issueGatewayTicket(userId: string): { ticket: string; expires_at: number } {
  const { ticket, expiresAt } = issueTicket(gatewayTicketSecret(), userId);
  return { ticket, expires_at: expiresAt };
}
