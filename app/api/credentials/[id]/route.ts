import { credentialIdParamsSchema } from "@/lib/schemas/credential";
import { auditRequest } from "@/server/auth/audit";
import { sessionRoute } from "@/server/auth/trader-route";
import { deleteCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// DELETE /api/credentials/[id] – destroy one of the caller's stored API keys
export const DELETE = sessionRoute<{ id: string }>(
  async (request, { userId, params }) => {
    const { id } = credentialIdParamsSchema.parse(params);
    const removed = await deleteCredential(await getDb(), userId, id);
    await auditRequest(request, userId, "key_removed", removed.label);
    return new Response(null, { status: 204 });
  },
  { mutation: true, recentAuth: true },
);
