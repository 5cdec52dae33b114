import { z } from "zod";

import { publicRoute } from "@/server/http/public-route";
import { parseQuery } from "@/server/http/query";
import { marketData } from "@/server/market-data/registry";

// GET /api/categories – the exchange's series categories and how many series each has (public)
export const GET = publicRoute(async (request) => {
  parseQuery(request, z.strictObject({}));
  return Response.json({ categories: await marketData().categories() });
});
