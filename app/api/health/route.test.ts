import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { registerGatewayHealth } from "@/server/gateway/health-registry";
import { startBffHarness, type BffHarness, type Handler } from "@/server/testing/bff-harness";

let h: BffHarness;

beforeAll(async () => {
  h = await startBffHarness();
}, 120_000);

afterAll(async () => {
  await h.close();
});

const get = (path: string) => h.call(GET as Handler, { method: "GET", path, origin: null });

describe("GET /api/health", () => {
  it("is ready with a database and an exchange that answer, and no gateway in this process", async () => {
    const result = await get("/api/health");
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      status: "ready",
      checks: {
        database: { status: "ok" },
        upstreamRest: { status: "ok" },
        upstreamWs: { status: "skipped", detail: "no gateway in this process" },
      },
    });
  });

  it("is not ready (503) while the exchange refuses the gateway's market-data key; liveness stays 200", async () => {
    const unregister = registerGatewayHealth(() => ({
      marketData: {
        state: "refused",
        refused: { status: 401, since: new Date().toISOString() },
        lastOpenAt: null,
        connects: 3,
      },
      userConnections: { total: 0, refused: 0 },
    }));
    try {
      const result = await get("/api/health");
      expect(result.status).toBe(503);
      expect(result.body).toMatchObject({
        status: "not_ready",
        checks: { upstreamWs: { status: "fail" } },
      });
      expect(
        String((result.body.checks as { upstreamWs: { detail: string } }).upstreamWs.detail),
      ).toMatch(/401/);
      const live = await get("/api/health?live=1");
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: "live" });
    } finally {
      unregister();
    }
  });
});
