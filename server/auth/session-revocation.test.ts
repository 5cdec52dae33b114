/**
 * Sessions that end: after sign-out (Auth.js's event, or revoking a session in
 * Settings), sign out everywhere, or a password change, the old cookie is
 * refused by the routes, by /api/ws-ticket and by the gateway, and the
 * gateway closes the sockets it already had. Password checks are throttled
 * (lock after N failures, release after the lock, on a controlled clock).
 * On PGlite, and on Postgres when TEST_DATABASE_URL is set.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DELETE as deleteSession } from "@/app/api/account/sessions/[sessionId]/route";
import { DELETE as signOutEverywhere, GET as listSessions } from "@/app/api/account/sessions/route";
import { POST as changePassword } from "@/app/api/account/password/route";
import { GET as securityEvents } from "@/app/api/account/security-events/route";
import { POST as reauth } from "@/app/api/auth/reauth/route";
import { GET as listCredentials } from "@/app/api/credentials/route";
import { POST as wsTicket } from "@/app/api/ws-ticket/route";
import { buildAuthConfig } from "@/server/auth/auth-config";
import { throttledAuthPost } from "@/server/auth/auth-route";
import { resetAuthThrottlesForTests } from "@/server/auth/password-attempts";
import { resetPasswordHashGateForTests } from "@/server/auth/password";
import { decodeSessionCookie, setSessionClockForTests } from "@/server/auth/session";
import { routeParams, sessionCookieFor, testRequest } from "@/server/auth/testing";
import { createUser } from "@/server/auth/users";
import { setDatabaseForTests } from "@/server/db/client";
import {
  createTestDatabase,
  TEST_DIALECTS,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { appAuthenticator } from "@/server/gateway/app-authenticator";
import { createGateway, type GatewayHandle } from "@/server/gateway/gateway";
import { RecordingClient } from "@/server/gateway/testing/harness";

const PASSWORD = "the right password";
const noParams = routeParams({});

async function sessionIdOf(cookie: string): Promise<string> {
  const claims = await decodeSessionCookie(cookie);
  if (!claims) throw new Error("cookie does not decode");
  return claims.sessionId;
}

describe.each(TEST_DIALECTS)("sessions and throttling on $dialect", ({ dialect, skip }) => {
  let secrets: TestSecrets;
  let database: TestDatabase;
  let server: Server;
  let gateway: GatewayHandle;
  let wsUrl: string;
  let origin: string;

  beforeAll(async () => {
    if (skip) return;
    secrets = await useTestSecrets({
      AUTH_LOCK_AFTER_FAILURES: "3",
      AUTH_LOCK_SECONDS: "30",
      AUTH_IP_LOCK_AFTER_FAILURES: "100",
    });
    resetAuthThrottlesForTests();
    resetPasswordHashGateForTests();
    database = await createTestDatabase(dialect);
    setDatabaseForTests(database);
    // The gateway as server/main.ts runs it, with the app's authenticator.
    gateway = createGateway({
      marketDataUrl: "ws://127.0.0.1:9/unused",
      marketDataCredential: null,
      authenticator: appAuthenticator,
    });
    server = createServer();
    server.on("upgrade", (request, socket, head) => gateway.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    wsUrl = `ws://127.0.0.1:${port}/ws`;
    origin = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    if (skip) return;
    setSessionClockForTests();
    await gateway.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    setDatabaseForTests(undefined);
    await database.destroy();
    resetAuthThrottlesForTests();
    resetPasswordHashGateForTests();
    await secrets.restore();
  });

  async function openSocket(cookie: string) {
    const client = new RecordingClient(wsUrl, { cookie, origin });
    await client.opened;
    const welcome = await client.waitFor((frame) => frame.type === "welcome");
    return { client, authenticated: welcome.authenticated === true };
  }

  it.skipIf(skip)(
    "revoking a session refuses its cookie (HTTP and WebSocket) and closes its sockets; other sessions live on",
    async () => {
      const user = await createUser(database.db, { email: "a@example.com", password: PASSWORD });
      const account = { id: user.id, email: user.email };
      const cookieA = await sessionCookieFor(account);
      const cookieB = await sessionCookieFor(account);

      const listed = await listSessions(
        testRequest("/api/account/sessions", { cookie: cookieA }),
        noParams,
      );
      const { sessions } = (await listed.json()) as {
        sessions: Array<{ id: string; current: boolean }>;
      };
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([
        await sessionIdOf(cookieA),
      ]);
      expect(listed.headers.get("cache-control")).toBe("no-store");

      const socketA = await openSocket(cookieA);
      const socketB = await openSocket(cookieB);
      expect(socketA.authenticated).toBe(true);
      expect(socketB.authenticated).toBe(true);

      // Sign out session A from Settings (as A itself).
      const idA = await sessionIdOf(cookieA);
      const revoked = await deleteSession(
        testRequest(`/api/account/sessions/${idA}`, { method: "DELETE", cookie: cookieA }),
        routeParams({ sessionId: idA }),
      );
      expect(revoked.status).toBe(204);
      expect(revoked.headers.get("set-cookie")).toMatch(/Max-Age=0/);

      // A's existing socket is closed; B's still answers.
      expect((await socketA.client.closed).code).toBe(1008);
      socketB.client.send({ op: "ping" });
      await socketB.client.waitFor((frame) => frame.type === "pong");

      // The old cookie A: refused by routes, the ticket route and a new socket.
      const afterA = await listCredentials(
        testRequest("/api/credentials", { cookie: cookieA }),
        noParams,
      );
      expect(afterA.status).toBe(401);
      const ticket = await wsTicket(
        testRequest("/api/ws-ticket", { method: "POST", cookie: cookieA }),
        noParams,
      );
      expect(ticket.status).toBe(401);
      const again = await openSocket(cookieA);
      expect(again.authenticated).toBe(false);
      again.client.close();
      expect(await appAuthenticator.fromCookies(cookieA)).toBeNull();
      // B is untouched.
      expect(
        (await listCredentials(testRequest("/api/credentials", { cookie: cookieB }), noParams))
          .status,
      ).toBe(200);
      socketB.client.close();
    },
    120_000,
  );

  it.skipIf(skip)(
    "Auth.js sign-out revokes the cookie's session row",
    async () => {
      const user = await createUser(database.db, { email: "b@example.com", password: PASSWORD });
      const cookie = await sessionCookieFor({ id: user.id, email: user.email });
      const socket = await openSocket(cookie);
      const signOut = buildAuthConfig().events?.signOut;
      if (!signOut) throw new Error("no signOut event");
      await signOut({ token: { uid: user.id, sid: await sessionIdOf(cookie) } });
      expect((await socket.client.closed).code).toBe(1008);
      expect(
        (await listCredentials(testRequest("/api/credentials", { cookie }), noParams)).status,
      ).toBe(401);
    },
    120_000,
  );

  it.skipIf(skip)(
    "a password change ends every other session; sign out everywhere ends the rest; all of it is in the security log",
    async () => {
      const user = await createUser(database.db, { email: "c@example.com", password: PASSWORD });
      const account = { id: user.id, email: user.email };
      const keep = await sessionCookieFor(account);
      const other = await sessionCookieFor(account);
      const otherSocket = await openSocket(other);

      const wrong = await changePassword(
        testRequest("/api/account/password", {
          cookie: keep,
          json: { currentPassword: "not the password", newPassword: "a brand new password" },
        }),
        noParams,
      );
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: { field: "currentPassword" } });
      expect(
        (await listCredentials(testRequest("/api/credentials", { cookie: other }), noParams))
          .status,
      ).toBe(200);

      const changed = await changePassword(
        testRequest("/api/account/password", {
          cookie: keep,
          json: { currentPassword: PASSWORD, newPassword: "a brand new password" },
        }),
        noParams,
      );
      expect(changed.status).toBe(200);
      expect((await otherSocket.client.closed).code).toBe(1008);
      expect(
        (await listCredentials(testRequest("/api/credentials", { cookie: other }), noParams))
          .status,
      ).toBe(401);
      expect(
        (await listCredentials(testRequest("/api/credentials", { cookie: keep }), noParams)).status,
      ).toBe(200);

      const everywhere = await signOutEverywhere(
        testRequest("/api/account/sessions", { method: "DELETE", cookie: keep }),
        noParams,
      );
      expect(everywhere.status).toBe(200);
      expect(
        (await listCredentials(testRequest("/api/credentials", { cookie: keep }), noParams)).status,
      ).toBe(401);

      const fresh = await sessionCookieFor(account);
      const log = await securityEvents(
        testRequest("/api/account/security-events", { cookie: fresh }),
        noParams,
      );
      const { events } = (await log.json()) as {
        events: Array<{ kind: string; detail: string | null }>;
      };
      expect(events.map((event) => event.kind)).toEqual(
        expect.arrayContaining(["password_change_failed", "password_changed", "sessions_revoked"]),
      );
      expect(JSON.stringify(events)).not.toContain(PASSWORD);
    },
    120_000,
  );

  it.skipIf(skip)(
    "re-auth and the Auth.js callback lock after 3 wrong passwords (429) and release after the lock",
    async () => {
      let now = Date.now();
      setSessionClockForTests(() => now);
      const user = await createUser(database.db, { email: "d@example.com", password: PASSWORD });
      const cookie = await sessionCookieFor({ id: user.id, email: user.email }, now);
      const attempt = (password: string) =>
        reauth(testRequest("/api/auth/reauth", { cookie, json: { password } }), noParams);

      for (let i = 0; i < 3; i += 1) expect((await attempt("wrong password")).status).toBe(401);
      const locked = await attempt(PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.headers.get("retry-after")).toBe("30");
      expect(await locked.json()).toEqual({
        error: { code: "too_many_attempts", message: "Too many attempts. Try again in 30 s." },
      });

      // The Auth.js callback for the same account is refused before Auth.js runs.
      let reachedAuthJs = false;
      const callback = throttledAuthPost(async () => {
        reachedAuthJs = true;
        return new Response(null, { status: 302 });
      });
      const form = new URLSearchParams({ email: "D@example.com", password: PASSWORD });
      const refused = await callback(
        new Request("http://localhost:3000/api/auth/callback/credentials", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form,
        }),
      );
      expect(refused.status).toBe(429);
      expect(reachedAuthJs).toBe(false);

      now += 29_000;
      expect((await attempt(PASSWORD)).status).toBe(429);
      now += 1_000;
      expect((await attempt(PASSWORD)).status).toBe(200);
      setSessionClockForTests();
    },
    120_000,
  );
});
