/**
 * The entry server's composition (server/http/entry-server.ts, as
 * server/main.ts builds it) with the real gateway and simulator behind it:
 * hostile raw-TCP input never takes it down, malformed upgrades get 400 and a
 * closed socket, and shutdown finishes within its grace whatever is open.
 */
import net, { type AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { PROTOCOL_NAME } from "@/lib/gateway/protocol";
import { createEntryServer, type EntryServer } from "@/server/http/entry-server";
import { RecordingClient, startHarness, type Harness } from "@/server/gateway/testing/harness";

let harness: Harness | null = null;
let entry: EntryServer | null = null;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

afterEach(async () => {
  process.off("uncaughtException", onUncaught);
  process.off("unhandledRejection", onUncaught);
  await entry?.shutdown(200);
  await harness?.close();
  entry = null;
  harness = null;
  uncaught.length = 0;
});

let slowEntered: () => void = () => {};

/** An app handler that parses URLs the naive way: it throws on what the fuzzer sends. */
function naiveApp(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const url = new URL(req.url ?? "/", "http://app.invalid"); // throws on "//["
  if (url.pathname === "/throw-async") return Promise.reject(new Error("async failure"));
  if (url.pathname === "/slow") {
    slowEntered();
    return new Promise((resolve) =>
      setTimeout(() => {
        res.end("slow done");
        resolve();
      }, 300),
    );
  }
  res.end("ok");
}

async function startEntry(): Promise<{ port: number; h: Harness }> {
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  const h = (harness = await startHarness({ users: 0 }));
  entry = createEntryServer({
    handleRequest: naiveApp,
    gatewayPath: "/ws",
    gateway: h.gateway,
    log: () => {},
  });
  const server = entry.server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, h };
}

/** Sends raw bytes, returns whatever came back before the server closed (or `timeoutMs`). */
function rawExchange(
  port: number,
  payload: Buffer | string,
  options: { timeoutMs?: number; reset?: boolean } = {},
): Promise<{ response: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString("latin1"), closedByServer });
    };
    const timer = setTimeout(() => done(false), options.timeoutMs ?? 2_000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => done(true));
    socket.on("close", () => done(true));
    socket.on("error", () => done(true));
    socket.on("connect", () => {
      socket.write(payload);
      if (options.reset) {
        socket.resetAndDestroy();
        done(false);
      }
    });
  });
}

