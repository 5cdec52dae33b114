import { credentialIdParamsSchema } from "@/lib/schemas/credential";
import { auditRequest } from "@/server/auth/audit";
import { sessionRoute } from "@/server/auth/trader-route";
import { activateCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// POST /api/credentials/[id]/activate – trade with this one of the caller's API keys
export const POST = sessionRoute<{ id: string }>(
  async (request, { userId, params }) => {
    const { id } = credentialIdParamsSchema.parse(params);
    const credential = await activateCredential(await getDb(), userId, id);
    await auditRequest(request, userId, "key_activated", credential.label);
    return Response.json({ credential });
  },
  { mutation: true, recentAuth: true },
);
