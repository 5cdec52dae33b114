/**
 * The session for server components and server actions, read from the same
 * cookie and with the same rules (absolute lifetime included) as the route
 * wrapper.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { readSessionFromCookieHeader, type SessionClaims } from "@/server/auth/session";

/** The signed-in user's session, or null. */
export async function getPageSession(): Promise<SessionClaims | null> {
  const store = await cookies();
  const header = store
    .getAll()
    .map((cookie) => `${cookie.name}=${encodeURIComponent(cookie.value)}`)
    .join("; ");
  return readSessionFromCookieHeader(header || null);
}

/** The session, or a redirect to /sign-in that comes back to `returnTo`. */
export async function requirePageSession(returnTo: string): Promise<SessionClaims> {
  const session = await getPageSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}

/** A same-site path to go to after sign-in; anything else (other hosts, `//x`) becomes `fallback`. */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\")
  ) {
    return fallback;
  }
  return value;
}
