/**
 * Where each Kalshi environment lives for this server. Credentials record
 * their environment; this maps it to REST and WebSocket URLs.
 */
import { getServerConfig, KALSHI_ENDPOINTS, type ServerConfig } from "@/server/config";
import type { KalshiEnvironment } from "@/server/auth/trader-route";

export interface KalshiEndpoints {
  restBaseUrl: string;
  wsUrl: string;
}

export type EnvironmentEndpoints = Record<KalshiEnvironment, KalshiEndpoints | undefined>;

let override: EnvironmentEndpoints | undefined;

/**
 * demo/prod: Kalshi's published URLs, or the configured ones when KALSHI_ENV
 * names that environment. sim: the configured simulator, when there is one.
 */
export function environmentEndpoints(
  config: ServerConfig = getServerConfig(),
): EnvironmentEndpoints {
  if (override) return override;
  const configured =
    config.kalshiRestUrl !== undefined && config.kalshiWsUrl !== undefined
      ? { restBaseUrl: config.kalshiRestUrl, wsUrl: config.kalshiWsUrl }
      : undefined;
  const published = (env: "demo" | "prod") => ({
    restBaseUrl: KALSHI_ENDPOINTS[env].restUrl,
    wsUrl: KALSHI_ENDPOINTS[env].wsUrl,
  });
  return {
    sim: config.kalshiEnv === "sim" ? configured : undefined,
    demo: config.kalshiEnv === "demo" ? (configured ?? published("demo")) : published("demo"),
    prod: config.kalshiEnv === "prod" ? (configured ?? published("prod")) : published("prod"),
  };
}

/** Points environments at test servers (tests only); no argument restores the configuration. */
export function setEnvironmentEndpointsForTests(endpoints?: EnvironmentEndpoints): void {
  override = endpoints;
}

/** Environments a credential can be added for on this server. */
export function availableEnvironments(endpoints = environmentEndpoints()): KalshiEnvironment[] {
  return (["sim", "demo", "prod"] as const).filter((env) => endpoints[env] !== undefined);
}
