import { createSimAccountSchema } from "@/lib/schemas/credential";
import { auditRequest } from "@/server/auth/audit";
import { parseJsonBody } from "@/server/auth/request-body";
import { sessionRoute } from "@/server/auth/trader-route";
import { createSimulatorCredential } from "@/server/credentials/onboard-credential";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// POST /api/credentials/sim-account – create a funded simulator account and store its key
export const POST = sessionRoute(
  async (request, { userId }) => {
    const input = await parseJsonBody(request, createSimAccountSchema);
    const credential = await createSimulatorCredential(await getDb(), userId, input);
    await auditRequest(request, userId, "key_added", `${credential.label} (simulator account)`);
    return Response.json({ credential }, { status: 201 });
  },
  { mutation: true, recentAuth: true },
);
