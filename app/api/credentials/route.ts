import { addCredentialSchema } from "@/lib/schemas/credential";
import { auditRequest } from "@/server/auth/audit";
import { parseJsonBody } from "@/server/auth/request-body";
import { sessionRoute } from "@/server/auth/trader-route";
import { availableEnvironments } from "@/server/credentials/endpoints";
import { onboardCredential } from "@/server/credentials/onboard-credential";
import { listCredentials } from "@/server/credentials/store";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// GET /api/credentials – the signed-in user's API keys (fingerprints only, never a key)
export const GET = sessionRoute(async (_request, { userId }) =>
  Response.json({
    credentials: await listCredentials(await getDb(), userId),
    environments: availableEnvironments(),
  }),
);

// POST /api/credentials – validate a Kalshi API key with a signed call, then store it encrypted
export const POST = sessionRoute(
  async (request, { userId }) => {
    const input = await parseJsonBody(request, addCredentialSchema);
    const credential = await onboardCredential(await getDb(), userId, input);
    await auditRequest(
      request,
      userId,
      "key_added",
      `${credential.label} (${credential.environment})`,
    );
    return Response.json({ credential }, { status: 201 });
  },
  { mutation: true, recentAuth: true },
);
