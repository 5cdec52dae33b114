import { TickerParams } from "@/lib/schemas/common";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";
import { removeFromWatchlist } from "@/server/watchlist/watchlist";

// DELETE /api/watchlist/{ticker} – stop watching a market
export const DELETE = sessionRoute<{ ticker: string }>(
  async (_request, { userId, params }) => {
    const { ticker } = TickerParams.parse(params);
    return Response.json(await removeFromWatchlist(await getDb(), userId, ticker));
  },
  { mutation: true },
);
