import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { oauthSignInAction, signInAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth/auth-form";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { PASSWORD_MIN_LENGTH } from "@/lib/schemas/auth";
import { getServerConfig } from "@/server/config";
import { getPageSession, safeReturnPath } from "@/server/auth/page-session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// GET /sign-in – email + password (and any configured OAuth provider)
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await getPageSession()) redirect(callbackUrl);
  const { auth } = getServerConfig();
  const providers = [auth.github ? "github" : null, auth.google ? "google" : null].filter(
    (p): p is "github" | "google" => p !== null,
  );
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold tracking-tight">Sign in</h1>
      <p className="mb-6 text-sm text-ink-muted">Trade on Kalshi with the keys you stored here.</p>
      <AuthForm
        mode="sign-in"
        action={signInAction}
        callbackUrl={callbackUrl}
        initialError={error}
        passwordMinLength={PASSWORD_MIN_LENGTH}
      />
      <OAuthButtons providers={providers} action={oauthSignInAction} callbackUrl={callbackUrl} />
    </>
  );
}
