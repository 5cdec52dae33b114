/**
 * Where the running gateway publishes its upstream health for the health
 * route. The gateway lives in server/main's module graph and the route in
 * the Next.js bundle's, so the registry is kept on globalThis (the same
 * process, two copies of this module). Absent when no gateway runs in this
 * process (a serverless deployment runs it elsewhere).
 */
import type { GatewayHealth } from "@/server/gateway/gateway";

const SOURCE = Symbol.for("kalshi-dashboard.gateway-health");
type GlobalWithSource = typeof globalThis & { [SOURCE]?: () => GatewayHealth };

/** Called by server/gateway/start.ts once the gateway runs; returns the unregister. */
export function registerGatewayHealth(source: () => GatewayHealth): () => void {
  const store = globalThis as GlobalWithSource;
  store[SOURCE] = source;
  return () => {
    if (store[SOURCE] === source) delete store[SOURCE];
  };
}

/** The gateway's upstream health, or null when no gateway runs in this process. */
export function readGatewayHealth(): GatewayHealth | null {
  return (globalThis as GlobalWithSource)[SOURCE]?.() ?? null;
}
