/**
 * Route-level tests of /api/credentials/**, /api/auth/reauth and the
 * traderRoute / sessionRoute wrapper: real route handlers, a real PGlite
 * database, a real simulator.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { POST as activate } from "@/app/api/credentials/[id]/activate/route";
import { DELETE as remove } from "@/app/api/credentials/[id]/route";
import { GET as list, POST as add } from "@/app/api/credentials/route";
import { POST as createSimAccount } from "@/app/api/credentials/sim-account/route";
import { POST as reauth } from "@/app/api/auth/reauth/route";
import { setSessionClockForTests } from "@/server/auth/session";
import { resetServerConfigForTests } from "@/server/config";
import { routeParams, sessionCookieFor, testRequest } from "@/server/auth/testing";
import { traderRoute } from "@/server/auth/trader-route";
import { createUser, type AccountUser } from "@/server/auth/users";
import { setEnvironmentEndpointsForTests } from "@/server/credentials/endpoints";
import { setDatabaseForTests } from "@/server/db/client";
import { credentials } from "@/server/db/schema";
import {
  createTestDatabase,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount } from "@/server/sim/testing/new-account";

const noParams = routeParams({});
const MINUTE = 60_000;

let sim: RunningSim;
let database: TestDatabase;
let secrets: TestSecrets;
let alice: AccountUser;
let bob: AccountUser;
let aliceCookie: string;
let bobCookie: string;

beforeAll(async () => {
  secrets = await useTestSecrets();
  sim = await startSimExchange({ port: 0, bots: false });
  setEnvironmentEndpointsForTests({
    sim: { restBaseUrl: sim.restBaseUrl, wsUrl: sim.wsUrl },
    demo: undefined,
    prod: undefined,
  });
  database = await createTestDatabase();
  setDatabaseForTests(database);
  alice = await createUser(database.db, { email: "alice@example.com", password: "alice password" });
  bob = await createUser(database.db, { email: "bob@example.com", password: "bob password!!" });
  aliceCookie = await sessionCookieFor(alice);
  bobCookie = await sessionCookieFor(bob);
});

afterEach(() => setSessionClockForTests());

afterAll(async () => {
  setDatabaseForTests(undefined);
  setEnvironmentEndpointsForTests();
  await sim?.close();
  await database?.destroy();
  await secrets?.restore();
});

async function errorOf(
  response: Response,
): Promise<{ code: string; message: string; field?: string }> {
  return ((await response.json()) as { error: { code: string; message: string; field?: string } })
    .error;
}

async function addSimKey(cookie: string, label: string) {
  const account = await createTestAccount(sim.restBaseUrl);
  const response = await add(
    testRequest("/api/credentials", {
      cookie,
      json: {
        label,
        environment: "sim",
        apiKeyId: account.apiKeyId,
        privateKeyPem: account.privateKeyPem,
      },
    }),
    noParams,
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { credential: { id: string } }).credential;
}

async function rowCount(): Promise<number> {
  return (await database.db.select({ id: credentials.id }).from(credentials)).length;
}

describe("authentication and origin", () => {
  it("refuses every route without a session (401)", async () => {
    const responses = await Promise.all([
      list(testRequest("/api/credentials"), noParams),
      add(testRequest("/api/credentials", { json: {} }), noParams),
      remove(testRequest("/api/credentials/x", { method: "DELETE" }), routeParams({ id: "x" })),
      activate(
        testRequest("/api/credentials/x/activate", { method: "POST" }),
        routeParams({ id: "x" }),
      ),
      createSimAccount(testRequest("/api/credentials/sim-account", { json: {} }), noParams),
      reauth(testRequest("/api/auth/reauth", { json: { password: "x" } }), noParams),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe("unauthenticated");
    }
  });

  it("refuses a forged or foreign session cookie", async () => {
    const response = await list(
      testRequest("/api/credentials", { cookie: "authjs.session-token=eyJhbGciOi.forged" }),
      noParams,
    );
    expect(response.status).toBe(401);
  });

  it("refuses cross-site mutations (403) and mutations with no Origin at all", async () => {
    const before = await rowCount();
    const crossSite = await createSimAccount(
      testRequest("/api/credentials/sim-account", {
        cookie: aliceCookie,
        json: {},
        origin: "https://evil.example",
      }),
      noParams,
    );
    expect(crossSite.status).toBe(403);
    expect((await errorOf(crossSite)).code).toBe("cross_site_request");
    const nullOrigin = await createSimAccount(
      testRequest("/api/credentials/sim-account", {
        cookie: aliceCookie,
        json: {},
        origin: "null",
      }),
      noParams,
    );
    expect(nullOrigin.status).toBe(403);
    const noOrigin = await createSimAccount(
      testRequest("/api/credentials/sim-account", { cookie: aliceCookie, json: {}, origin: null }),
      noParams,
    );
    expect(noOrigin.status).toBe(403);
    const sameSiteSubdomain = await createSimAccount(
      testRequest("/api/credentials/sim-account", {
        cookie: aliceCookie,
        json: {},
        origin: null,
        headers: { "sec-fetch-site": "same-site" },
      }),
      noParams,
    );
    expect(sameSiteSubdomain.status).toBe(403);
    expect(await rowCount()).toBe(before);
  });

  it("believes X-Forwarded-Host/-Proto only behind a trusted proxy (TRUST_PROXY)", async () => {
    const viaProxy = () =>
      testRequest("/api/credentials/sim-account", {
        cookie: aliceCookie,
        json: { label: "via proxy" },
        origin: "https://dash.example.com",
        headers: { "x-forwarded-host": "dash.example.com", "x-forwarded-proto": "https" },
      });
    // Not trusted: anyone can send these headers, so the origin is not ours.
    const untrusted = await createSimAccount(viaProxy(), noParams);
    expect(untrusted.status).toBe(403);
    expect(await errorOf(untrusted)).toMatchObject({ code: "cross_site_request" });

    process.env.TRUST_PROXY = "1";
    resetServerConfigForTests();
    try {
      const response = await createSimAccount(viaProxy(), noParams);
      expect(response.status).toBe(201);
      const id = ((await response.json()) as { credential: { id: string } }).credential.id;
      const cleanup = await remove(
        testRequest(`/api/credentials/${id}`, { method: "DELETE", cookie: aliceCookie }),
        routeParams({ id }),
      );
      expect(cleanup.status).toBe(204);
    } finally {
      delete process.env.TRUST_PROXY;
      resetServerConfigForTests();
    }
  });

  it("ends the session 12 h after sign-in", async () => {
    setSessionClockForTests(() => Date.now() + 12 * 60 * MINUTE + MINUTE);
    const response = await list(testRequest("/api/credentials", { cookie: aliceCookie }), noParams);
    expect(response.status).toBe(401);
  });
});

describe("recent sign-in", () => {
  it("asks for the password again after the re-auth window, and re-auth restores access", async () => {
    const later = Date.now() + 16 * MINUTE;
    setSessionClockForTests(() => later);
    const before = await rowCount();
    const stale = await createSimAccount(
      testRequest("/api/credentials/sim-account", { cookie: aliceCookie, json: {} }),
      noParams,
    );
    expect(stale.status).toBe(401);
    expect((await errorOf(stale)).code).toBe("reauth_required");
    expect(await rowCount()).toBe(before);
    // Reading still works: only mutations that need it ask.
    expect(
      (await list(testRequest("/api/credentials", { cookie: aliceCookie }), noParams)).status,
    ).toBe(200);

    const wrong = await reauth(
      testRequest("/api/auth/reauth", { cookie: aliceCookie, json: { password: "not it at all" } }),
      noParams,
    );
    expect(wrong.status).toBe(401);
    expect(await errorOf(wrong)).toMatchObject({ code: "invalid_password", field: "password" });
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const crossSite = await reauth(
      testRequest("/api/auth/reauth", {
        cookie: aliceCookie,
        json: { password: "alice password" },
        origin: "https://evil.example",
      }),
      noParams,
    );
    expect(crossSite.status).toBe(403);

    const ok = await reauth(
      testRequest("/api/auth/reauth", {
        cookie: aliceCookie,
        json: { password: "alice password" },
      }),
      noParams,
    );
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const refreshed = setCookie.split(";")[0] ?? "";
    const fresh = await createSimAccount(
      testRequest("/api/credentials/sim-account", { cookie: refreshed, json: {} }),
      noParams,
    );
    expect(fresh.status).toBe(201);
    // Re-auth refreshes the password time, not the session's end.
    setSessionClockForTests(() => Date.now() + 12 * 60 * MINUTE + MINUTE);
    expect(
      (await list(testRequest("/api/credentials", { cookie: refreshed }), noParams)).status,
    ).toBe(401);
  });

  it("validates the re-auth body", async () => {
    const response = await reauth(
      testRequest("/api/auth/reauth", { cookie: aliceCookie, json: {} }),
      noParams,
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).field).toBe("password");
  });
});

describe("input validation", () => {
  it.each([
    [{ environment: "sim", apiKeyId: "k", privateKeyPem: "x" }, "label"],
    [{ label: "a", environment: "staging", apiKeyId: "k", privateKeyPem: "x" }, "environment"],
    [{ label: "a", environment: "sim", apiKeyId: "has spaces", privateKeyPem: "x" }, "apiKeyId"],
    [{ label: "a", environment: "sim", apiKeyId: "k" }, "privateKeyPem"],
  ])("rejects %j naming %s, and stores nothing", async (json, field) => {
    const before = await rowCount();
    const response = await add(
      testRequest("/api/credentials", { cookie: aliceCookie, json }),
      noParams,
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).field).toBe(field);
    expect(await rowCount()).toBe(before);
  });

  it("answers 422 naming privateKeyPem for a public key, 400 for a body that is not JSON", async () => {
    const account = await createTestAccount(sim.restBaseUrl);
    const { createPublicKey } = await import("node:crypto");
    const publicPem = createPublicKey(account.privateKeyPem)
      .export({ type: "spki", format: "pem" })
      .toString();
    const response = await add(
      testRequest("/api/credentials", {
        cookie: aliceCookie,
        json: {
          label: "a",
          environment: "sim",
          apiKeyId: account.apiKeyId,
          privateKeyPem: publicPem,
        },
      }),
      noParams,
    );
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      code: "public_key_not_private",
      field: "privateKeyPem",
    });
    const notJson = await add(
      testRequest("/api/credentials", { cookie: aliceCookie, json: "{not json" }),
      noParams,
    );
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe("invalid_json");
  });

  it("answers 422 key_mismatch when the simulator refuses the key, and stores nothing", async () => {
    const [one, two] = await Promise.all([
      createTestAccount(sim.restBaseUrl),
      createTestAccount(sim.restBaseUrl),
    ]);
    const before = await rowCount();
    const response = await add(
      testRequest("/api/credentials", {
        cookie: aliceCookie,
        json: {
          label: "mixed",
          environment: "sim",
          apiKeyId: one.apiKeyId,
          privateKeyPem: two.privateKeyPem,
        },
      }),
      noParams,
    );
    expect(response.status).toBe(422);
    expect((await errorOf(response)).code).toBe("key_mismatch");
    expect(await rowCount()).toBe(before);
  });

  it("rejects a credential id that is not an id (400 naming id)", async () => {
    const response = await remove(
      testRequest("/api/credentials/nope", { method: "DELETE", cookie: aliceCookie }),
      routeParams({ id: "nope" }),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).field).toBe("id");
  });
});

describe("ownership", () => {
  it("never lets a user see, activate or delete another user's credential", async () => {
    const bobs = await addSimKey(bobCookie, "bob's key");
    const alices = await addSimKey(aliceCookie, "alice's key");

    const aliceList = (await (
      await list(testRequest("/api/credentials", { cookie: aliceCookie }), noParams)
    ).json()) as {
      credentials: Array<{ id: string }>;
    };
    expect(aliceList.credentials.map((c) => c.id)).toContain(alices.id);
    expect(aliceList.credentials.map((c) => c.id)).not.toContain(bobs.id);

    const steal = await activate(
      testRequest(`/api/credentials/${bobs.id}/activate`, { method: "POST", cookie: aliceCookie }),
      routeParams({ id: bobs.id }),
    );
    expect(steal.status).toBe(404);
    const destroy = await remove(
      testRequest(`/api/credentials/${bobs.id}`, { method: "DELETE", cookie: aliceCookie }),
      routeParams({ id: bobs.id }),
    );
    expect(destroy.status).toBe(404);
    expect(
      await database.db.select().from(credentials).where(eq(credentials.id, bobs.id)),
    ).toHaveLength(1);

    // Bob can do both with his own.
    const own = await activate(
      testRequest(`/api/credentials/${bobs.id}/activate`, { method: "POST", cookie: bobCookie }),
      routeParams({ id: bobs.id }),
    );
    expect(own.status).toBe(200);
    const gone = await remove(
      testRequest(`/api/credentials/${bobs.id}`, { method: "DELETE", cookie: bobCookie }),
      routeParams({ id: bobs.id }),
    );
    expect(gone.status).toBe(204);
    expect(
      await database.db.select().from(credentials).where(eq(credentials.id, bobs.id)),
    ).toHaveLength(0);
  });
});

describe("traderRoute", () => {
  const probe = traderRoute<{ ticker: string }>(async (_request, { userId, credential, params }) =>
    Response.json({
      userId,
      credentialId: credential.id,
      environment: credential.environment,
      restBaseUrl: credential.restBaseUrl,
      keyType: credential.privateKey.asymmetricKeyType,
      ticker: params.ticker,
    }),
  );
  const mutation = traderRoute(async () => Response.json({ ok: true }), {
    mutation: true,
    recentAuth: true,
  });

  it("answers 409 no_credential for a user without a key", async () => {
    const carol = await createUser(database.db, {
      email: "carol@example.com",
      password: "carol password",
    });
    const response = await probe(
      testRequest("/api/probe", { cookie: await sessionCookieFor(carol) }),
      routeParams({ ticker: "T" }),
    );
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe("no_credential");
  });

  it("hands the handler the caller's own active credential, parsed, and the params", async () => {
    const response = await probe(
      testRequest("/api/probe", { cookie: aliceCookie }),
      routeParams({ ticker: "KXTEST" }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({
      userId: alice.id,
      environment: "sim",
      restBaseUrl: sim.restBaseUrl,
      keyType: "rsa",
      ticker: "KXTEST",
    });
    const mine = (await (
      await list(testRequest("/api/credentials", { cookie: aliceCookie }), noParams)
    ).json()) as {
      credentials: Array<{ id: string; active: boolean }>;
    };
    expect(mine.credentials.find((c) => c.active)?.id).toBe(body.credentialId);
  });

  it("applies origin, session and recent-auth checks for trading mutations", async () => {
    expect((await mutation(testRequest("/api/orders", { json: {} }), noParams)).status).toBe(401);
    expect(
      (
        await mutation(
          testRequest("/api/orders", {
            json: {},
            cookie: aliceCookie,
            origin: "https://evil.example",
          }),
          noParams,
        )
      ).status,
    ).toBe(403);
    expect(
      (await mutation(testRequest("/api/orders", { json: {}, cookie: aliceCookie }), noParams))
        .status,
    ).toBe(200);
    setSessionClockForTests(() => Date.now() + 20 * MINUTE);
    const stale = await mutation(
      testRequest("/api/orders", { json: {}, cookie: aliceCookie }),
      noParams,
    );
    expect(stale.status).toBe(401);
    expect((await errorOf(stale)).code).toBe("reauth_required");
  });

  it("fails closed with credential_unreadable when the stored key was tampered with", async () => {
    const dave = await createUser(database.db, {
      email: "dave@example.com",
      password: "dave password",
    });
    const cookie = await sessionCookieFor(dave);
    const { id } = await addSimKey(cookie, "dave's key");
    const [row] = await database.db.select().from(credentials).where(eq(credentials.id, id));
    const tag = Buffer.from(row?.authTag ?? "", "base64");
    tag[0] = (tag[0] ?? 0) ^ 1;
    await database.db
      .update(credentials)
      .set({ authTag: tag.toString("base64") })
      .where(eq(credentials.id, id));
    const { clearCredentialKeyCache } = await import("@/server/credentials/store");
    clearCredentialKeyCache();
    const response = await probe(
      testRequest("/api/probe", { cookie }),
      routeParams({ ticker: "T" }),
    );
    expect(response.status).toBe(500);
    expect((await errorOf(response)).code).toBe("credential_unreadable");
  });

  it("funnels a handler's unexpected error into a generic 500", async () => {
    const broken = traderRoute(async () => {
      throw new Error("secret detail");
    });
    const response = await broken(testRequest("/api/broken", { cookie: aliceCookie }), noParams);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret detail");
  });
});

describe("simulator account: refused input creates nothing", () => {
  it("a label with a NUL character is a 400 naming the field, with no account at the simulator and no row", async () => {
    const carol = await createUser(database.db, {
      email: "carol-nul@example.com",
      password: "carol password",
    });
    const cookie = await sessionCookieFor(carol);
    const simUsersBefore = sim.exchange.state.users.size;
    for (const label of ["evil\u0000label", "bell\u0007", "esc\u001b[31m"]) {
      const response = await createSimAccount(
        testRequest("/api/credentials/sim-account", { cookie, json: { label } }),
        noParams,
      );
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ code: "invalid_request", field: "label" });
    }
    expect(sim.exchange.state.users.size).toBe(simUsersBefore);
    const rows = await database.db
      .select()
      .from(credentials)
      .where(eq(credentials.userId, carol.id));
    expect(rows).toEqual([]);
  });
});
