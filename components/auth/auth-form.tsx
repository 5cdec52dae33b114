"use client";

import Link from "next/link";
import { useActionState } from "react";

/** What the server action returns: the form shows it and nothing else. */
export interface AuthFormState {
  message?: string;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  email?: string;
}

export interface AuthFormProps {
  mode: "sign-in" | "sign-up";
  action: (previous: AuthFormState, form: FormData) => Promise<AuthFormState>;
  callbackUrl?: string;
  /** An error code from Auth.js's redirect (`?error=`), shown once. */
  initialError?: string;
  passwordMinLength: number;
}

const inputClass =
  "w-full rounded-md border border-line bg-surface px-3 py-2 text-sm outline-none focus:border-accent aria-[invalid=true]:border-no";

/** Email + password form for sign-in and sign-up; validation messages come from the server. */
export function AuthForm({
  mode,
  action,
  callbackUrl,
  initialError,
  passwordMinLength,
}: AuthFormProps) {
  const [state, formAction, pending] = useActionState(action, {
    message: initialError ? "The email or password is not right." : undefined,
  });
  const signUp = mode === "sign-up";
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <div className="space-y-1">
        <label htmlFor="email" className="block text-sm text-ink-muted">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email}
          aria-invalid={state.fieldErrors?.email ? true : undefined}
          aria-describedby={state.fieldErrors?.email ? "email-error" : undefined}
          className={inputClass}
        />
        {state.fieldErrors?.email ? (
          <p id="email-error" className="text-sm text-no">
            {state.fieldErrors.email}
          </p>
        ) : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="block text-sm text-ink-muted">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={signUp ? "new-password" : "current-password"}
          required
          minLength={signUp ? passwordMinLength : undefined}
          aria-invalid={state.fieldErrors?.password ? true : undefined}
          aria-describedby={
            state.fieldErrors?.password ? "password-error" : signUp ? "password-hint" : undefined
          }
          className={inputClass}
        />
        {state.fieldErrors?.password ? (
          <p id="password-error" className="text-sm text-no">
            {state.fieldErrors.password}
          </p>
        ) : signUp ? (
          <p id="password-hint" className="text-xs text-ink-faint">
            At least {passwordMinLength} characters.
          </p>
        ) : null}
      </div>
      {state.message ? (
        <p
          role="alert"
          className="rounded-md border border-no/30 bg-no/10 px-3 py-2 text-sm text-no"
        >
          {state.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-accent px-3 py-2 text-sm font-medium text-surface disabled:opacity-60"
      >
        {pending ? "…" : signUp ? "Create account" : "Sign in"}
      </button>
      <p className="text-center text-sm text-ink-muted">
        {signUp ? (
          <>
            Already have an account?{" "}
            <Link href="/sign-in" className="text-accent hover:underline">
              Sign in
            </Link>
          </>
        ) : (
          <>
            New here?{" "}
            <Link href="/sign-up" className="text-accent hover:underline">
              Create an account
            </Link>
          </>
        )}
      </p>
    </form>
  );
}
