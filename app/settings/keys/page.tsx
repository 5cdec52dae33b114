import type { Metadata } from "next";

import { CredentialsManager } from "@/components/settings/credentials-manager";
import { SettingsNav } from "@/components/settings/settings-nav";
import { requirePageSession } from "@/server/auth/page-session";
import { availableEnvironments } from "@/server/credentials/endpoints";
import { listCredentials } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

// GET /settings/keys – the signed-in user's Kalshi API keys
export default async function ApiKeysPage() {
  const session = await requirePageSession("/settings/keys");
  const credentials = await listCredentials(await getDb(), session.userId);
  return (
    <main className="mx-auto max-w-3xl px-4 py-6">
      <h1 className="mb-1 text-lg font-semibold tracking-tight">API keys</h1>
      <p className="mb-6 text-sm text-ink-muted">
        The server signs every exchange request with your active key. Keys are encrypted at rest and
        never sent back to a browser.
      </p>
      <SettingsNav current="/settings/keys" />
      <CredentialsManager credentials={credentials} environments={availableEnvironments()} />
    </main>
  );
}
