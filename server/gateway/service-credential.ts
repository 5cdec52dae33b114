/**
 * The service credential of the shared market-data connection: from
 * configuration (GATEWAY_SERVICE_KEY_ID + GATEWAY_SERVICE_PRIVATE_KEY), or,
 * against the simulator, a fresh account from its sim-only bootstrap
 * `POST /sim/v1/accounts`. Kalshi authenticates every WebSocket, even one
 * that only reads public market data, hence a key of our own.
 */
import { createPrivateKey } from "node:crypto";
import type { ServerConfig } from "@/server/config";
import type { UpstreamCredential } from "@/server/gateway/upstream";

/** Creates a simulator account and returns its key (the PEM is parsed at once and not kept). */
export async function provisionSimServiceCredential(
  simRestOrOrigin: string,
): Promise<UpstreamCredential> {
  const origin = new URL(simRestOrOrigin).origin;
  const response = await fetch(`${origin}/sim/v1/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "gateway market data" }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 201) {
    throw new Error(
      `the simulator refused to create the gateway's service account (HTTP ${response.status})`,
    );
  }
  const created = (await response.json()) as { api_key_id?: unknown; private_key?: unknown };
  if (typeof created.api_key_id !== "string" || typeof created.private_key !== "string") {
    throw new Error("the simulator's account bootstrap answered without a key");
  }
  return { apiKeyId: created.api_key_id, privateKey: createPrivateKey(created.private_key) };
}

/** The market-data credential, and how to replace it when the gateway made it itself. */
export interface ServiceCredential {
  credential: UpstreamCredential;
  /** Present for a simulator account the gateway provisioned (a restarted simulator forgets it). */
  reprovision?: () => Promise<UpstreamCredential>;
}

/**
 * The market-data credential for this configuration, or null when there is
 * none (demo/prod without GATEWAY_SERVICE_KEY_ID): market topics are then refused.
 */
export async function resolveServiceCredential(
  config: ServerConfig,
): Promise<ServiceCredential | null> {
  if (config.gateway.service) {
    return {
      credential: {
        apiKeyId: config.gateway.service.apiKeyId,
        privateKey: createPrivateKey(config.gateway.service.privateKeyPem),
      },
    };
  }
  const restUrl = config.kalshiRestUrl;
  if (config.kalshiEnv === "sim" && restUrl !== undefined) {
    return {
      credential: await provisionSimServiceCredential(restUrl),
      reprovision: () => provisionSimServiceCredential(restUrl),
    };
  }
  return null;
}