/** A small deterministic PRNG (mulberry32), so a failure names its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MALFORMED_TARGETS = [
  "//[",
  "/[",
  "/ws?ticket=%",
  "/%zz",
  "/ws%",
  "http://[",
  "/{}",
  "/a|b",
  "/ws\\..",
  "/^`",
];
const ODD_TARGETS = ["*", "/", "/ws", "/_next/x", "//x/ws", "/" + "a".repeat(5000), "/throw-async"];
const METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "BREW", "G\x01T", ""];

function upgradeRequest(target: string, extra = ""): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

describe("entry server under hostile input", () => {
  it("answers a malformed upgrade target with 400 and closes the socket", async () => {
    const { port } = await startEntry();
    const { response, closedByServer } = await rawExchange(port, upgradeRequest("//["));
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(closedByServer).toBe(true);
    expect(uncaught).toEqual([]);
  });

  it("survives a few seconds of random and malformed requests, headers and upgrades", async () => {
    const { port } = await startEntry();
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const bytes = (n: number) =>
      Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const header = () =>
      pick([
        "X-A: b\r\n",
        "NoColon\r\n",
        `X-Long: ${"v".repeat(Math.floor(random() * 20_000))}\r\n`,
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Transfer-Encoding: chunked, gzip\r\n",
        "Content-Length: -1\r\n",
        "Host: [\r\n",
        "Origin: http://[\r\n",
        "Sec-WebSocket-Protocol: kgw.v1, , ,\r\n",
        `X-Bin: ${bytes(8).toString("latin1")}\r\n`,
      ]);
    const deadline = Date.now() + 3_000;
    let iterations = 0;
    let malformedUpgrades = 0;
    const failures: string[] = [];
    while (Date.now() < deadline && iterations < 600) {
      const batch = Array.from({ length: 6 }, async () => {
        iterations += 1;
        const kind = Math.floor(random() * 6);
        if (kind === 0) {
          await rawExchange(port, bytes(1 + Math.floor(random() * 200)), { timeoutMs: 300 });
        } else if (kind === 1) {
          const request = `${pick(METHODS)} ${pick([...ODD_TARGETS, ...MALFORMED_TARGETS])} HTTP/1.1\r\nHost: x\r\n${header()}${header()}\r\n`;
          await rawExchange(port, request, { timeoutMs: 300 });
        } else if (kind === 2) {
          // The property under test: a malformed upgrade target gets 400 and a closed socket.
          const target = pick(MALFORMED_TARGETS);
          malformedUpgrades += 1;
          const { response, closedByServer } = await rawExchange(port, upgradeRequest(target), {
            timeoutMs: 1_500,
          });
          if (!response.startsWith("HTTP/1.1 400 ") || !closedByServer)
            failures.push(
              `${target}: ${JSON.stringify(response.slice(0, 40))} closed=${closedByServer}`,
            );
        } else if (kind === 3) {
          // Well-formed target, broken upgrade headers.
          await rawExchange(port, upgradeRequest(pick(ODD_TARGETS), header()), { timeoutMs: 300 });
        } else if (kind === 4) {
          // A reset in the middle of an upgrade.
          const full = upgradeRequest(pick([...ODD_TARGETS, ...MALFORMED_TARGETS]));
          await rawExchange(port, full.slice(0, Math.floor(random() * full.length)), {
            reset: true,
          });
        } else {
          const full = upgradeRequest("/ws", `Origin: http://127.0.0.1:${port}\r\n`);
          await rawExchange(port, full + bytes(Math.floor(random() * 64)).toString("latin1"), {
            reset: random() < 0.5,
            timeoutMs: 300,
          });
        }
      });
      await Promise.all(batch);
    }
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(malformedUpgrades, `seed ${seed}`).toBeGreaterThan(0);
    expect(uncaught, `seed ${seed}`).toEqual([]);

    // Still answering normal requests and gateway upgrades.
    const ok = await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(ok.response).toMatch(/^HTTP\/1\.1 200 /);
    const client = new RecordingClient(`ws://127.0.0.1:${port}/ws`);
    await client.opened;
    await client.waitFor((frame) => frame.type === "welcome");
    client.close();
  }, 30_000);

  it("answers requests whose handler throws, sync or async, with 500", async () => {
    const { port } = await startEntry();
    const sync = await rawExchange(
      port,
      "GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(sync.response).toMatch(/^HTTP\/1\.1 500 /);
    const async = await rawExchange(
      port,
      "GET /throw-async HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(async.response).toMatch(/^HTTP\/1\.1 500 /);
    expect(uncaught).toEqual([]);
  });
});

describe("entry server shutdown", () => {
  it("lets an in-flight request finish, closes gateway sockets with 1001 and force-closes the rest within the grace", async () => {
    const { port } = await startEntry();
    const browser = new WebSocket(`ws://127.0.0.1:${port}/ws`, [PROTOCOL_NAME]);
    const browserClosed = new Promise<number>((resolve) => browser.once("close", resolve));
    await new Promise((resolve) => browser.once("open", resolve));
    // A client that sent half a request and went quiet, and one idle keep-alive connection.
    const stalled = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => stalled.once("connect", resolve));
    stalled.write("GET / HTTP/1.1\r\nHost: x\r\n");
    const stalledClosed = new Promise<void>((resolve) => stalled.once("close", () => resolve()));
    stalled.on("error", () => {});
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const slow = rawExchange(port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", { timeoutMs: 5_000 });
    await entered;

    await entry!.shutdown(1_000);
    expect(await browserClosed).toBe(1001);
    expect((await slow).response).toContain("slow done");
    await stalledClosed;
    expect(entry!.server.listening).toBe(false);
  }, 15_000);
});
