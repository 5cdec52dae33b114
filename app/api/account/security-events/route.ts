import { listSecurityEvents } from "@/server/auth/audit";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// GET /api/account/security-events – the caller's security log, newest first
export const GET = sessionRoute(async (_request, { userId }) =>
  Response.json({ events: await listSecurityEvents(await getDb(), userId) }),
);
