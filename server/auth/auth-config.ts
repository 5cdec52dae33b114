/**
 * The Auth.js (next-auth v5) configuration: email + password through the
 * Credentials provider, GitHub / Google only when their variables are set,
 * JWT sessions (no session table) that end SESSION_MAX_HOURS after sign-in,
 * HttpOnly SameSite=Lax cookies, Secure outside development.
 *
 * Built lazily on the first request so `next build` never needs secrets.
 */
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";

import { signInSchema } from "@/lib/schemas/auth";
import { getServerConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { getAuthSecret, secureCookiesEnabled, sessionNow } from "@/server/auth/session";
import { authenticateUser, findOrCreateOAuthUser } from "@/server/auth/users";

/** The Auth.js configuration for this process. */
export function buildAuthConfig(): NextAuthConfig {
  const config = getServerConfig();
  const maxAge = config.auth.sessionMaxHours * 3600;
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await authenticateUser(await getDb(), parsed.data);
        return user ? { id: user.id, email: user.email } : null;
      },
    }),
  ];
  if (config.auth.github) {
    providers.push(
      GitHub({
        clientId: config.auth.github.clientId,
        clientSecret: config.auth.github.clientSecret,
      }),
    );
  }
  if (config.auth.google) {
    providers.push(
      Google({
        clientId: config.auth.google.clientId,
        clientSecret: config.auth.google.clientSecret,
      }),
    );
  }

  return {
    secret: getAuthSecret(),
    basePath: "/api/auth",
    // The app is served by server/main.ts (or a platform that sets the host);
    // redirects still go only to this origin (Auth.js's default redirect callback).
    trustHost: true,
    useSecureCookies: secureCookiesEnabled(),
    session: { strategy: "jwt", maxAge },
    jwt: { maxAge },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    logger: {
      // Auth.js errors can carry request details; log the kind only.
      error: (error) =>
        console.error(JSON.stringify({ at: "auth", what: "auth error", error: error.name })),
      warn: (code) => console.warn(JSON.stringify({ at: "auth", what: "auth warning", code })),
      debug: () => {},
    },
    callbacks: {
      async signIn({ account, user }) {
        if (!account || account.provider === "credentials") return true;
        if (!user.email) return false;
        return (await findOrCreateOAuthUser(await getDb(), user.email)) !== null;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const now = sessionNow();
          let uid = user.id;
          let email = user.email ?? undefined;
          if (account.provider !== "credentials") {
            const resolved = email ? await findOrCreateOAuthUser(await getDb(), email) : null;
            if (!resolved) throw new Error("OAuth account could not be resolved");
            uid = resolved.id;
            email = resolved.email;
          }
          return { sub: uid, email, uid, signedInAt: now, authTime: now };
        }
        return token;
      },
      session({ session, token }) {
        // Only the id and email reach the client; nothing else is in the token anyway.
        const uid = typeof token.uid === "string" ? token.uid : "";
        return { ...session, user: { ...session.user, id: uid, email: token.email ?? "" } };
      },
    },
  };
}
