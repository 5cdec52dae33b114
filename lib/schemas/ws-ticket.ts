import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

/**
 * `POST /api/ws-ticket` response: a short-lived, single-use ticket that opens
 * the gateway as the signed-in user from another origin
 * (`wss://gateway.example/ws?ticket=…`). Browser-safe.
 */
export const WsTicketSchema = z.object({
  ticket: z.string().min(1),
  /** ms since the epoch */
  expires_at: z.number().int(),
});
export type WsTicket = z.infer<typeof WsTicketSchema>;
