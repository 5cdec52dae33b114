import { AddWatchlistBody } from "@/lib/schemas/watchlist";
import { parseJsonBody } from "@/server/auth/request-body";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";
import { addToWatchlist, listWatchlist } from "@/server/watchlist/watchlist";

export const dynamic = "force-dynamic";

// GET /api/watchlist – the signed-in user's watched markets, newest first
export const GET = sessionRoute(async (_request, { userId }) =>
  Response.json(await listWatchlist(await getDb(), userId), {
    headers: { "cache-control": "no-store" },
  }),
);

// POST /api/watchlist – watch a market ({ ticker }); idempotent
export const POST = sessionRoute(
  async (request, { userId }) => {
    const { ticker } = await parseJsonBody(request, AddWatchlistBody);
    return Response.json(await addToWatchlist(await getDb(), userId, ticker), { status: 201 });
  },
  { mutation: true },
);
