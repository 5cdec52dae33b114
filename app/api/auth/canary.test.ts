/**
 * Canary: plant a real, recognisable private key as a credential, drive every
 * route this part of the BFF has (Auth.js included) through success and
 * failure, and prove that neither the key nor any secret (vault key,
 * AUTH_SECRET, the user's password) shows up in a response or in anything
 * written to the console.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { POST as activate } from "@/app/api/credentials/[id]/activate/route";
import { DELETE as remove } from "@/app/api/credentials/[id]/route";
import { GET as list, POST as add } from "@/app/api/credentials/route";
import { POST as createSimAccount } from "@/app/api/credentials/sim-account/route";
import { POST as reauth } from "@/app/api/auth/reauth/route";
import { routeParams, testRequest, TEST_ORIGIN } from "@/server/auth/testing";
import { createUser } from "@/server/auth/users";
import { setEnvironmentEndpointsForTests } from "@/server/credentials/endpoints";
import { setDatabaseForTests } from "@/server/db/client";
import {
  createTestDatabase,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

const PASSWORD = "canary-password-7f3a9c";
const EMAIL = "canary@example.com";

let sim: RunningSim;
let database: TestDatabase;
let secrets: TestSecrets;
let canary: TestAccount;
const transcript: string[] = [];
const restoreSpies: Array<() => void> = [];

function capture(): void {
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      transcript.push(
        args.map((arg) => (typeof arg === "string" ? arg : safeStringify(arg))).join(" "),
      );
    });
    restoreSpies.push(() => spy.mockRestore());
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      transcript.push(
        typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(),
      );
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restoreSpies.push(() => {
      stream.write = original;
    });
  }
}

function safeStringify(value: unknown): string {
  if (value instanceof Error)
    return `${value.name}: ${value.message}\n${value.stack ?? ""}\n${String((value as { cause?: unknown }).cause ?? "")}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Records a response's status, headers (except the encrypted session cookie's value) and body. */
async function record(response: Response): Promise<Response> {
  const text = await response.clone().text();
  const headers = [...response.headers.entries()]
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
  transcript.push(`HTTP ${response.status}\n${headers}\n\n${text}`);
  return response;
}

function cookieJar(setCookies: string[], jar = new Map<string, string>()): Map<string, string> {
  for (const line of setCookies) {
    const [pair] = line.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (!pair || eq < 0) continue;
    const value = pair.slice(eq + 1);
    if (value === "" || /Max-Age=0/i.test(line) || /Expires=Thu, 01 Jan 1970/i.test(line))
      jar.delete(pair.slice(0, eq));
    else jar.set(pair.slice(0, eq), value);
  }
  return jar;
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar.entries()].map(([name, value]) => `${name}=${value}`).join("; ");
}

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
  await createUser(database.db, { email: EMAIL, password: PASSWORD });
  canary = await createTestAccount(sim.restBaseUrl, { name: "canary" });
  capture();
});

afterAll(async () => {
  for (const restore of restoreSpies.reverse()) restore();
  setDatabaseForTests(undefined);
  setEnvironmentEndpointsForTests();
  await sim?.close();
  await database?.destroy();
  await secrets?.restore();
});

