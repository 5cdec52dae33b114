/**
 * The gateway's authenticator in the running app: the session cookie is read
 * by server/auth (Auth.js JWT, absolute lifetime checked) and the credential
 * comes from the key vault, exactly as the BFF routes resolve them. A
 * revoked session (signed out) is refused like a missing one.
 */
import { readSessionFromCookieHeader } from "@/server/auth/session";
import { onCredentialChange } from "@/server/credentials/credential-events";
import { loadActiveCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";
import {
  CredentialUnreadableError,
  type GatewayAuthenticator,
} from "@/server/gateway/authenticate";
import { AppError } from "@/server/http/app-error";
import { VaultError } from "@/server/vault/vault";

export const appAuthenticator: GatewayAuthenticator = {
  async fromCookies(cookieHeader) {
    const claims = await readSessionFromCookieHeader(cookieHeader ?? null);
    return claims ? { userId: claims.userId, sessionId: claims.sessionId } : null;
  },
  async credentialFor(userId) {
    try {
      return await loadActiveCredential(await getDb(), userId);
    } catch (error) {
      // Same wording as the REST routes (server/auth/trader-route.ts); never key material.
      if (error instanceof VaultError)
        throw new CredentialUnreadableError(
          "Your active API key could not be opened on this server. Delete it and add it again in Settings → API keys.",
        );
      if (error instanceof AppError && error.code === "credential_environment_unavailable")
        throw new CredentialUnreadableError(error.message);
      throw error;
    }
  },
  onCredentialChange,
};
