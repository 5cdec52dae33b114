/**
 * The one market-data service of this process, kept on globalThis: server/main.ts
 * creates it (wired to the gateway's shared connection) before Next.js starts,
 * and the route handlers and pages in the Next.js bundle (another copy of
 * these modules) find it there. Without server/main.ts (`next start`, tests)
 * the first read creates it, with a feed of its own when a market-data key
 * is available.
 */
import { getServerConfig, kalshiRestBaseUrl } from "@/server/config";
import { resolveServiceCredential } from "@/server/gateway/service-credential";
import { createPublicKalshiClient } from "@/server/kalshi/client";

import { startOwnFeed } from "./own-feed";
import { MarketDataService, type MarketDataLog } from "./service";

const SLOT = Symbol.for("kalshi-dashboard.market-data");
type GlobalWithService = typeof globalThis & { [SLOT]?: MarketDataService };

/** A service for the configured exchange (not started). */
export function createMarketDataService(log?: MarketDataLog): MarketDataService {
  const config = getServerConfig();
  return new MarketDataService({
    client: createPublicKalshiClient(kalshiRestBaseUrl()),
    enabled: config.marketData.enabled,
    reconcileMs: config.marketData.reconcileMs,
    settledRetentionMs: config.marketData.settledRetentionMs,
    log,
  });
}

/** Makes `service` the process's service (server/main.ts). */
export function installMarketDataService(service: MarketDataService): void {
  (globalThis as GlobalWithService)[SLOT] = service;
}

/** The process's service; created and started on first use when none was installed. */
export function marketData(): MarketDataService {
  const store = globalThis as GlobalWithService;
  const existing = store[SLOT];
  if (existing) return existing;
  const service = createMarketDataService();
  store[SLOT] = service;
  if (service.enabled) {
    service.start();
    void attachOwnFeed(service);
  }
  return service;
}

/** Forgets the process's service, stopping it (tests). */
export function resetMarketDataForTests(): void {
  const store = globalThis as GlobalWithService;
  store[SLOT]?.stop();
  delete store[SLOT];
}

async function attachOwnFeed(service: MarketDataService): Promise<void> {
  const config = getServerConfig();
  const log: MarketDataLog = (level, fields) =>
    console[level === "info" ? "log" : "error"](
      JSON.stringify({ level, at: "server/market-data", ...fields }),
    );
  try {
    const service_ = await resolveServiceCredential(config);
    if (!service_ || config.kalshiWsUrl === undefined) {
      log("warn", {
        msg: "no market-data key: the universe is kept current by its reconcile only (GATEWAY_SERVICE_KEY_ID)",
      });
      return;
    }
    const connection = startOwnFeed({
      url: config.kalshiWsUrl,
      credential: service_.credential,
      tap: service.tap,
      log,
    });
    service.onStop(() => connection.close());
  } catch (error) {
    log("error", {
      msg: "market-data feed could not start",
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
