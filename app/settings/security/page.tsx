import type { Metadata } from "next";

import { SecuritySettings } from "@/components/settings/security-settings";
import { SettingsNav } from "@/components/settings/settings-nav";
import { listSessionViews } from "@/server/auth/account-security";
import { listSecurityEvents } from "@/server/auth/audit";
import { requirePageSession } from "@/server/auth/page-session";
import { sessionNow } from "@/server/auth/session";
import { getDb } from "@/server/db/client";

export const metadata: Metadata = { title: "Security" };
export const dynamic = "force-dynamic";

// GET /settings/security – sessions, password change and the security log
export default async function SecurityPage() {
  const session = await requirePageSession("/settings/security");
  const db = await getDb();
  const [sessions, events] = await Promise.all([
    listSessionViews(db, session, sessionNow()),
    listSecurityEvents(db, session.userId),
  ]);
  return (
    <main className="mx-auto max-w-3xl px-4 py-6">
      <h1 className="mb-1 text-lg font-semibold tracking-tight">Settings</h1>
      <p className="mb-4 text-sm text-ink-muted">
        Where you are signed in, your password, and what happened to your account.
      </p>
      <SettingsNav current="/settings/security" />
      <SecuritySettings sessions={sessions} events={events} />
    </main>
  );
}
