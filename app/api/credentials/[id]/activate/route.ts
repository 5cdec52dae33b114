import { credentialIdParamsSchema } from "@/lib/schemas/credential";
import { sessionRoute } from "@/server/auth/trader-route";
import { activateCredential } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// POST /api/credentials/[id]/activate – trade with this one of the caller's API keys
export const POST = sessionRoute<{ id: string }>(
  async (_request, { userId, params }) => {
    const { id } = credentialIdParamsSchema.parse(params);
    return Response.json({ credential: await activateCredential(await getDb(), userId, id) });
  },
  { mutation: true, recentAuth: true },
);
