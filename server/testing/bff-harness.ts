/**
 * Test harness for BFF route handlers, in-process: a real simulator behind a
 * recording proxy, a fresh database and secrets, signed-in traders whose
 * stored credential is a real simulator key, and `call()` to drive a route
 * handler the way Next.js does (Request + awaited params). Every response
 * body is kept in `harness.responses` so suites can scan them for secrets.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";

import type { Market } from "@/lib/schemas/market";
import { sessionCookieFor } from "@/server/auth/testing";
import { createUser } from "@/server/auth/users";
import { addCredential } from "@/server/credentials/store";
import { setDatabaseForTests } from "@/server/db/client";
import {
  createTestDatabase,
  useTestSecrets as applyTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { createPublicKalshiClient, resetKalshiClientCachesForTests } from "@/server/kalshi/client";
import { forward, json, startHttpStub, type HttpStub } from "@/server/kalshi/testing/http-stub";
import { startSimExchange, type RunningSim, type SimOptions } from "@/server/sim/start";
import {
  createTestAccount,
  type TestAccount,
  type TestAccountOptions,
} from "@/server/sim/testing/new-account";

export type Handler = (
  request: Request,
  route: { params: Promise<Record<string, string>> },
) => Promise<Response>;

export const APP_ORIGIN = "http://localhost:3000";
export const TEST_PASSWORD = "correct horse battery staple";

export interface Trader {
  userId: string;
  email: string;
  account: TestAccount;
  credentialId: string;
  /** `Cookie` header value of a fresh session. */
  cookie: string;
}

export interface CallOptions {
  method: string;
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  cookie?: string;
  /** Default: this app's origin. `null` sends no Origin header. */
  origin?: string | null;
}

export interface CallResult {
  status: number;
  text: string;
  body: Record<string, unknown>;
}

