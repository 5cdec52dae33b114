/**
 * The process under measurement in bench/gateway.bench.ts: one of three
 * fan-out servers on a loopback port, driven over IPC by the bench.
 *
 *   gateway   our gateway (server/gateway): one upstream connection, books
 *             cached, each update serialised once and written to every subscriber.
 *   naive     one upstream connection per browser socket, every message parsed
 *             and re-serialised per client.
 *   baseline  a bare `ws` broadcast: one upstream connection; each upstream
 *             frame's buffer is written as-is to the market's sockets.
 *
 * Reports CPU time, deliveries (socket writes), in-process latency from the
 * upstream read to the socket write, memory, and upstream connections.
 */
import { constants, sign, type KeyObject } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { createGateway } from "@/server/gateway/gateway";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";

const mode = process.argv[2] as "gateway" | "naive" | "baseline";
const simRest = process.env.BENCH_SIM_REST ?? "";
const simWs = process.env.BENCH_SIM_WS ?? "";
const send = (message: unknown) => process.send?.(message);

// Latency histogram in 10 µs buckets up to 1 s.
const BUCKET_US = 10;
const histogram = new Uint32Array(100_001);
let deliveries = 0;
let cpuStart = process.cpuUsage();
let upstreamConnections = 0;

function record(receivedAt: number, writtenAt: number, writes: number): void {
  deliveries += writes;
  const bucket = Math.min(
    histogram.length - 1,
    Math.floor(((writtenAt - receivedAt) * 1000) / BUCKET_US),
  );
  histogram[bucket] = (histogram[bucket] ?? 0) + 1;
}

function percentile(p: number): number {
  let total = 0;
  for (const count of histogram) total += count;
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i] ?? 0;
    if (seen >= total * p) return (i * BUCKET_US) / 1000;
  }
  return Number.NaN;
}

function signedHeaders(apiKeyId: string, key: KeyObject): Record<string, string> {
  const timestamp = String(Date.now());
  const signature = sign("sha256", Buffer.from(`${timestamp}GET/trade-api/ws/v2`), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString("base64");
  return {
    "KALSHI-ACCESS-KEY": apiKeyId,
    "KALSHI-ACCESS-TIMESTAMP": timestamp,
    "KALSHI-ACCESS-SIGNATURE": signature,
  };
}

const TEXT = { binary: false } as const;
const credential = await provisionSimServiceCredential(simRest);
const server = createServer();

if (mode === "gateway") {
  const gateway = createGateway({
    marketDataUrl: simWs,
    marketDataCredential: credential,
    authenticator: { fromCookies: async () => null, credentialFor: async () => null },
    onDelivered: record,
    log: () => {},
  });
  server.on("upgrade", (request, socket, head) => gateway.handleUpgrade(request, socket, head));
  setInterval(() => {
    upstreamConnections = gateway.inspect().upstreams.length;
  }, 200).unref();
} else {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on("upgrade", (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws)),
  );
  const key = credential.privateKey;
  const openUpstream = (
    tickers: string[],
    onMessage: (data: Buffer, receivedAt: number) => void,
  ): WebSocket => {
    const upstream = new WebSocket(simWs, {
      headers: signedHeaders(credential.apiKeyId, key),
      perMessageDeflate: false,
    });
    upstreamConnections += 1;
    upstream.on("open", () =>
      upstream.send(
        JSON.stringify({
          id: 1,
          cmd: "subscribe",
          params: { channels: ["orderbook_delta"], market_tickers: tickers, use_yes_price: true },
        }),
      ),
    );
    upstream.on("message", (data) => onMessage(data as Buffer, performance.now()));
    upstream.on("close", () => (upstreamConnections -= 1));
    return upstream;
  };

  if (mode === "baseline") {
    const byMarket = new Map<string, Set<WebSocket>>();
    const tickers = (process.env.BENCH_MARKETS ?? "").split(",");
    openUpstream(tickers, (data, receivedAt) => {
      // The cheapest possible routing: find the ticker without parsing the JSON.
      const text = data.toString("latin1", 0, Math.min(data.length, 200));
      const at = text.indexOf('"market_ticker":"');
      if (at === -1) return;
      const ticker = text.slice(at + 17, text.indexOf('"', at + 17));
      const sockets = byMarket.get(ticker);
      if (!sockets || sockets.size === 0) return;
      for (const ws of sockets) ws.send(data, TEXT);
      record(receivedAt, performance.now(), sockets.size);
    });
    wss.on("connection", (ws: WebSocket) => {
      ws.once("message", (raw) => {
        const topic = (JSON.parse(raw.toString()) as { topics: string[] }).topics[0] ?? "";
        const ticker = topic.slice(5);
        let set = byMarket.get(ticker);
        if (!set) byMarket.set(ticker, (set = new Set()));
        set.add(ws);
        ws.send(`{"type":"status","topic":${JSON.stringify(topic)},"status":"live","seq":0}`);
        ws.on("close", () => set.delete(ws));
      });
    });
  } else {
    wss.on("connection", (ws: WebSocket) => {
      ws.once("message", (raw) => {
        const topic = (JSON.parse(raw.toString()) as { topics: string[] }).topics[0] ?? "";
        let seq = 0;
        const upstream = openUpstream([topic.slice(5)], (data, receivedAt) => {
          const frame = JSON.parse(data.toString()) as {
            type: string;
            msg?: Record<string, unknown>;
          };
          if (frame.type !== "orderbook_delta" && frame.type !== "orderbook_snapshot") return;
          const msg = frame.msg ?? {};
          seq += 1;
          const out =
            frame.type === "orderbook_snapshot"
              ? {
                  type: "book_snapshot",
                  topic,
                  seq,
                  bids: msg.yes_dollars_fp ?? [],
                  asks: msg.no_dollars_fp ?? [],
                }
              : {
                  type: "book_delta",
                  topic,
                  seq,
                  side: msg.side === "yes" ? "bid" : "ask",
                  price: msg.price_dollars,
                  delta: msg.delta_fp,
                };
          ws.send(JSON.stringify(out));
          record(receivedAt, performance.now(), 1);
        });
        ws.on("close", () => upstream.close());
      });
    });
  }
}

await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external + usage.arrayBuffers,
  };
}

process.on("message", (message: { cmd: string }) => {
  switch (message.cmd) {
    case "memory":
      send({ cmd: "memory", ...memory(), upstreamConnections });
      break;
    case "start":
      histogram.fill(0);
      deliveries = 0;
      cpuStart = process.cpuUsage();
      send({ cmd: "started" });
      break;
    case "stop": {
      const cpu = process.cpuUsage(cpuStart);
      send({
        cmd: "stopped",
        cpuMicros: cpu.user + cpu.system,
        deliveries,
        p50: percentile(0.5),
        p99: percentile(0.99),
        upstreamConnections,
      });
      break;
    }
    case "exit":
      process.exit(0);
  }
});
send({ cmd: "ready", port: (server.address() as AddressInfo).port, memory: memory() });
