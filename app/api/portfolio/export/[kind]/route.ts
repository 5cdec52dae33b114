import { ExportParams, HistoryQuery } from "@/lib/schemas/portfolio-history";
import { traderRoute } from "@/server/auth/trader-route";
import { parseQuery } from "@/server/http/query";
import { createKalshiClient } from "@/server/kalshi/client";
import { csvFilename, csvStream } from "@/server/portfolio/export-csv";

// GET /api/portfolio/export/{kind} – a CSV of the whole history (or the positions), streamed page by page
export const GET = traderRoute<{ kind: string }>(async (request, { credential, params }) => {
  const { kind } = ExportParams.parse(params);
  const { cursor: _cursor, limit: _limit, ...query } = parseQuery(request, HistoryQuery);
  const body = await csvStream(createKalshiClient(credential), kind, query, request.signal);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFilename(kind, query.subaccount)}"`,
      "cache-control": "no-store",
    },
  });
});
