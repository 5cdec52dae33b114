import { publicRoute } from "@/server/http/public-route";
import { checkHealth } from "@/server/health/check-health";

export const dynamic = "force-dynamic";

// GET /api/health – readiness (200 ready / 503 not) with per-dependency checks; ?live=1 is liveness only (public)
export const GET = publicRoute(async (request) => {
  if (new URL(request.url).searchParams.get("live") === "1")
    return Response.json({ status: "live" });
  const report = await checkHealth();
  return Response.json(report, {
    status: report.status === "ready" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
});
