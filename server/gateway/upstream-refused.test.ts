/**
 * An upstream that refuses the gateway's key (HTTP 401/403 at the WebSocket
 * handshake) is not a network loss: against a restarted simulator the
 * gateway's own market-data account is gone, so the gateway provisions a new
 * one; with a configured key it reports the refusal to browsers (status
 * `error`, code `upstream_auth_refused`) and through its health.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayAuthenticator } from "@/server/gateway/authenticate";
import { createGateway, type GatewayHandle, type GatewayOptions } from "@/server/gateway/gateway";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";
import { eventually, RecordingClient } from "@/server/gateway/testing/harness";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addTestMarket } from "@/server/sim/ws/test-support";

const anonymous: GatewayAuthenticator = {
  fromCookies: async () => null,
  credentialFor: async () => null,
};

let sim: RunningSim | null = null;
let gateway: GatewayHandle | null = null;
let server: Server | null = null;
const clients: RecordingClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await gateway?.close();
  const s = server;
  if (s) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await sim?.close();
  sim = gateway = server = null;
});

async function start(options: Partial<GatewayOptions>) {
  sim = await startSimExchange({ port: 0, bots: false });
  const current = sim;
  gateway = createGateway({
    marketDataUrl: current.wsUrl,
    marketDataCredential: await provisionSimServiceCredential(current.restBaseUrl),
    authenticator: anonymous,
    log: () => {},
    timers: { reconnectBaseMs: 50, reconnectMaxMs: 500 },
    ...options,
  });
  const g = gateway;
  server = createServer();
  server.on("upgrade", (request, socket, head) => g.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const client = new RecordingClient(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`);
  clients.push(client);
  await client.opened;
  return { g, client };
}

/** Stops the simulator, lets the gateway fail to reconnect a few times, starts a fresh one (no accounts) on the same port. */
async function restartSimulator(g: GatewayHandle): Promise<RunningSim> {
  const old = sim!;
  const port = old.port;
  const connects = () => g.inspect().upstreams[0]?.stats.connects ?? 0;
  const before = connects();
  await old.close();
  await eventually(() => connects() >= before + 3, 10_000, "reconnect attempts during the outage");
  sim = await startSimExchange({ port, bots: false });
  return sim;
}

describe("upstream refuses the gateway's key", () => {
  it("re-provisions its own simulator account after the simulator restarted, and goes live again", async () => {
    let provisioned = 0;
    const { g, client } = await start({
      reprovisionMarketData: async () => {
        provisioned += 1;
        return provisionSimServiceCredential(sim!.restBaseUrl);
      },
    });
    client.subscribe("lifecycle");
    await client.waitFor((f) => f.type === "status" && f.status === "live");
    const restarted = await restartSimulator(g);
    addTestMarket(restarted.exchange.state);
    const from = client.frames.length;
    await client.waitFor((f) => f.type === "status" && f.status === "live", 20_000, from);
    expect(provisioned).toBeGreaterThanOrEqual(1);
    expect(g.health().marketData).toMatchObject({ state: "open", refused: null });
  }, 40_000);

  it("tells browsers (status error) and the operator (error log, health) when a configured key is refused", async () => {
    const errors: Array<Record<string, unknown>> = [];
    const { g, client } = await start({
      log: (level, fields) => {
        if (level === "error") errors.push(fields);
      },
    });
    client.subscribe("lifecycle");
    await client.waitFor((f) => f.type === "status" && f.status === "live");
    await restartSimulator(g);
    const from = client.frames.length;
    const failed = await client.waitFor(
      (f) => f.type === "status" && f.status === "error",
      20_000,
      from,
    );
    expect(failed).toMatchObject({ topic: "lifecycle", code: "upstream_auth_refused" });
    expect(String(failed.message)).toMatch(/refused/);
    expect(g.health().marketData).toMatchObject({ state: "refused", refused: { status: 401 } });
    expect(errors.some((e) => e.msg === "upstream refused the credential")).toBe(true);
  }, 40_000);
});
