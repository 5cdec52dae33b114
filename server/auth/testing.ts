/**
 * Test helpers for route-level tests: a session cookie for a user (with its
 * `sessions` row, as a real sign-in makes), requests shaped like the
 * browser's (same-origin by default), and route invocation.
 */
import { reissueSessionCookie } from "@/server/auth/session";
import { createSession } from "@/server/auth/session-store";
import { getDb, type Database } from "@/server/db/client";

export const TEST_ORIGIN = "http://localhost:3000";

/**
 * A `Cookie` header value holding a live session for `user`, signed in (and
 * authenticated) at `now`. The session row goes into `db` (default: getDb()).
 */
export async function sessionCookieFor(
  user: { id: string; email: string },
  now = Date.now(),
  db?: Database,
): Promise<string> {
  const sessionId = await createSession(
    db ?? (await getDb()),
    user.id,
    { userAgent: "test", ipHash: null },
    now,
  );
  const setCookie = await reissueSessionCookie(
    { userId: user.id, sessionId, email: user.email, signedInAt: now, authTime: now },
    now,
  );
  return setCookie.split(";")[0] ?? "";
}
export interface TestRequestInit {
  method?: string;
  cookie?: string;
  /** Default: TEST_ORIGIN for non-GET requests; null = no Origin header. */
  origin?: string | null;
  json?: unknown;
  headers?: Record<string, string>;
}

/** A Request to `path` on TEST_ORIGIN, as a browser on this site would send it. */
export function testRequest(path: string, init: TestRequestInit = {}): Request {
  const method = init.method ?? (init.json === undefined ? "GET" : "POST");
  const headers = new Headers(init.headers);
  // Browsers always send Host; the same-origin check compares against it.
  if (!headers.has("host")) headers.set("host", new URL(TEST_ORIGIN).host);
  if (init.cookie) headers.set("cookie", init.cookie);
  const origin = init.origin === undefined ? (method === "GET" ? null : TEST_ORIGIN) : init.origin;
  if (origin !== null) headers.set("origin", origin);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  return new Request(`${TEST_ORIGIN}${path}`, {
    method,
    headers,
    body:
      init.json === undefined
        ? undefined
        : typeof init.json === "string"
          ? init.json
          : JSON.stringify(init.json),
  });
}

/** Route args as Next.js passes them. */
export function routeParams<P extends Record<string, string>>(params: P): { params: Promise<P> } {
  return { params: Promise.resolve(params) };
}
