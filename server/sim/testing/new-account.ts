/**
 * Test helper: a funded simulator account with a signing key, through the
 * sim-only bootstrap `POST /sim/v1/accounts`, plus a signed fetch for it.
 */
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";

export interface TestAccountOptions {
  /** Starting cash in cents (default on the server: 1_000_000 = $10,000). */
  balanceCents?: number;
  tier?: "basic" | "advanced" | "premier" | "prime";
  name?: string;
}

export interface TestAccount {
  userId: string;
  apiKeyId: string;
  privateKeyPem: string;
  balanceCents: number;
  /** `${origin}/trade-api/v2` */
  restBaseUrl: string;
  /** Signs with this account's key; paths relative to restBaseUrl. */
  fetch: SignedFetch;
}

/**
 * Creates an account on a running simulator. `restBaseUrlOrOrigin` may be the
 * origin ("http://127.0.0.1:8787") or the REST base URL; only its origin is used.
 */
export async function createTestAccount(
  restBaseUrlOrOrigin: string,
  options: TestAccountOptions = {},
): Promise<TestAccount> {
  const origin = new URL(restBaseUrlOrOrigin).origin;
  const body: Record<string, unknown> = {};
  if (options.balanceCents !== undefined) body.balance_cents = options.balanceCents;
  if (options.tier !== undefined) body.tier = options.tier;
  if (options.name !== undefined) body.name = options.name;
  const response = await fetch(`${origin}/sim/v1/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`POST /sim/v1/accounts answered ${response.status}: ${await response.text()}`);
  }
  const created = (await response.json()) as {
    user_id: string;
    api_key_id: string;
    private_key: string;
    balance_cents: number;
  };
  const restBaseUrl = `${origin}/trade-api/v2`;
  return {
    userId: created.user_id,
    apiKeyId: created.api_key_id,
    privateKeyPem: created.private_key,
    balanceCents: created.balance_cents,
    restBaseUrl,
    fetch: createSignedFetch({
      restBaseUrl,
      apiKeyId: created.api_key_id,
      privateKeyPem: created.private_key,
    }),
  };
}
