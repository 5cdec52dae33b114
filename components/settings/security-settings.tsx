"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { readApiError } from "@/lib/api-error";
import {
  SECURITY_EVENT_LABELS,
  type SecurityEventView,
  type SessionView,
} from "@/lib/schemas/security";

export interface SecuritySettingsProps {
  sessions: SessionView[];
  events: SecurityEventView[];
}

const inputClass =
  "w-full rounded-md border border-line bg-surface px-3 py-2 text-sm outline-none focus:border-accent aria-[invalid=true]:border-no";
const buttonClass =
  "rounded-md border border-line px-2 py-1 text-sm hover:border-accent disabled:opacity-60";

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A short browser name from a User-Agent (the full string is in the title). */
function browserOf(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const match = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(userAgent);
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent)?.[1];
  const name = match?.[1] === "Edg" ? "Edge" : (match?.[1] ?? "Browser");
  return os ? `${name} on ${os.replace("Mac OS X", "macOS")}` : name;
}

/**
 * Settings → Security: live sessions with revoke and "sign out everywhere",
 * a password change (signs out every other session), and the security log.
 */
export function SecuritySettings({ sessions, events }: SecuritySettingsProps) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function send(key: string, request: () => Promise<Response>, success: string) {
    setBusy(key);
    setNotice(null);
    setFieldErrors({});
    try {
      const response = await request();
      if (!response.ok) {
        const error = await readApiError(response);
        if (error.field) setFieldErrors({ [error.field]: error.message });
        setNotice({ tone: "error", text: error.message });
        return false;
      }
      setNotice({ tone: "ok", text: success });
      return true;
    } catch {
      setNotice({ tone: "error", text: "Could not reach the server. Try again." });
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function revoke(session: SessionView) {
    const ok = await send(
      session.id,
      () => fetch(`/api/account/sessions/${session.id}`, { method: "DELETE" }),
      "The session was signed out.",
    );
    // A full page load after signing out drops every client cache of private data.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    if (ok && session.current) window.location.assign("/sign-in");
    else if (ok) router.refresh();
  }

  async function signOutEverywhere() {
    const ok = await send(
      "all",
      () => fetch("/api/account/sessions", { method: "DELETE" }),
      "Signed out everywhere.",
    );
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load drops cached private data
    if (ok) window.location.assign("/sign-in");
  }

  async function changePassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const ok = await send(
      "password",
      () =>
        fetch("/api/account/password", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            currentPassword: data.get("currentPassword"),
            newPassword: data.get("newPassword"),
          }),
        }),
      "Password changed. Every other session was signed out.",
    );
    if (ok) {
      form.reset();
      router.refresh();
    }
  }

  return (
    <div className="space-y-8">
      {notice ? (
        <p
          role={notice.tone === "error" ? "alert" : "status"}
          className={`rounded-md border px-3 py-2 text-sm ${notice.tone === "error" ? "border-no/30 bg-no/10 text-no" : "border-yes/30 bg-yes/10 text-yes"}`}
        >
          {notice.text}
        </p>
      ) : null}

      <section aria-labelledby="sessions">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 id="sessions" className="text-sm font-semibold text-ink-muted uppercase">
            Active sessions
          </h2>
          <button
            type="button"
            className={`${buttonClass} text-no hover:border-no`}
            disabled={busy !== null}
            onClick={() => void signOutEverywhere()}
          >
            Sign out everywhere
          </button>
        </div>
        <ul className="divide-y divide-line rounded-md border border-line">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center gap-3 p-3">
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-2">
                  <span className="font-medium" title={session.userAgent ?? undefined}>
                    {browserOf(session.userAgent)}
                  </span>
                  {session.current ? (
                    <span className="rounded bg-accent/15 px-1.5 py-0.5 text-xs text-accent">
                      This browser
                    </span>
                  ) : null}
                </div>
                <div className="mt-1 text-xs text-ink-muted">
                  Signed in {when(session.createdAt)} · last seen {when(session.lastSeenAt)}
                </div>
              </div>
              <button
                type="button"
                className={buttonClass}
                disabled={busy !== null}
                onClick={() => void revoke(session)}
              >
                {session.current ? "Sign out" : "Revoke"}
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="change-password">
        <h2 id="change-password" className="mb-3 text-sm font-semibold text-ink-muted uppercase">
          Change password
        </h2>
        <form
          onSubmit={(event) => void changePassword(event)}
          className="space-y-4 rounded-md border border-line bg-panel p-4"
          noValidate
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="space-y-1">
              <label htmlFor="currentPassword" className="block text-sm text-ink-muted">
                Current password
              </label>
              <input
                id="currentPassword"
                name="currentPassword"
                type="password"
                autoComplete="current-password"
                className={inputClass}
                aria-invalid={fieldErrors.currentPassword ? true : undefined}
              />
              {fieldErrors.currentPassword ? (
                <p className="text-sm text-no">{fieldErrors.currentPassword}</p>
              ) : null}
            </div>
            <div className="space-y-1">
              <label htmlFor="newPassword" className="block text-sm text-ink-muted">
                New password
              </label>
              <input
                id="newPassword"
                name="newPassword"
                type="password"
                autoComplete="new-password"
                className={inputClass}
                aria-invalid={fieldErrors.newPassword ? true : undefined}
              />
              {fieldErrors.newPassword ? (
                <p className="text-sm text-no">{fieldErrors.newPassword}</p>
              ) : null}
            </div>
          </div>
          <button
            type="submit"
            disabled={busy !== null}
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-surface disabled:opacity-60"
          >
            Change password
          </button>
        </form>
      </section>

      <section aria-labelledby="security-log">
        <h2 id="security-log" className="mb-3 text-sm font-semibold text-ink-muted uppercase">
          Security log
        </h2>
        {events.length === 0 ? (
          <p className="rounded-md border border-dashed border-line p-4 text-sm text-ink-muted">
            Nothing recorded yet.
          </p>
        ) : (
          <ol className="divide-y divide-line rounded-md border border-line text-sm">
            {events.map((event) => (
              <li key={event.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 p-3">
                <span className={`font-medium ${event.kind.endsWith("_failed") ? "text-no" : ""}`}>
                  {SECURITY_EVENT_LABELS[event.kind]}
                </span>
                {event.detail ? <span className="text-ink-muted">{event.detail}</span> : null}
                <span className="ml-auto font-mono text-xs text-ink-faint">
                  {when(event.createdAt)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
