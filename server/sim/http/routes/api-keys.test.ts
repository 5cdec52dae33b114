/**
 * API key lifecycle with signed requests (our signed fetch and the unchanged
 * SDK), ownership rules, and every way a signature can be refused.
 */
import { generateKeyPairSync } from "node:crypto";
import axios, { AxiosError } from "axios";
import { ApiKeysApi, Configuration } from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { createSignedFetch, signRequest } from "@/server/sim/testing/signed-fetch";

let sim: RunningSim;
let premier: TestAccount;
let basic: TestAccount;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  premier = await createTestAccount(sim.restBaseUrl, { tier: "premier" });
  basic = await createTestAccount(sim.restBaseUrl);
});

afterAll(async () => {
  await sim.close();
});

type Json = Record<string, unknown>;

async function send(account: TestAccount, method: string, path: string, body?: unknown) {
  const response = await account.fetch(path, {
    method,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: (text ? JSON.parse(text) : null) as Json };
}

function keyIds(body: Json): string[] {
  return (body.api_keys as Array<{ api_key_id: string }>).map((k) => k.api_key_id);
}

describe("API keys with signed fetch", () => {
  it("generates a key that authenticates, lists it, deletes it, and then refuses it", async () => {
    const generated = await send(premier, "POST", "/api_keys/generate", { name: "bot key" });
    expect(generated.status).toBe(201);
    const { api_key_id: keyId, private_key: pem } = generated.body as {
      api_key_id: string;
      private_key: string;
    };
    expect(pem).toContain("-----BEGIN PRIVATE KEY-----");

    const withNewKey = createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: keyId,
      privateKeyPem: pem,
    });
    const listed = await withNewKey("/api_keys");
    expect(listed.status).toBe(200);
    const list = (await listed.json()) as Json;
    expect(keyIds(list)).toEqual([premier.apiKeyId, keyId]);
    expect(list.api_keys).toContainEqual({
      api_key_id: keyId,
      name: "bot key",
      scopes: ["read", "write"],
    });

    const deleted = await send(premier, "DELETE", `/api_keys/${keyId}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");

    const refused = await withNewKey("/api_keys");
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as Json).message).toMatch(/unknown API key/);
    expect(keyIds((await send(premier, "GET", "/api_keys")).body)).toEqual([premier.apiKeyId]);
  });

  it("generates keys with narrower scopes and a sub-account restriction", async () => {
    const generated = await send(premier, "POST", "/api_keys/generate", {
      name: "reader",
      scopes: ["read"],
      subaccount: 0,
    });
    expect(generated.status).toBe(201);
    const id = (generated.body as { api_key_id: string }).api_key_id;
    const { body } = await send(premier, "GET", "/api_keys");
    expect(body.api_keys).toContainEqual({
      api_key_id: id,
      name: "reader",
      scopes: ["read"],
      subaccount: 0,
    });
    expect((await send(premier, "DELETE", `/api_keys/${id}`)).status).toBe(204);
  });

  it("registers the caller's own RSA public key (Premier and above)", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const created = await send(premier, "POST", "/api_keys", {
      name: "own",
      public_key: publicPem,
    });
    expect(created.status).toBe(201);
    const keyId = (created.body as { api_key_id: string }).api_key_id;
    const own = createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: keyId,
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    });
    expect((await own("/api_keys")).status).toBe(200);
    expect((await send(premier, "DELETE", `/api_keys/${keyId}`)).status).toBe(204);

    const forbidden = await send(basic, "POST", "/api_keys", {
      name: "own",
      public_key: publicPem,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/Premier/);
  });

  it("answers bad input with a 400 naming the field, and creates nothing", async () => {
    const before = sim.exchange.state.apiKeys.size;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/api_keys", { name: "x", public_key: "not a pem" }, /public_key/],
      ["POST", "/api_keys", { name: "x" }, /public_key/],
      ["POST", "/api_keys/generate", {}, /name/],
      ["POST", "/api_keys/generate", { name: "" }, /name/],
      ["POST", "/api_keys/generate", { name: "x", colour: "red" }, /colour/],
      ["POST", "/api_keys/generate", { name: "x", scopes: ["write"] }, /read/],
      ["POST", "/api_keys/generate", { name: "x", scopes: ["admin"] }, /scopes/],
      ["POST", "/api_keys/generate", { name: "x", subaccount: 5 }, /subaccount/],
      ["POST", "/api_keys/generate", "{not json", /JSON/],
      ["DELETE", "/api_keys/not-a-key-id", undefined, /api_key/],
    ];
    for (const [method, path, body, message] of cases) {
      const result = await send(premier, method, path, body);
      expect(result.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(result.body.message).toMatch(message);
      expect(result.body.code).toBeTypeOf("string");
    }
    expect(sim.exchange.state.apiKeys.size).toBe(before);
  });

  it("only lists the caller's keys, and another user's key is 404 and keeps working", async () => {
    expect(keyIds((await send(basic, "GET", "/api_keys")).body)).toEqual([basic.apiKeyId]);
    const stolen = await send(premier, "DELETE", `/api_keys/${basic.apiKeyId}`);
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe("not_found");
    const missing = await send(premier, "DELETE", "/api_keys/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe(
      String(stolen.body.message).replace(basic.apiKeyId, "00000000-0000-4000-8000-000000000000"),
    );
    expect((await send(basic, "GET", "/api_keys")).status).toBe(200);
  });
});

describe("API keys through the unchanged SDK", () => {
  it("generates, lists, creates and deletes", async () => {
    const sdk = new ApiKeysApi(
      new Configuration({
        basePath: sim.restBaseUrl,
        apiKey: premier.apiKeyId,
        privateKeyPem: premier.privateKeyPem,
      }),
    );
    const generated = await sdk.generateApiKey({ name: "sdk key" });
    expect(generated.status).toBe(201);
    expect(generated.data.api_key_id).toBeTypeOf("string");
    expect(generated.data.private_key).toContain("PRIVATE KEY");

    const { data: list } = await sdk.getApiKeys();
    for (const key of list.api_keys) {
      expect(key.api_key_id).toBeTypeOf("string");
      expect(key.name).toBeTypeOf("string");
      expect(Array.isArray(key.scopes)).toBe(true);
    }
    expect(list.api_keys.map((k) => k.api_key_id)).toContain(generated.data.api_key_id);

    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const created = await sdk.createApiKey({
      name: "sdk own",
      public_key: publicKey.export({ type: "spki", format: "pem" }).toString(),
      scopes: ["read", "write"],
    });
    expect(created.status).toBe(201);

    // A second SDK client needs its own axios instance: every BaseAPI adds a
    // signing interceptor to the shared global axios, and the first one added
    // runs last, so its headers would win.
    const second = new ApiKeysApi(
      new Configuration({
        basePath: sim.restBaseUrl,
        apiKey: generated.data.api_key_id,
        privateKeyPem: generated.data.private_key,
      }),
      undefined,
      axios.create(),
    );
    expect((await second.getApiKeys()).status).toBe(200);

    const deleted = await sdk.deleteApiKey(created.data.api_key_id);
    expect(deleted.status).toBe(204);
    expect((await sdk.deleteApiKey(generated.data.api_key_id)).status).toBe(204);
    const refused = await second.getApiKeys().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AxiosError);
    expect((refused as AxiosError).response?.status).toBe(401);

    const notMine = await sdk.deleteApiKey(basic.apiKeyId).catch((error: unknown) => error);
    expect((notMine as AxiosError).response?.status).toBe(404);
  });
});

describe("signature checks", () => {
  const path = "/trade-api/v2/api_keys";
  async function call(headers: Record<string, string>) {
    const response = await fetch(`${sim.restBaseUrl}/api_keys`, { headers });
    return {
      status: response.status,
      body: (await response.json()) as { code: string; message: string },
    };
  }

  it("accepts a correct signature, and ignores the query string when verifying", async () => {
    const headers = signRequest({
      apiKeyId: basic.apiKeyId,
      privateKey: basic.privateKeyPem,
      method: "GET",
      path,
    });
    expect((await call({ ...headers })).status).toBe(200);
    const withQuery = await fetch(`${sim.restBaseUrl}/api_keys?fcm_subtrader_id=x`, {
      headers: {
        ...signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "GET",
          path: `${path}?fcm_subtrader_id=x`,
        }),
      },
    });
    expect(withQuery.status).toBe(200);
  });

  it.each([
    [
      "a signature made with another key",
      () =>
        signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: premier.privateKeyPem,
          method: "GET",
          path,
        }),
      /SIGNATURE does not verify/,
    ],
    [
      "a signature over another path",
      () =>
        signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "GET",
          path: "/trade-api/v2/portfolio/balance",
        }),
      /SIGNATURE does not verify/,
    ],
    [
      "a signature over another method",
      () =>
        signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "POST",
          path,
        }),
      /SIGNATURE does not verify/,
    ],
    [
      "a stale timestamp (31 s old)",
      () =>
        signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "GET",
          path,
          timestampMs: Date.now() - 31_000,
        }),
      /old/,
    ],
    [
      "a future timestamp (31 s ahead)",
      () =>
        signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "GET",
          path,
          timestampMs: Date.now() + 31_000,
        }),
      /future/,
    ],
    [
      "a timestamp in seconds",
      () =>
        signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "GET",
          path,
          timestampMs: Math.floor(Date.now() / 1000),
        }),
      /milliseconds/,
    ],
    [
      "an unknown key id",
      () =>
        signRequest({
          apiKeyId: "00000000-0000-4000-8000-000000000000",
          privateKey: basic.privateKeyPem,
          method: "GET",
          path,
        }),
      /unknown API key/,
    ],
  ])("refuses %s with 401", async (_label, makeHeaders, message) => {
    const result = await call({ ...makeHeaders() });
    expect(result.status).toBe(401);
    expect(result.body.code).toBe("unauthorized");
    expect(result.body.message).toMatch(message);
  });

  it.each(["KALSHI-ACCESS-KEY", "KALSHI-ACCESS-TIMESTAMP", "KALSHI-ACCESS-SIGNATURE"])(
    "refuses a request without %s",
    async (header) => {
      const headers: Record<string, string> = {
        ...signRequest({
          apiKeyId: basic.apiKeyId,
          privateKey: basic.privateKeyPem,
          method: "GET",
          path,
        }),
      };
      delete headers[header];
      const result = await call(headers);
      expect(result.status).toBe(401);
      expect(result.body.message).toContain(header);
    },
  );
});