describe("canary: no key or secret ever leaves the server", () => {
  it("drives every route, then finds no trace of the key or the secrets", async () => {
    const { handlers } = await import("@/auth");
    const jar = new Map<string, string>();
    const authGet = async (path: string) => {
      const response = await record(
        await handlers.GET(
          new Request(`${TEST_ORIGIN}${path}`, { headers: { cookie: cookieHeader(jar) } }) as never,
        ),
      );
      cookieJar(response.headers.getSetCookie(), jar);
      return response;
    };
    const authPost = async (path: string, form: Record<string, string>) => {
      const response = await record(
        await handlers.POST(
          new Request(`${TEST_ORIGIN}${path}`, {
            method: "POST",
            headers: {
              cookie: cookieHeader(jar),
              "content-type": "application/x-www-form-urlencoded",
              origin: TEST_ORIGIN,
            },
            body: new URLSearchParams(form),
          }) as never,
        ),
      );
      cookieJar(response.headers.getSetCookie(), jar);
      return response;
    };

    // ── Auth.js: providers, CSRF, a failed and a successful sign-in, the session ──
    await authGet("/api/auth/providers");
    const { csrfToken } = (await (await authGet("/api/auth/csrf")).json()) as { csrfToken: string };
    const failed = await authPost("/api/auth/callback/credentials", {
      email: EMAIL,
      password: "wrong password here",
      csrfToken,
    });
    expect(failed.status).toBe(302);
    expect(failed.headers.get("location")).toMatch(/error=CredentialsSignin/);
    expect(jar.has("authjs.session-token")).toBe(false);
    const signedIn = await authPost("/api/auth/callback/credentials", {
      email: EMAIL,
      password: PASSWORD,
      csrfToken,
      callbackUrl: `${TEST_ORIGIN}/`,
    });
    expect(signedIn.status).toBe(302);
    const sessionCookie = signedIn.headers
      .getSetCookie()
      .find((c) => c.startsWith("authjs.session-token="));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(jar.has("authjs.session-token")).toBe(true);
    const session = (await (await authGet("/api/auth/session")).json()) as {
      user?: { id?: string; email?: string };
    };
    expect(session.user?.email).toBe(EMAIL);
    const cookie = cookieHeader(jar);

    // ── credentials: add the canary key, list, activate, failures with the key in the body ──
    const body = {
      label: "canary",
      environment: "sim",
      apiKeyId: canary.apiKeyId,
      privateKeyPem: canary.privateKeyPem,
    };
    const added = await record(
      await add(testRequest("/api/credentials", { cookie, json: body }), routeParams({})),
    );
    expect(added.status).toBe(201);
    const { credential } = (await added.clone().json()) as { credential: { id: string } };
    const failures = [
      { ...body, label: "again" }, // credential_exists
      { ...body, environment: "prod" }, // environment_unavailable
      { ...body, apiKeyId: "not-the-right-key" }, // key_mismatch
      { ...body, privateKeyPem: canary.privateKeyPem.slice(0, 600) }, // malformed
      { ...body, privateKeyPem: canary.privateKeyPem.replace(/PRIVATE KEY/g, "PUBLIC KEY") }, // public key
      { ...body, privateKeyPem: canary.privateKeyPem.replace(/\n([A-Za-z0-9+/]{20})/, "\n!!!!$1") }, // damaged body
      {
        ...body,
        privateKeyPem: canary.privateKeyPem.replace(
          /BEGIN (RSA )?PRIVATE KEY/,
          "BEGIN ENCRYPTED PRIVATE KEY",
        ),
      }, // "encrypted"
      { ...body, label: canary.privateKeyPem }, // label too long
      { ...body, apiKeyId: canary.privateKeyPem }, // bad key id
      { ...body, privateKeyPem: canary.privateKeyPem.repeat(10) }, // too long
    ];
    for (const json of failures) {
      const response = await record(
        await add(testRequest("/api/credentials", { cookie, json }), routeParams({})),
      );
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
    // Cross-site and unauthenticated attempts carrying the key.
    await record(
      await add(
        testRequest("/api/credentials", { cookie, json: body, origin: "https://evil.example" }),
        routeParams({}),
      ),
    );
    await record(await add(testRequest("/api/credentials", { json: body }), routeParams({})));
    await record(
      await add(
        testRequest("/api/credentials", { cookie, json: `${JSON.stringify(body)}}` }),
        routeParams({}),
      ),
    );

    expect(
      (await record(await list(testRequest("/api/credentials", { cookie }), routeParams({}))))
        .status,
    ).toBe(200);
    const id = credential.id;
    expect(
      (
        await record(
          await activate(
            testRequest(`/api/credentials/${id}/activate`, { method: "POST", cookie }),
            routeParams({ id }),
          ),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await record(
          await reauth(
            testRequest("/api/auth/reauth", { cookie, json: { password: PASSWORD } }),
            routeParams({}),
          ),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await record(
          await reauth(
            testRequest("/api/auth/reauth", { cookie, json: { password: `${PASSWORD}x` } }),
            routeParams({}),
          ),
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await record(
          await createSimAccount(
            testRequest("/api/credentials/sim-account", { cookie, json: {} }),
            routeParams({}),
          ),
        )
      ).status,
    ).toBe(201);
    expect(
      (await record(await list(testRequest("/api/credentials", { cookie }), routeParams({}))))
        .status,
    ).toBe(200);

    // ── the trader wrapper decrypts the key for a handler; a handler that fails must not leak it ──
    const { traderRoute } = await import("@/server/auth/trader-route");
    const leaky = traderRoute(async (_request, { credential }) => {
      throw new Error(
        `failed with ${credential.privateKey.export({ type: "pkcs8", format: "pem" }).toString()}`,
      );
    });
    expect(
      (await record(await leaky(testRequest("/api/leaky", { cookie }), routeParams({})))).status,
    ).toBe(500);

    expect(
      (
        await record(
          await remove(
            testRequest(`/api/credentials/${id}`, { method: "DELETE", cookie }),
            routeParams({ id }),
          ),
        )
      ).status,
    ).toBe(204);
    const signOutCsrf = (await (await authGet("/api/auth/csrf")).json()) as { csrfToken: string };
    await authPost("/api/auth/signout", { csrfToken: signOutCsrf.csrfToken });
    expect(jar.has("authjs.session-token")).toBe(false);

    // ── the search ──
    const everything = transcript.join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    const pemLines = canary.privateKeyPem
      .split("\n")
      .filter((line) => line.length >= 40 && !line.startsWith("-----"));
    expect(pemLines.length).toBeGreaterThan(10);
    const pemBody = pemLines.join("");
    const needles: Array<[string, string]> = [
      ...pemLines.map((line, index): [string, string] => [`PEM body line ${index}`, line]),
      ["PEM body", pemBody],
      ["PEM body (url-encoded)", encodeURIComponent(pemLines[0] ?? "")],
      ["vault key", secrets.vaultKey],
      ["AUTH_SECRET", secrets.authSecret],
      ["password", PASSWORD],
    ];
    for (const [what, needle] of needles) {
      expect(everything.includes(needle), `${what} leaked`).toBe(false);
    }
    // And no PEM with a body comes back either (help texts may name the armour lines).
    expect(everything).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/]{20}/);
  });
});
