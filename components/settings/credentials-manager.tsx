"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";

import { ReauthDialog } from "@/components/auth/reauth-dialog";
import { useReauth } from "@/components/auth/use-reauth";
import { Badge } from "@/components/ui/badge";
import { ENVIRONMENT_LABELS } from "@/lib/kalshi-environments";
import {
  credentialListSchema,
  type CredentialView,
  type KalshiEnvironmentName,
} from "@/lib/schemas/credential";

export interface CredentialsManagerProps {
  credentials: CredentialView[];
  /** Environments this server can reach; "sim" enables the one-click simulator account. */
  environments: KalshiEnvironmentName[];
}

type FieldErrors = Partial<Record<"label" | "environment" | "apiKeyId" | "privateKeyPem", string>>;

const inputClass =
  "w-full rounded-md border border-line bg-surface px-3 py-2 text-sm outline-none focus:border-accent aria-[invalid=true]:border-no";

const envTone = { sim: "info", demo: "warning", prod: "negative" } as const;

/**
 * The API keys page's island: list (label, environment, key id, fingerprint —
 * never the key), choose the active key, delete, add one, or create a
 * simulator account. Mutations go through /api/credentials/** and re-auth
 * when the server asks. Afterwards the list is re-read from GET
 * /api/credentials (a router refresh alone can be dropped when it races
 * another navigation) and the page re-renders from the server.
 */
