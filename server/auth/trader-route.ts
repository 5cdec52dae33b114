/**
 * The one wrapper every BFF route handler sits behind. It resolves the
 * signed-in user from the session cookie, refuses cross-site mutations,
 * optionally demands a recent sign-in, resolves the caller's own active
 * Kalshi credential, awaits the route params, and funnels every error through
 * `toErrorResponse`. Handlers never see another user's credential.
 */
import { isRecentAuth, readRequestSession, sessionNow, sessionPolicy } from "@/server/auth/session";
import { loadActiveCredential } from "@/server/credentials/store";
import type { ActiveCredential } from "@/server/credentials/types";
import { getDb } from "@/server/db/client";
import { AppError, appErrors, toErrorResponse } from "@/server/http/app-error";
import { isSameSiteOrigin } from "@/server/http/forwarded";
import { VaultError } from "@/server/vault/vault";

export type { ActiveCredential, KalshiEnvironment } from "@/server/credentials/types";

export interface TraderContext {
  userId: string;
  credential: ActiveCredential;
}

export interface SessionContext {
  userId: string;
  email: string;
  /** The `sessions` row of the caller's cookie. */
  sessionId: string;
}

export interface RouteOptions {
  /** A state-changing request: the Origin must be this site's. */
  mutation?: boolean;
  /** Needs a sign-in (or re-auth) newer than REAUTH_WINDOW_MINUTES. */
  recentAuth?: boolean;
}

type RouteArgs<P> = { params: Promise<P> };

/** Wraps a handler that needs a signed-in user and their active Kalshi credential. */
export function traderRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (request: Request, context: TraderContext & { params: P }) => Promise<Response>,
  options: RouteOptions = {},
): (request: Request, route: RouteArgs<P>) => Promise<Response> {
  return async (request, route) => {
    try {
      const session = await resolveRequestSession(request, options);
      const credential = await resolveCredential(session.userId);
      const params = await route.params;
      return privateAnswer(await handler(request, { userId: session.userId, credential, params }));
    } catch (error) {
      return privateAnswer(toErrorResponse(error, { at: routeLabel(request) }));
    }
  };
}

/** Wraps a handler that needs a signed-in user but no credential (settings, onboarding). */
export function sessionRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (request: Request, context: SessionContext & { params: P }) => Promise<Response>,
  options: RouteOptions = {},
): (request: Request, route: RouteArgs<P>) => Promise<Response> {
  return async (request, route) => {
    try {
      const session = await resolveRequestSession(request, options);
      const params = await route.params;
      return privateAnswer(await handler(request, { ...session, params }));
    } catch (error) {
      return privateAnswer(toErrorResponse(error, { at: routeLabel(request) }));
    }
  };
}

async function resolveRequestSession(
  request: Request,
  options: RouteOptions,
): Promise<SessionContext> {
  if (options.mutation) assertSameOrigin(request);
  const claims = await readRequestSession(request);
  if (!claims) throw appErrors.unauthenticated();
  if (options.recentAuth && !isRecentAuth(claims, sessionNow(), sessionPolicy())) {
    throw appErrors.reauthRequired();
  }
  return { userId: claims.userId, email: claims.email, sessionId: claims.sessionId };
}

/** A signed-in answer is never stored by a browser or a shared cache. */
function privateAnswer(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  return response;
}

async function resolveCredential(userId: string): Promise<ActiveCredential> {
  let credential: ActiveCredential | null;
  try {
    credential = await loadActiveCredential(await getDb(), userId);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    // Fail closed, say what to do, log the kind (never key material) once.
    console.error(
      JSON.stringify({
        at: "server/auth/trader-route",
        what: "stored credential failed to open",
        code: error.code,
        userId,
      }),
    );
    throw new AppError({
      code: "credential_unreadable",
      message:
        "Your active API key could not be opened on this server. Delete it and add it again in Settings → API keys.",
      status: 500,
    });
  }
  if (!credential) throw appErrors.noCredential();
  return credential;
}

/**
 * Cross-site request refusal for mutations: the Origin header must be this
 * site's origin as the browser addressed it (X-Forwarded-Host/-Proto count
 * only behind a trusted proxy, TRUST_PROXY; server/http/forwarded.ts, the
 * same rule as the gateway's). With no Origin, only
 * `Sec-Fetch-Site: same-origin` passes; anything else — other sites, `null`
 * origins, clients that send neither — gets 403.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (request.headers.get("sec-fetch-site") === "same-origin") return;
    throw appErrors.forbiddenOrigin();
  }
  // server/main.ts serves plain HTTP; TLS ends at a proxy, which must be trusted to say so.
  if (!isSameSiteOrigin(origin, request.headers, "http")) throw appErrors.forbiddenOrigin();
}

function routeLabel(request: Request): string {
  return `api ${request.method} ${new URL(request.url).pathname}`;
}
