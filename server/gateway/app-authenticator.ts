/**
 * The gateway's authenticator in the running app: the session cookie is read
 * by server/auth (Auth.js JWT, absolute lifetime checked) and the credential
 * comes from the key vault, exactly as the BFF routes resolve them. A
 * revoked session (signed out) is refused like a missing one.
 */
import { readSessionFromCookieHeader } from "@/server/auth/session";
import { loadActiveCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";
import type { GatewayAuthenticator } from "@/server/gateway/authenticate";

export const appAuthenticator: GatewayAuthenticator = {
  async fromCookies(cookieHeader) {
    const claims = await readSessionFromCookieHeader(cookieHeader ?? null);
    return claims ? { userId: claims.userId, sessionId: claims.sessionId } : null;
  },
  async credentialFor(userId) {
    return loadActiveCredential(await getDb(), userId);
  },
};