export interface BffHarness {
  sim: RunningSim;
  proxy: HttpStub;
  database: TestDatabase;
  secrets: TestSecrets;
  /** Requests the simulator received through the proxy (cleared by `resetUpstream`). */
  upstream: Array<{ method: string; url: string }>;
  /** Every response body `call` produced. */
  responses: string[];
  resetUpstream(): void;
  trader(email: string, options?: TestAccountOptions): Promise<Trader>;
  /** A trader whose stored credential is `privateKey` registered under a new sim account. */
  traderWithKey(
    email: string,
    privateKey: KeyObject,
    options?: TestAccountOptions,
  ): Promise<Trader>;
  call(handler: Handler | undefined, options: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

/** Starts the simulator, the proxy, a database and secrets; points the app at them. */
export async function startBffHarness(simOptions: SimOptions = {}): Promise<BffHarness> {
  const sim = await startSimExchange({ port: 0, bots: false, ...simOptions });
  const proxy = await startHttpStub();
  const harness: BffHarness = {
    sim,
    proxy,
    database: undefined as unknown as TestDatabase,
    secrets: undefined as unknown as TestSecrets,
    upstream: [],
    responses: [],
    resetUpstream() {
      harness.upstream.length = 0;
      resetKalshiClientCachesForTests();
    },
    trader: (email, options) => makeTrader(harness, email, undefined, options),
    traderWithKey: (email, key, options) => makeTrader(harness, email, key, options),
    call: (handler, options) => callRoute(harness, handler, options),
    async close() {
      setDatabaseForTests(undefined);
      await harness.database.destroy();
      await harness.secrets.restore();
      await proxy.close();
      await sim.close();
    },
  };
  proxy.handle(async (request, res) => {
    harness.upstream.push({ method: request.method, url: request.url });
    const answer = await forward(request, new URL(sim.restBaseUrl).origin);
    json(res, answer.status, answer.text);
  });
  harness.secrets = await applyTestSecrets({
    KALSHI_ENV: "sim",
    KALSHI_REST_URL: proxy.restBaseUrl,
    KALSHI_WS_URL: sim.wsUrl,
    NODE_ENV: "test",
  });
  harness.database = await createTestDatabase();
  setDatabaseForTests(harness.database);
  return harness;
}

async function makeTrader(
  harness: BffHarness,
  email: string,
  key: KeyObject | undefined,
  options: TestAccountOptions = {},
): Promise<Trader> {
  const account = await createTestAccount(harness.sim.restBaseUrl, options);
  let apiKeyId = account.apiKeyId;
  let privateKey = createPrivateKey(account.privateKeyPem);
  if (key) {
    // Register the given key with the simulator, as Kalshi's `POST /api_keys` would.
    const { storeApiKey } = await import("@/server/sim/accounts");
    const user = harness.sim.exchange.state.users.get(account.userId);
    if (!user) throw new Error("sim account vanished");
    const publicPem = (await import("node:crypto"))
      .createPublicKey(key)
      .export({ type: "spki", format: "pem" })
      .toString();
    apiKeyId = storeApiKey(harness.sim.exchange.state, user, "fixture key", publicPem).apiKeyId;
    privateKey = key;
  }
  const user = await createUser(harness.database.db, { email, password: TEST_PASSWORD } as never);
  const credential = await addCredential(harness.database.db, {
    userId: user.id,
    label: "sim",
    environment: "sim",
    apiKeyId,
    privateKey,
  });
  const cookie = await sessionCookieFor({ id: user.id, email }, Date.now(), harness.database.db);
  return {
    userId: user.id,
    email,
    account: { ...account, apiKeyId },
    credentialId: credential.id,
    cookie,
  };
}

/**
 * The Request a browser on APP_ORIGIN would send: session cookie, Origin
 * (omitted when `origin` is null, another site when given), JSON body.
 */
export function routeRequest(options: Omit<CallOptions, "params">): Request {
  const headers = new Headers();
  // Browsers always send Host; the same-origin check compares against it.
  headers.set("host", new URL(APP_ORIGIN).host);
  if (options.cookie) headers.set("cookie", options.cookie);
  const origin = options.origin === undefined ? APP_ORIGIN : options.origin;
  if (origin !== null) headers.set("origin", origin);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  return new Request(APP_ORIGIN + options.path, {
    method: options.method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
}

async function callRoute(
  harness: BffHarness,
  handler: Handler | undefined,
  options: CallOptions,
): Promise<CallResult> {
  if (!handler) throw new Error(`no ${options.method} handler for ${options.path}`);
  const response = await handler(routeRequest(options), {
    params: Promise.resolve(options.params ?? {}),
  });
  const text = await response.text();
  harness.responses.push(text);
  for (const [name, value] of response.headers) harness.responses.push(`${name}: ${value}`);
  let body: Record<string, unknown> = {};
  if (text) {
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { raw: text };
    }
  }
  return { status: response.status, text, body };
}

/** The `{error}` of a result, if any. */
export function errorOf(result: { body: Record<string, unknown> }) {
  return result.body.error as { code: string; message: string; field?: string } | undefined;
}

/**
 * An open market with a two-sided book priced away from the edges (ask between
 * 10¢ and 90¢), not a combo: what the flow tests trade on.
 */
export async function twoSidedMarket(harness: BffHarness): Promise<Market> {
  const open = await createPublicKalshiClient(harness.sim.restBaseUrl).listMarkets({
    status: "open",
    limit: 200,
  });
  const found = open.markets.find(
    (m) =>
      Number(m.yes_ask_dollars) > 0.1 &&
      Number(m.yes_ask_dollars) < 0.9 &&
      !m.ticker.startsWith("KXMVE"),
  );
  if (!found) throw new Error("no two-sided market seeded");
  return found;
}

/** Drives a market through the simulator's controls (close, determine, settle…); throws on refusal. */
export async function simControl(
  harness: BffHarness,
  ticker: string,
  action: string,
  body?: unknown,
): Promise<void> {
  const origin = new URL(harness.sim.restBaseUrl).origin;
  const response = await fetch(`${origin}/sim/v1/markets/${encodeURIComponent(ticker)}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${action} ${ticker}: ${response.status} ${await response.text()}`);
}
