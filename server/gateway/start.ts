/**
 * Wires the gateway from the server configuration: the market-data service
 * credential, the ticket secret (shared with `POST /api/ws-ticket`), the
 * allowed origins, and the app's authenticator. Used by server/main.ts.
 */
import { getServerConfig } from "@/server/config";
import type { GatewayAuthenticator } from "@/server/gateway/authenticate";
import { registerGatewayBooks } from "@/server/gateway/book-registry";
import {
  createGateway,
  type GatewayHandle,
  type GatewayLog,
  type MarketTap,
} from "@/server/gateway/gateway";
import { registerGatewayHealth } from "@/server/gateway/health-registry";
import { resolveServiceCredential } from "@/server/gateway/service-credential";
import type { FeedConnectionFactory } from "@/server/gateway/upstream";
import { gatewayTicketSecret } from "@/server/gateway/ticket-secret";

export async function startGateway(options: {
  authenticator: GatewayAuthenticator;
  log?: GatewayLog;
  /** The market-data service's feed on the shared market-data connection. */
  marketTap?: MarketTap;
  /** With REDIS_URL: connections shared across instances (server/cluster). */
  connectionFactory?: FeedConnectionFactory;
  claimTicket?: (jti: string, expiresAt: number) => Promise<boolean>;
}): Promise<GatewayHandle> {
  const config = getServerConfig();
  if (config.kalshiWsUrl === undefined)
    throw new Error("the gateway needs KALSHI_WS_URL (or the embedded simulator)");
  const service = await resolveServiceCredential(config);
  if (!service) {
    console.error(
      JSON.stringify({
        level: "warn",
        at: "server/gateway",
        msg: "no market-data credential: set GATEWAY_SERVICE_KEY_ID and GATEWAY_SERVICE_PRIVATE_KEY; market topics are refused until then",
      }),
    );
  }
  const gateway = createGateway({
    marketDataUrl: config.kalshiWsUrl,
    marketDataCredential: service?.credential ?? null,
    reprovisionMarketData: service?.reprovision,
    authenticator: options.authenticator,
    ticketSecret: gatewayTicketSecret(),
    allowedOrigins: config.gateway.allowedOrigins,
    log: options.log,
    marketTap: options.marketTap,
    connectionFactory: options.connectionFactory,
    claimTicket: options.claimTicket,
  });
  registerGatewayHealth(() => gateway.health());
  registerGatewayBooks((ticker) => gateway.book(ticker));
  return gateway;
}
