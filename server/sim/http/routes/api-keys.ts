/**
 * API key management (api-reference/api-keys/*), all signed: generate a key
 * pair, register your own RSA public key, list your keys, delete one. A user
 * only ever sees or deletes their own keys; someone else's key id answers 404
 * exactly like an unknown one.
 */
import { z } from "zod";
import { generateApiKey, storeApiKey } from "@/server/sim/accounts";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { parseJsonBody, parseQuery, pathParam } from "@/server/sim/http/validation";
import type { ApiKeyRecord, UserRecord } from "@/server/sim/model";

export const API_KEY_SCOPES = [
  "read",
  "write",
  "read::block_trade_accept",
  "read::portfolio_balance",
  "write::trade",
  "write::transfer",
  "write::block_trade_accept",
] as const;

/** Usage tiers allowed to register their own public key ("Premier or Market Maker", create-api-key.md). */
const OWN_KEY_TIERS = new Set(["premier", "paragon", "prime", "prestige", "market_maker"]);

/** Sub-account restriction of a key (null = unrestricted). */
export function apiKeySubaccount(record: ApiKeyRecord): number | null {
  return record.subaccount;
}

const Scopes = z
  .array(z.enum(API_KEY_SCOPES))
  .min(1, "give at least one scope, or omit scopes for read and write")
  .refine(
    (s) => !s.includes("write") || s.includes("read"),
    "the write scope requires the read scope",
  )
  .transform((s) => [...new Set(s)]);

const Subaccount = z.number().int().min(0).max(63);

const GenerateBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(100),
    scopes: Scopes.optional(),
    subaccount: Subaccount.optional(),
  })
  .strict();

const CreateBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(100),
    public_key: z.string().min(1, "must be an RSA public key in PEM format"),
    scopes: Scopes.optional(),
    subaccount: Subaccount.optional(),
  })
  .strict();

// The SDK sends fcm_subtrader_id on GET /api_keys; the simulator has no FCM subtraders, so it filters nothing.
const ListQuery = z.object({ fcm_subtrader_id: z.string().optional() }).strict();

const KEY_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireOwnedSubaccount(user: UserRecord, subaccount: number | undefined): void {
  if (subaccount !== undefined && subaccount > user.subaccountCount) {
    throw simErrors.invalidParameters(`subaccount: you have no sub-account ${subaccount}`);
  }
}

function toWire(record: ApiKeyRecord) {
  const subaccount = apiKeySubaccount(record);
  return {
    api_key_id: record.apiKeyId,
    name: record.name,
    scopes: record.scopes,
    ...(subaccount === null ? {} : { subaccount }),
  };
}

export const registerApiKeyRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;

  // POST /api_keys/generate – new RSA key pair; the private key is returned once and never stored
  app.post("/api_keys/generate", async (c) => {
    const { user } = c.get("auth");
    const body = await parseJsonBody(c, GenerateBody);
    requireOwnedSubaccount(user, body.subaccount);
    const key = generateApiKey(state, user, body.name, body.scopes, body.subaccount ?? null);
    return c.json({ api_key_id: key.apiKeyId, private_key: key.privateKeyPem }, 201);
  });

  // POST /api_keys – register the caller's own RSA public key (Premier tier and above)
  app.post("/api_keys", async (c) => {
    const { user } = c.get("auth");
    const body = await parseJsonBody(c, CreateBody);
    if (!OWN_KEY_TIERS.has(user.tier)) {
      throw simErrors.forbidden(
        `creating an API key from your own public key needs the Premier API usage level or above; your level is ${user.tier}. Use POST /api_keys/generate instead`,
      );
    }
    requireOwnedSubaccount(user, body.subaccount);
    const record = storeApiKey(
      state,
      user,
      body.name,
      body.public_key,
      body.scopes,
      body.subaccount ?? null,
    );
    return c.json({ api_key_id: record.apiKeyId }, 201);
  });

  // GET /api_keys – the caller's keys, oldest first
  app.get("/api_keys", (c) => {
    const { user } = c.get("auth");
    parseQuery(c, ListQuery);
    const keys = [...state.apiKeys.values()].filter((k) => k.userId === user.userId).map(toWire);
    return c.json({ api_keys: keys });
  });

  // DELETE /api_keys/{api_key} – delete one of the caller's keys; it stops authenticating at once
  app.delete("/api_keys/:api_key", (c) => {
    const { user } = c.get("auth");
    const keyId = pathParam(c, "api_key");
    if (!KEY_ID_RE.test(keyId)) throw simErrors.invalidParameters("api_key: not an API key id");
    const record = state.apiKeys.get(keyId);
    if (!record || record.userId !== user.userId) throw simErrors.notFound(`API key ${keyId}`);
    state.apiKeys.delete(keyId);
    return c.body(null, 204);
  });
};
