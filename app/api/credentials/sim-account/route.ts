import { createSimAccountSchema } from "@/lib/schemas/credential";
import { parseJsonBody } from "@/server/auth/request-body";
import { sessionRoute } from "@/server/auth/trader-route";
import { createSimulatorCredential } from "@/server/credentials/onboard-credential";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// POST /api/credentials/sim-account – create a funded simulator account and store its key
export const POST = sessionRoute(
  async (request, { userId }) => {
    const input = await parseJsonBody(request, createSimAccountSchema);
    return Response.json(
      { credential: await createSimulatorCredential(await getDb(), userId, input) },
      { status: 201 },
    );
  },
  { mutation: true, recentAuth: true },
);
