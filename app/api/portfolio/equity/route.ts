import { EquityQuery, SnapshotBody } from "@/lib/schemas/portfolio-history";
import { parseJsonBody } from "@/server/auth/request-body";
import { traderRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";
import { parseQuery } from "@/server/http/query";
import { equitySeries } from "@/server/portfolio/equity-store";
import { takeSnapshot } from "@/server/portfolio/take-snapshot";

// GET /api/portfolio/equity – the recorded equity curve of the account or one subaccount
export const GET = traderRoute(async (request, { userId, credential }) => {
  const query = parseQuery(request, EquityQuery);
  return Response.json(
    await equitySeries(await getDb(), {
      userId,
      credentialId: credential.id,
      range: query.range,
      subaccount: query.subaccount ?? null,
      now: Date.now(),
    }),
  );
});

// POST /api/portfolio/equity – record a snapshot now (the page asks after a fill it saw stream in)
export const POST = traderRoute(
  async (request, { userId, credential }) => {
    const body = await parseJsonBody(request, SnapshotBody);
    await takeSnapshot(await getDb(), { userId, credential, reason: body.reason });
    return Response.json({ recorded: true }, { status: 201 });
  },
  { mutation: true },
);
