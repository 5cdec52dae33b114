/**
 * Readiness of this instance for `GET /api/health`: the database answers,
 * the exchange's REST API answers, and (when the gateway runs in this
 * process) its market-data WebSocket is up and its key accepted. Each check
 * is bounded in time, so a hung dependency reads as a failure, not a hang.
 */
import { sql } from "drizzle-orm";

import { getDb } from "@/server/db/client";
import { readGatewayHealth } from "@/server/gateway/health-registry";
import { publicMarketData } from "@/server/kalshi/market-data";

export interface HealthCheck {
  status: "ok" | "fail" | "skipped";
  /** What is wrong (or why skipped), in words; never a secret. */
  detail?: string;
}

export interface HealthReport {
  status: "ready" | "not_ready";
  checks: { database: HealthCheck; upstreamRest: HealthCheck; upstreamWs: HealthCheck };
}

/** Each dependency gets this long; health probes usually time out at 5-10 s. */
const CHECK_TIMEOUT_MS = 3_000;

async function bounded(check: () => Promise<HealthCheck>): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheck>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "fail", detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: unknown): HealthCheck => ({
        status: "fail",
        detail: error instanceof Error ? error.name : "error",
      })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function upstreamWs(): HealthCheck {
  const health = readGatewayHealth();
  if (!health) return { status: "skipped", detail: "no gateway in this process" };
  const { marketData } = health;
  switch (marketData.state) {
    case "open":
    case "idle": // nothing subscribed: nothing to be down
      return { status: "ok" };
    case "unconfigured":
      return { status: "skipped", detail: "no market-data key configured" };
    case "refused":
      return {
        status: "fail",
        detail: `the exchange refuses the market-data key (HTTP ${marketData.refused?.status ?? "?"})`,
      };
    case "connecting":
    case "backoff":
    case "closed":
      return { status: "fail", detail: `market-data connection ${marketData.state}` };
    default: {
      const exhaustive: never = marketData;
      return exhaustive;
    }
  }
}

/** Runs every check (in parallel) and says whether this instance is ready. */
export async function checkHealth(): Promise<HealthReport> {
  const [database, upstreamRest] = await Promise.all([
    bounded(async () => {
      await (await getDb()).execute(sql`select 1`);
      return { status: "ok" };
    }),
    bounded(async () => {
      await publicMarketData().getExchangeStatus();
      return { status: "ok" };
    }),
  ]);
  const checks = { database, upstreamRest, upstreamWs: upstreamWs() };
  const ready = Object.values(checks).every((check) => check.status !== "fail");
  return { status: ready ? "ready" : "not_ready", checks };
}
