import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { oauthSignInAction, signUpAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth/auth-form";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { PASSWORD_MIN_LENGTH } from "@/lib/schemas/auth";
import { getServerConfig } from "@/server/config";
import { getPageSession } from "@/server/auth/page-session";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

// GET /sign-up – create an account with email + password
export default async function SignUpPage() {
  if (await getPageSession()) redirect("/settings/keys");
  const { auth } = getServerConfig();
  const providers = [auth.github ? "github" : null, auth.google ? "google" : null].filter(
    (p): p is "github" | "google" => p !== null,
  );
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold tracking-tight">Create an account</h1>
      <p className="mb-6 text-sm text-ink-muted">
        Then add a Kalshi API key, or a simulator account in one click.
      </p>
      <AuthForm mode="sign-up" action={signUpAction} passwordMinLength={PASSWORD_MIN_LENGTH} />
      <OAuthButtons providers={providers} action={oauthSignInAction} />
    </>
  );
}
