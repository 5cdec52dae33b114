/**
 * The URL of a gateway that runs apart from the app (GATEWAY_PUBLIC_URL, the
 * Vercel layout), with a fresh single-use ticket from `POST /api/ws-ticket`
 * so the socket opens as the signed-in user. Cookies do not cross to the
 * gateway's origin; the ticket does. Without a session (401) the bare URL is
 * used and the socket gets public topics only. Loaded on demand with the
 * gateway client, never in a page's first load.
 */
export async function ticketedGatewayUrl(gatewayUrl: string): Promise<string> {
  const response = await fetch("/api/ws-ticket", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
    cache: "no-store",
  });
  if (response.status === 401) return gatewayUrl;
  if (!response.ok) throw new Error(`could not get a gateway ticket (HTTP ${response.status})`);
  const body: unknown = await response.json();
  const ticket =
    typeof body === "object" && body !== null && "ticket" in body && typeof body.ticket === "string"
      ? body.ticket
      : null;
  if (!ticket) throw new Error("the gateway ticket answer had no ticket");
  const url = new URL(gatewayUrl);
  url.searchParams.set("ticket", ticket);
  return url.toString();
}
