/**
 * The one wrapper every BFF route handler sits behind. It resolves the
 * signed-in user from the session cookie, refuses cross-site mutations,
 * optionally demands a recent sign-in, resolves the caller's own active
 * Kalshi credential, awaits the route params, and funnels every error through
 * `toErrorResponse`. Handlers never see another user's credential.
 */
import type { KeyObject } from "node:crypto";

import { isRecentAuth, readRequestSession, sessionNow, sessionPolicy } from "@/server/auth/session";
import { loadActiveCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";
import { AppError, appErrors, toErrorResponse } from "@/server/http/app-error";
import { VaultError } from "@/server/vault/vault";

export type KalshiEnvironment = "sim" | "demo" | "prod";

export interface ActiveCredential {
  id: string;
  label: string;
  environment: KalshiEnvironment;
  apiKeyId: string;
  /** Parsed once, cached per credential id + key version; never the PEM. */
  privateKey: KeyObject;
  restBaseUrl: string;
  wsUrl: string;
}

export interface TraderContext {
  userId: string;
  credential: ActiveCredential;
}

export interface SessionContext {
  userId: string;
  email: string;
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
      return await handler(request, { userId: session.userId, credential, params });
    } catch (error) {
      return toErrorResponse(error, { at: routeLabel(request) });
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
      return await handler(request, { ...session, params });
    } catch (error) {
      return toErrorResponse(error, { at: routeLabel(request) });
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
  return { userId: claims.userId, email: claims.email };
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
 * site's origin (as the browser addressed it, possibly through a proxy). With
 * no Origin, only `Sec-Fetch-Site: same-origin` passes; anything else — other
 * sites, `null` origins, clients that send neither — gets 403.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (request.headers.get("sec-fetch-site") === "same-origin") return;
    throw appErrors.forbiddenOrigin();
  }
  if (!allowedOrigins(request).has(origin)) throw appErrors.forbiddenOrigin();
}

function allowedOrigins(request: Request): Set<string> {
  const allowed = new Set<string>();
  const url = new URL(request.url);
  allowed.add(url.origin);
  const configured = process.env.AUTH_URL ?? process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      allowed.add(new URL(configured).origin);
    } catch {
      // An unparsable AUTH_URL allows nothing extra.
    }
  }
  // Behind a proxy the request URL names the internal address; the browser saw the forwarded one.
  const host =
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? request.headers.get("host");
  if (host) {
    const proto =
      request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ??
      url.protocol.replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  return allowed;
}

function routeLabel(request: Request): string {
  return `api ${request.method} ${new URL(request.url).pathname}`;
}