export function CredentialsManager({
  credentials: initialCredentials,
  environments,
}: CredentialsManagerProps) {
  const router = useRouter();
  const [credentials, setCredentials] = useState(initialCredentials);
  // A server re-render (router.refresh, navigation) brings a newer list.
  const [propsSeen, setPropsSeen] = useState(initialCredentials);
  if (propsSeen !== initialCredentials) {
    setPropsSeen(initialCredentials);
    setCredentials(initialCredentials);
  }
  const { run, dialogProps } = useReauth();
  const [refreshing, startRefresh] = useTransition();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function mutate(
    key: string,
    send: () => Promise<Response>,
    success: string,
  ): Promise<boolean> {
    setBusy(key);
    setNotice(null);
    try {
      const result = await run(send);
      if (!result.ok) {
        if (result.error.code !== "cancelled")
          setNotice({ tone: "error", text: result.error.message });
        if (result.error.field) setFieldErrors({ [result.error.field]: result.error.message });
        return false;
      }
      // The list first, then the notice: "created" beside a list that still
      // says "No API key yet" reads as a failure.
      await reloadList();
      setNotice({ tone: "ok", text: success });
      startRefresh(() => router.refresh());
      return true;
    } catch {
      setNotice({ tone: "error", text: "Could not reach the server. Try again." });
      return false;
    } finally {
      setBusy(null);
    }
  }

  /** Re-reads the stored keys; on failure the server re-render still brings them. */
  async function reloadList(): Promise<void> {
    try {
      const response = await fetch("/api/credentials", { cache: "no-store" });
      if (!response.ok) return;
      const parsed = credentialListSchema.safeParse(await response.json());
      if (parsed.success) setCredentials(parsed.data.credentials);
    } catch {
      // Offline for a moment: router.refresh() below tries again.
    }
  }

  const post = (url: string, body?: unknown) => () =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });

  async function addKey(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setFieldErrors({});
    const ok = await mutate(
      "add",
      post("/api/credentials", {
        label: data.get("label"),
        environment: data.get("environment"),
        apiKeyId: data.get("apiKeyId"),
        privateKeyPem: data.get("privateKeyPem"),
      }),
      "Key checked with the exchange and stored encrypted.",
    );
    if (ok) form.reset();
  }

  return (
    <div className="space-y-8">
      <ReauthDialog {...dialogProps} purpose="change your API keys" />

      {notice ? (
        <p
          role={notice.tone === "error" ? "alert" : "status"}
          className={`rounded-md border px-3 py-2 text-sm ${notice.tone === "error" ? "border-no/30 bg-no/10 text-no" : "border-yes/30 bg-yes/10 text-yes"}`}
        >
          {notice.text}
        </p>
      ) : null}

      <section aria-labelledby="stored-keys">
        <h2 id="stored-keys" className="mb-3 text-sm font-semibold text-ink-muted uppercase">
          Stored keys
        </h2>
        {credentials.length === 0 ? (
          <p className="rounded-md border border-dashed border-line p-4 text-sm text-ink-muted">
            No API key yet. Add one below
            {environments.includes("sim") ? ", or create a simulator account" : ""}.
          </p>
        ) : (
          <ul className="divide-y divide-line rounded-md border border-line">
            {credentials.map((credential) => (
              <li key={credential.id} className="flex flex-wrap items-center gap-3 p-3">
                <div className="min-w-0 flex-1">
                  <div className="flex items-center gap-2">
                    <span className="font-medium">{credential.label}</span>
                    <Badge tone={envTone[credential.environment]}>
                      {ENVIRONMENT_LABELS[credential.environment]}
                    </Badge>
                    {credential.active ? (
                      <Badge tone="positive" dot>
                        Active
                      </Badge>
                    ) : null}
                  </div>
                  <div className="mt-1 font-mono text-xs text-ink-muted">
                    key id {credential.apiKeyId} · fingerprint {credential.fingerprint}
                  </div>
                </div>
                {!credential.active ? (
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() =>
                      mutate(
                        `activate:${credential.id}`,
                        post(`/api/credentials/${credential.id}/activate`),
                        `Now trading with “${credential.label}”.`,
                      )
                    }
                    className="rounded-md border border-line px-2 py-1 text-sm hover:border-accent disabled:opacity-60"
                  >
                    Make active
                  </button>
                ) : null}
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => {
                    if (
                      !window.confirm(`Delete “${credential.label}”? The stored key is destroyed.`)
                    )
                      return;
                    void mutate(
                      `delete:${credential.id}`,
                      () => fetch(`/api/credentials/${credential.id}`, { method: "DELETE" }),
                      `Deleted “${credential.label}”.`,
                    );
                  }}
                  className="rounded-md border border-line px-2 py-1 text-sm text-no hover:border-no disabled:opacity-60"
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {environments.includes("sim") ? (
        <section
          aria-labelledby="sim-account"
          className="rounded-md border border-accent/30 bg-accent/5 p-4"
        >
          <h2 id="sim-account" className="text-sm font-semibold">
            Try it on the simulator
          </h2>
          <p className="mt-1 mb-3 text-sm text-ink-muted">
            Creates a funded simulated account and stores its key here, so you can trade right away.
          </p>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() =>
              mutate(
                "sim",
                post("/api/credentials/sim-account"),
                "Simulator account created and stored.",
              )
            }
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-surface disabled:opacity-60"
          >
            {busy === "sim" ? "Creating…" : "Create simulator account"}
          </button>
        </section>
      ) : null}

      <section aria-labelledby="add-key">
        <h2 id="add-key" className="mb-3 text-sm font-semibold text-ink-muted uppercase">
          Add a Kalshi API key
        </h2>
        <form
          onSubmit={addKey}
          className="space-y-4 rounded-md border border-line bg-panel p-4"
          noValidate
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label="Label" name="label" error={fieldErrors.label}>
              <input
                id="label"
                name="label"
                required
                maxLength={60}
                placeholder="Main account"
                className={inputClass}
                aria-invalid={fieldErrors.label ? true : undefined}
              />
            </Field>
            <Field label="Environment" name="environment" error={fieldErrors.environment}>
              <select
                id="environment"
                name="environment"
                className={inputClass}
                defaultValue={environments[0]}
                aria-invalid={fieldErrors.environment ? true : undefined}
              >
                {environments.map((env) => (
                  <option key={env} value={env}>
                    {ENVIRONMENT_LABELS[env]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="API key id" name="apiKeyId" error={fieldErrors.apiKeyId}>
              <input
                id="apiKeyId"
                name="apiKeyId"
                required
                autoComplete="off"
                spellCheck={false}
                className={`${inputClass} font-mono`}
                aria-invalid={fieldErrors.apiKeyId ? true : undefined}
              />
            </Field>
          </div>
          <Field label="Private key (PEM)" name="privateKeyPem" error={fieldErrors.privateKeyPem}>
            <textarea
              id="privateKeyPem"
              name="privateKeyPem"
              required
              rows={6}
              autoComplete="off"
              spellCheck={false}
              placeholder={"-----BEGIN RSA PRIVATE KEY-----\n…\n-----END RSA PRIVATE KEY-----"}
              className={`${inputClass} font-mono text-xs`}
              aria-invalid={fieldErrors.privateKeyPem ? true : undefined}
            />
          </Field>
          <p className="text-xs text-ink-faint">
            The key is checked with a signed balance request, then stored encrypted on this server.
            It is never shown again — only its fingerprint.
          </p>
          <button
            type="submit"
            disabled={busy !== null || refreshing}
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-surface disabled:opacity-60"
          >
            {busy === "add" ? "Checking with the exchange…" : "Check and store key"}
          </button>
        </form>
      </section>
    </div>
  );
}

function Field({
  label,
  name,
  error,
  children,
}: {
  label: string;
  name: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm text-ink-muted">
        {label}
      </label>
      {children}
      {error ? <p className="text-sm text-no">{error}</p> : null}
    </div>
  );
}
