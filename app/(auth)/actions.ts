"use server";

/**
 * Server actions behind the sign-in, sign-up and sign-out forms. Validation
 * happens here, on the server; the forms only display what comes back.
 */
import { AuthError } from "next-auth";

import { signIn, signOut } from "@/auth";
import { signInSchema, signUpSchema } from "@/lib/schemas/auth";
import { AttemptRefused } from "@/server/auth/auth-config";
import { safeReturnPath } from "@/server/auth/page-session";
import {
  attemptErrorMessage,
  passwordRetryAfterSeconds,
  takeSignUpAllowance,
} from "@/server/auth/password-attempts";
import { currentRequestMeta } from "@/server/auth/request-meta";
import { sessionNow } from "@/server/auth/session";
import { createUser } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/http/app-error";

export interface AuthFormState {
  /** A message for the whole form. */
  message?: string;
  /** Messages per field name. */
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  /** What the user typed in the email field, so a failed submit keeps it. */
  email?: string;
}

function fieldErrorsOf(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): AuthFormState["fieldErrors"] {
  const errors: AuthFormState["fieldErrors"] = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if ((field === "email" || field === "password") && !errors[field])
      errors[field] = issue.message;
  }
  return errors;
}

/** Signs in with email + password; Auth.js sets the session cookie and redirects. */
export async function signInAction(
  _previous: AuthFormState,
  form: FormData,
): Promise<AuthFormState> {
  const email = String(form.get("email") ?? "");
  const parsed = signInSchema.safeParse({ email, password: form.get("password") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error.issues), email };
  // Locked: say so before any password work (the check inside Auth.js stays as the backstop).
  const { address } = await currentRequestMeta();
  const wait = passwordRetryAfterSeconds({ account: parsed.data.email, address }, sessionNow());
  if (wait > 0) return { message: `Too many attempts. Try again in ${wait} s.`, email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeReturnPath(form.get("callbackUrl")),
    });
  } catch (error) {
    // Success is a redirect thrown by signIn; only Auth.js failures are ours to report.
    const refused = refusalMessage(error);
    if (refused) return { message: refused, email };
    if (error instanceof AuthError)
      return { message: "The email or password is not right.", email };
    throw error;
  }
  return {};
}

/** Creates an account, signs it in, and sends the newcomer to API key setup. */
export async function signUpAction(
  _previous: AuthFormState,
  form: FormData,
): Promise<AuthFormState> {
  const email = String(form.get("email") ?? "");
  const parsed = signUpSchema.safeParse({ email, password: form.get("password") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error.issues), email };
  try {
    takeSignUpAllowance((await currentRequestMeta()).address, sessionNow());
    await createUser(await getDb(), parsed.data);
  } catch (error) {
    const refused = attemptErrorMessage(error);
    if (refused) return { message: refused, email };
    if (error instanceof AppError && error.field === "email")
      return { fieldErrors: { email: error.message }, email };
    throw error;
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: "/settings/keys",
    });
  } catch (error) {
    if (error instanceof AuthError)
      return { message: "Your account was created; sign in to continue.", email };
    throw error;
  }
  return {};
}

/** The message for a refused (locked, busy) attempt, however Auth.js wrapped it. */
function refusalMessage(error: unknown): string | null {
  if (error instanceof AttemptRefused) return error.message;
  const cause =
    error instanceof AuthError ? (error.cause as { err?: unknown } | undefined)?.err : undefined;
  if (cause instanceof AttemptRefused) return cause.message;
  return attemptErrorMessage(cause ?? error);
}

/** Starts an OAuth sign-in (only offered when the provider is configured). */
export async function oauthSignInAction(form: FormData): Promise<void> {
  const provider = form.get("provider");
  if (provider !== "github" && provider !== "google") return;
  await signIn(provider, { redirectTo: safeReturnPath(form.get("callbackUrl")) });
}

/** Ends the session and returns to the sign-in page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
