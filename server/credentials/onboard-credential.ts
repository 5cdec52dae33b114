/**
 * Credential onboarding: parse the pasted key, prove it with a signed call to
 * the chosen environment, then seal and store it.
 */
import { z } from "zod";

import {
  credentialLabelSchema,
  type AddCredentialInput,
  type CredentialView,
} from "@/lib/schemas/credential";
import { environmentEndpoints } from "@/server/credentials/endpoints";
import { parsePrivateKeyPem } from "@/server/credentials/parse-private-key";
import { addCredential, assertCredentialRoom } from "@/server/credentials/store";
import { validateCredential } from "@/server/credentials/validate-credential";
import type { Database } from "@/server/db/client";
import { AppError } from "@/server/http/app-error";

/** Adds a credential for `userId` after validating it against the exchange. */
export async function onboardCredential(
  db: Database,
  userId: string,
  input: AddCredentialInput,
  options: { now?: () => number } = {},
): Promise<CredentialView> {
  const privateKey = parsePrivateKeyPem(input.privateKeyPem);
  await assertCredentialRoom(db, userId);
  await validateCredential({
    apiKeyId: input.apiKeyId,
    privateKey,
    environment: input.environment,
    endpoints: environmentEndpoints(),
    now: options.now,
  });
  return addCredential(db, {
    userId,
    label: input.label,
    environment: input.environment,
    apiKeyId: input.apiKeyId,
    privateKey,
  });
}

/** The API usage tier of one-click simulator accounts. */
export const SIM_ACCOUNT_TIER = "advanced";

const simAccountSchema = z.object({
  api_key_id: z.string().min(1),
  private_key: z.string().min(1),
});

/**
 * Simulator only: creates a funded account on the Advanced API tier through
 * `POST /sim/v1/accounts` on the configured simulator and stores its key as a
 * credential (active if it is the user's first).
 *
 * One unit as far as the trader can tell: the label and the per-user caps
 * are checked before the simulator is asked for anything, so a refused
 * request creates no account.
 */
export async function createSimulatorCredential(
  db: Database,
  userId: string,
  options: { label?: string } = {},
): Promise<CredentialView> {
  const label = credentialLabelSchema.parse(options.label ?? "Simulator account");
  await assertCredentialRoom(db, userId, { simAccount: true });
  const sim = environmentEndpoints().sim;
  if (!sim) {
    throw new AppError({
      code: "environment_unavailable",
      message: "This server is not running the simulator, so it cannot create a simulator account.",
      status: 409,
    });
  }
  let response: Response;
  try {
    response = await fetch(`${new URL(sim.restBaseUrl).origin}/sim/v1/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // Advanced tier: subaccounts (and their transfers) need it, so they work out of the box.
      body: JSON.stringify({ name: "dashboard user", tier: SIM_ACCOUNT_TIER }),
      signal: AbortSignal.timeout(8_000),
    });
  } catch {
    throw new AppError({
      code: "exchange_unreachable",
      message: "The simulator did not answer. Try again.",
      status: 502,
    });
  }
  const parsed =
    response.status === 201 ? simAccountSchema.safeParse(await response.json()) : undefined;
  if (!parsed?.success) {
    throw new AppError({
      code: "exchange_error",
      message: `The simulator could not create an account (it answered ${response.status}).`,
      status: 502,
    });
  }
  return addCredential(db, {
    userId,
    label,
    environment: "sim",
    apiKeyId: parsed.data.api_key_id,
    privateKey: parsePrivateKeyPem(parsed.data.private_key),
  });
}
