/**
 * Simulator accounts and their API keys. Kalshi creates accounts through its
 * website; the simulator has a sim-only bootstrap (`POST /sim/v1/accounts`)
 * that calls `createAccount`, so a newcomer or a test gets a funded user and a
 * signing key without Kalshi.
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { centsToMicros, CENTICENT, ONE_CENT, type Micros } from "@/lib/fixed-point";
import { simErrors } from "@/server/sim/errors";
import type { ApiKeyRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

export interface CreateAccountInput {
  /** Starting cash of the primary subaccount, in cents. */
  balanceCents: number;
  tier?: string;
  /** Direct members round fills to $0.0001, everyone else to $0.01 (fee_rounding.md). */
  directMember?: boolean;
  isBot?: boolean;
}

export interface NewApiKey {
  apiKeyId: string;
  /** PKCS#8 PEM. Returned once, never stored by the simulator. */
  privateKeyPem: string;
}

export function createAccount(state: SimState, input: CreateAccountInput): UserRecord {
  // Bots create their accounts outside any request: the journal replays the call.
  if (state.journal) {
    return state.journal.call("accounts.createAccount", [input], () => newAccount(state, input));
  }
  return newAccount(state, input);
}

function newAccount(state: SimState, input: CreateAccountInput): UserRecord {
  const user: UserRecord = {
    userId: state.newId(),
    balances: new Map<number, Micros>([[0, centsToMicros(input.balanceCents)]]),
    subaccountCount: 0,
    balancePrecision: input.directMember ? CENTICENT : ONE_CENT,
    tier: input.tier ?? "basic",
    createdTime: state.now(),
    isBot: input.isBot ?? false,
  };
  state.users.set(user.userId, user);
  return user;
}

/** Generates an RSA key pair for `user` (Kalshi's `POST /api_keys/generate`). */
export function generateApiKey(
  state: SimState,
  user: UserRecord,
  name: string,
  scopes: string[] = ["read", "write"],
  subaccount: number | null = null,
): NewApiKey {
  const generate = () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
  };
  // A replayed request gets back the public key it generated the first time.
  const pair = state.journal ? state.journal.keyPair(generate) : generate();
  const record = storeApiKey(state, user, name, pair.publicKeyPem, scopes, subaccount);
  return { apiKeyId: record.apiKeyId, privateKeyPem: pair.privateKeyPem };
}

/** Adds cash to a subaccount outside any request (the bots' market maker refills itself). */
export function topUpBalance(
  state: SimState,
  userId: string,
  subaccount: number,
  amount: Micros,
): void {
  const apply = () => {
    const user = state.users.get(userId);
    if (user) state.adjustBalance(user, subaccount, amount);
  };
  if (state.journal)
    state.journal.call("accounts.topUpBalance", [userId, subaccount, amount], apply);
  else apply();
}

/** Registers a public key the user generated themselves (Kalshi's `POST /api_keys`). */
export function storeApiKey(
  state: SimState,
  user: UserRecord,
  name: string,
  publicKeyPem: string,
  scopes: string[] = ["read", "write"],
  subaccount: number | null = null,
): ApiKeyRecord {
  let spki: string;
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== "rsa") throw new Error("not RSA");
    spki = key.export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw simErrors.invalidParameters("public_key: must be an RSA public key in PEM format");
  }
  const record: ApiKeyRecord = {
    apiKeyId: state.newId(),
    userId: user.userId,
    name,
    publicKeyPem: spki,
    scopes,
    subaccount,
    createdTime: state.now(),
  };
  state.apiKeys.set(record.apiKeyId, record);
  return record;
}
