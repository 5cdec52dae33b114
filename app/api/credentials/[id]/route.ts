import { credentialIdParamsSchema } from "@/lib/schemas/credential";
import { sessionRoute } from "@/server/auth/trader-route";
import { deleteCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// DELETE /api/credentials/[id] – destroy one of the caller's stored API keys
export const DELETE = sessionRoute<{ id: string }>(
  async (_request, { userId, params }) => {
    const { id } = credentialIdParamsSchema.parse(params);
    await deleteCredential(await getDb(), userId, id);
    return new Response(null, { status: 204 });
  },
  { mutation: true, recentAuth: true },
);
