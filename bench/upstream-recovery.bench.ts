/**
 * How long browsers stay stale after a short exchange outage: the gateway
 * (default timers: the real reconnect backoff) streams `lifecycle` from a
 * simulator that is stopped for OUTAGE_MS and restarted on the same port
 * with no accounts (so the gateway must also re-provision its market-data
 * key). Prints, per run, the time from the restart to the browser's `live`.
 * Target: under 5 s.
 *
 *   npx tsx bench/upstream-recovery.bench.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { PROTOCOL_NAME } from "@/lib/gateway/protocol";
import { createGateway } from "@/server/gateway/gateway";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";
import { startSimExchange, type RunningSim } from "@/server/sim/start";

const OUTAGE_MS = 3_000;
const RUNS = 3;

async function once(): Promise<number> {
  let sim: RunningSim = await startSimExchange({ port: 0, bots: false });
  const port = sim.port;
  const gateway = createGateway({
    marketDataUrl: sim.wsUrl,
    marketDataCredential: await provisionSimServiceCredential(sim.restBaseUrl),
    reprovisionMarketData: () => provisionSimServiceCredential(sim.restBaseUrl),
    authenticator: { fromCookies: async () => null, credentialFor: async () => null },
    log: () => {},
  });
  const server = createServer();
  server.on("upgrade", (request, socket, head) => gateway.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, [
    PROTOCOL_NAME,
  ]);
  let onStatus: (status: string) => void = () => {};
  browser.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; status?: string };
    if (frame.type === "status" && frame.status) onStatus(frame.status);
  });
  const statusIs = (wanted: string) =>
    new Promise<void>((resolve) => {
      onStatus = (status) => {
        if (status === wanted) resolve();
      };
    });
  await new Promise((resolve) => browser.once("open", resolve));
  const live = statusIs("live");
  browser.send(JSON.stringify({ op: "subscribe", topics: ["lifecycle"] }));
  await live;

  const stale = statusIs("stale");
  await sim.close();
  await stale;
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const liveAgain = statusIs("live");
  sim = await startSimExchange({ port, bots: false });
  const restartedAt = performance.now();
  await liveAgain;
  const recovery = performance.now() - restartedAt;

  browser.terminate();
  await gateway.close();
  server.close();
  await sim.close();
  return recovery;
}

const figures: number[] = [];
for (let run = 0; run < RUNS; run += 1) figures.push(await once());
console.log(
  `upstream recovery after a ${OUTAGE_MS / 1000} s outage (restart → browser live): ` +
    figures.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(", ") +
    ` (target < 5 s)`,
);
