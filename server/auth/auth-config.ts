/**
 * The Auth.js (next-auth v5) configuration: email + password through the
 * Credentials provider, GitHub / Google only when their variables are set,
 * JWT sessions that end SESSION_MAX_HOURS after sign-in and whose `sid` names
 * a `sessions` row (revoked on sign-out, so the cookie dies with it),
 * HttpOnly SameSite=Lax cookies, Secure outside development. Password checks
 * are throttled (server/auth/password-attempts.ts).
 *
 * Built lazily on the first request so `next build` never needs secrets.
 */
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";

import { signInSchema } from "@/lib/schemas/auth";
import { getServerConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { logAuthEvent, recordSecurityEvent } from "@/server/auth/audit";
import { attemptErrorMessage, signInWithPassword } from "@/server/auth/password-attempts";
import { currentRequestMeta, requestMetaFrom, storedMeta } from "@/server/auth/request-meta";
import { getAuthSecret, secureCookiesEnabled, sessionNow } from "@/server/auth/session";
import { createSession, isSessionLive, revokeSession } from "@/server/auth/session-store";
import { findOrCreateOAuthUser } from "@/server/auth/users";

/** A refused attempt (locked, busy): Auth.js puts `code` in its error redirect, and the form says why. */
export class AttemptRefused extends CredentialsSignin {
  constructor(
    readonly refusal: string,
    override readonly message: string,
  ) {
    super(message);
    this.code = refusal;
  }
}

/** The Auth.js configuration for this process. */
export function buildAuthConfig(): NextAuthConfig {
  const config = getServerConfig();
  const maxAge = config.auth.sessionMaxHours * 3600;
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        try {
          const user = await signInWithPassword(
            await getDb(),
            parsed.data,
            requestMetaFrom(request.headers),
            sessionNow(),
            "credentials",
          );
          return user ? { id: user.id, email: user.email } : null;
        } catch (error) {
          const message = attemptErrorMessage(error);
          if (message !== null && error instanceof Error && "code" in error)
            throw new AttemptRefused(String(error.code), message);
          throw error;
        }
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
      // Auth.js errors can carry request details; log the kind only. `type`
      // survives minification (a production build renames classes: `name`
      // came out as "l"). Failed password checks are logged by
      // password-attempts with their reason, so they are not repeated here.
      error: (error) => {
        const type = (error as { type?: unknown }).type;
        const kind = typeof type === "string" ? type : error.name;
        if (kind === "CredentialsSignin") return;
        console.error(JSON.stringify({ at: "auth", what: "auth error", error: kind }));
      },
      warn: (code) => console.warn(JSON.stringify({ at: "auth", what: "auth warning", code })),
      debug: () => {},
    },
    events: {
      // Sign-out (the header's button, or POST /api/auth/signout): the cookie
      // is cleared by Auth.js, and its session row is revoked so a copy of the
      // cookie kept elsewhere is refused from now on.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token || typeof token.uid !== "string" || typeof token.sid !== "string") return;
        const db = await getDb();
        if (await revokeSession(db, token.uid, token.sid, sessionNow())) {
          await recordSecurityEvent(db, {
            userId: token.uid,
            kind: "sign_out",
            meta: await currentRequestMeta(),
          });
          logAuthEvent({ what: "signed out", account: token.uid });
        }
      },
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
          if (!uid) throw new Error("signed-in user has no id");
          const db = await getDb();
          const meta = await currentRequestMeta();
          const sid = await createSession(db, uid, storedMeta(meta), now);
          await recordSecurityEvent(db, {
            userId: uid,
            kind: "sign_in",
            detail: account.provider === "credentials" ? "password" : account.provider,
            meta,
          });
          return { sub: uid, email, uid, sid, signedInAt: now, authTime: now };
        }
        // Auth.js re-reads (and re-issues) the cookie on /api/auth/session:
        // a revoked session ends there too (null clears the cookie).
        if (typeof token.uid !== "string" || typeof token.sid !== "string") return null;
        return (await isSessionLive(await getDb(), token.sid, token.uid, sessionNow()))
          ? token
          : null;
      },
      session({ session, token }) {
        // Only the id and email reach the client; nothing else is in the token anyway.
        const uid = typeof token.uid === "string" ? token.uid : "";
        return { ...session, user: { ...session.user, id: uid, email: token.email ?? "" } };
      },
    },
  };
}
