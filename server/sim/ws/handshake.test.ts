import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import {
  createTrader,
  expectRejectedUpgrade,
  signedHeaders,
  TestClient,
  type Trader,
} from "@/server/sim/ws/test-support";

let sim: RunningSim;
let trader: Trader;
let stranger: Trader;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  trader = createTrader(sim.exchange.state);
  stranger = createTrader(sim.exchange.state);
});

afterAll(async () => {
  await sim.close();
});

describe("WebSocket upgrade authentication", () => {
  it("upgrades a correctly signed request", async () => {
    const client = await TestClient.connect(sim.wsUrl, signedHeaders(trader.key));
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    const reply = await client.command({ id: 1, cmd: "list_subscriptions" });
    expect(reply).toEqual([{ id: 1, type: "ok", msg: [] }]);
    client.close();
  });

  it("refuses a signature made with another key: 401 JSON, no upgrade", async () => {
    const headers = signedHeaders(stranger.key);
    headers["KALSHI-ACCESS-KEY"] = trader.key.apiKeyId;
    const result = await expectRejectedUpgrade(sim.wsUrl, headers);
    expect(result.opened).toBe(false);
    expect(result.status).toBe(401);
    const body = JSON.parse(result.body) as { code: string; message: string };
    expect(body.code).toBe("unauthorized");
    expect(body.message).toMatch(/SIGNATURE/);
  });

  it("refuses a signature over another path", async () => {
    const result = await expectRejectedUpgrade(
      sim.wsUrl,
      signedHeaders(trader.key, { path: "/trade-api/v2/markets" }),
    );
    expect(result).toMatchObject({ status: 401, opened: false });
  });

  it("refuses a stale timestamp", async () => {
    const result = await expectRejectedUpgrade(
      sim.wsUrl,
      signedHeaders(trader.key, { timestamp: Date.now() - 120_000 }),
    );
    expect(result).toMatchObject({ status: 401, opened: false });
    expect((JSON.parse(result.body) as { message: string }).message).toMatch(/old/);
  });

  it("refuses missing headers", async () => {
    const result = await expectRejectedUpgrade(sim.wsUrl, {});
    expect(result).toMatchObject({ status: 401, opened: false });
    expect(JSON.parse(result.body)).toMatchObject({
      code: "unauthorized",
      message: expect.stringMatching(/missing/),
    });
  });

  it("refuses an unknown key id", async () => {
    const headers = signedHeaders(trader.key);
    headers["KALSHI-ACCESS-KEY"] = "00000000-0000-4000-8000-000000000000";
    const result = await expectRejectedUpgrade(sim.wsUrl, headers);
    expect(result).toMatchObject({ status: 401, opened: false });
  });

  it("answers 404 on any other path", async () => {
    const url = sim.wsUrl.replace("/trade-api/ws/v2", "/trade-api/ws/v3");
    const result = await expectRejectedUpgrade(url, signedHeaders(trader.key));
    expect(result).toMatchObject({ status: 404, opened: false });
  });
});
