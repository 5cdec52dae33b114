import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/ws-ticket/route";
import { WsTicketSchema } from "@/lib/schemas/ws-ticket";
import { sessionCookieFor, testRequest } from "@/server/auth/testing";
import { appAuthenticator } from "@/server/gateway/app-authenticator";
import { verifyTicket } from "@/server/gateway/ticket";
import { gatewayTicketSecret } from "@/server/gateway/ticket-secret";
import { createUser } from "@/server/auth/users";
import { setDatabaseForTests } from "@/server/db/client";
import {
  createTestDatabase,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";

let secrets: TestSecrets;
let database: TestDatabase;
const user = { id: "", email: "ws@example.com" };
beforeAll(async () => {
  secrets = await useTestSecrets();
  database = await createTestDatabase();
  setDatabaseForTests(database);
  user.id = (await createUser(database.db, { email: user.email, password: "long enough pw" })).id;
});
afterAll(async () => {
  setDatabaseForTests(undefined);
  await database.destroy();
  await secrets.restore();
});

const route = { params: Promise.resolve({}) };

describe("POST /api/ws-ticket", () => {
  it("issues a short-lived ticket naming the signed-in user, and nothing secret", async () => {
    const response = await POST(
      testRequest("/api/ws-ticket", { method: "POST", cookie: await sessionCookieFor(user) }),
      route,
    );
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = WsTicketSchema.parse(await response.json());
    expect(body.expires_at - Date.now()).toBeLessThanOrEqual(60_000);
    expect(verifyTicket(gatewayTicketSecret(), body.ticket)).toMatchObject({ userId: user.id });
    expect(JSON.stringify(body)).not.toContain(secrets.authSecret);
  });

  it("refuses anonymous and cross-site callers", async () => {
    const anonymous = await POST(testRequest("/api/ws-ticket", { method: "POST" }), route);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthenticated" } });
    const crossSite = await POST(
      testRequest("/api/ws-ticket", {
        method: "POST",
        cookie: await sessionCookieFor(user),
        origin: "https://evil.example",
      }),
      route,
    );
    expect(crossSite.status).toBe(403);
  });

  it("the gateway reads the same session cookie as the routes", async () => {
    expect(await appAuthenticator.fromCookies(await sessionCookieFor(user))).toEqual({
      userId: user.id,
      sessionId: expect.any(String),
    });
    expect(await appAuthenticator.fromCookies("authjs.session-token=forged")).toBeNull();
    expect(await appAuthenticator.fromCookies(undefined)).toBeNull();
  });
});
