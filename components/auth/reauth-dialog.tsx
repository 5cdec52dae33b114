"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";

import { readApiError } from "@/lib/api-error";

export interface ReauthDialogProps {
  open: boolean;
  /** Called after the server accepted the password (the session cookie is refreshed). */
  onConfirmed: () => void;
  onCancel: () => void;
  /** What the user was doing, e.g. "change your API keys". */
  purpose?: string;
}

/**
 * Asks for the password again when the server answered `reauth_required`
 * (orders and key changes need a recent sign-in), via `POST /api/auth/reauth`.
 */
export function ReauthDialog({
  open,
  onConfirmed,
  onCancel,
  purpose = "continue",
}: ReauthDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const password = new FormData(form).get("password");
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/reauth", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ password }),
      });
      if (!response.ok) {
        setError((await readApiError(response)).message);
        return;
      }
      form.reset();
      onConfirmed();
    } catch {
      setError("Could not reach the server. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      aria-labelledby="reauth-title"
      className="m-auto w-full max-w-sm rounded-lg border border-line bg-panel p-6 text-ink backdrop:bg-black/60"
    >
      <form onSubmit={submit} className="space-y-4">
        <h2 id="reauth-title" className="text-base font-semibold">
          Confirm it is you
        </h2>
        <p className="text-sm text-ink-muted">Enter your password to {purpose}.</p>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-label="Password"
          aria-invalid={error ? true : undefined}
          className="w-full rounded-md border border-line bg-surface px-3 py-2 text-sm outline-none focus:border-accent"
        />
        {error ? (
          <p role="alert" className="text-sm text-no">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onCancel}
            className="rounded-md border border-line px-3 py-1.5 text-sm"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-surface disabled:opacity-60"
          >
            Confirm
          </button>
        </div>
      </form>
    </dialog>
  );
}
