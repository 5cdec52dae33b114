/**
 * The gateway's private streams follow the user's stored credentials: the
 * real store and routes (PGlite), the real session cookie, the real vault,
 * and the simulator as the exchange. Deleting or switching the active key
 * ends or moves the streams within seconds; a key the vault cannot open is
 * reported as such, not as "add a key".
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPrivateKey } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as activate } from "@/app/api/credentials/[id]/activate/route";
import { DELETE as remove } from "@/app/api/credentials/[id]/route";
import { addCredential, clearCredentialKeyCache } from "@/server/credentials/store";
import { credentials, userSettings } from "@/server/db/schema";
import { appAuthenticator } from "@/server/gateway/app-authenticator";
import { createGateway, type GatewayHandle } from "@/server/gateway/gateway";
import type { GatewayTimers } from "@/server/gateway/options";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";
import { eventually, RecordingClient } from "@/server/gateway/testing/harness";
import {
  startBffHarness,
  type BffHarness,
  type Handler,
  type Trader,
} from "@/server/testing/bff-harness";
import { createTestAccount } from "@/server/sim/testing/new-account";
import { addTestMarket } from "@/server/sim/ws/test-support";

let bff: BffHarness | null = null;
let gateway: GatewayHandle | null = null;
let server: Server | null = null;
const clients: RecordingClient[] = [];

// One simulator and database for the file (a PGlite start is slow on a busy machine); a gateway per test.
beforeAll(async () => {
  bff = await startBffHarness();
}, 120_000);

afterAll(async () => {
  await bff?.close();
  bff = null;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await gateway?.close();
  const s = server;
  if (s) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  clearCredentialKeyCache();
  gateway = server = null;
});

async function start(timers: Partial<GatewayTimers> = {}) {
  const h = bff!;
  gateway = createGateway({
    marketDataUrl: h.sim.wsUrl,
    marketDataCredential: await provisionSimServiceCredential(h.sim.restBaseUrl),
    authenticator: appAuthenticator,
    log: () => {},
    // The periodic re-check is the backstop; the notification must act first.
    timers: { subscriptionLingerMs: 0, credentialRecheckMs: 60_000, ...timers },
  });
  const g = gateway;
  server = createServer();
  server.on("upgrade", (request, socket, head) => g.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { h, g, url: `ws://127.0.0.1:${port}/ws`, origin: `http://127.0.0.1:${port}` };
}

async function tab(url: string, origin: string, trader: Trader): Promise<RecordingClient> {
  const client = new RecordingClient(url, { cookie: trader.cookie, origin });
  clients.push(client);
  await client.opened;
  await client.waitFor((f) => f.type === "welcome");
  return client;
}

/** A second stored key for `trader`, on another sim account (not active). */
async function secondKey(h: BffHarness, trader: Trader) {
  const account = await createTestAccount(h.sim.restBaseUrl, { balanceCents: 10_000_000 });
  const view = await addCredential(h.database.db, {
    userId: trader.userId,
    label: "second",
    environment: "sim",
    apiKeyId: account.apiKeyId,
    privateKey: createPrivateKey(account.privateKeyPem),
  });
  return { account, id: view.id };
}

const userLabels = (g: GatewayHandle) =>
  g
    .inspect()
    .upstreams.map((u) => u.label)
    .filter((label) => label.startsWith("user:"))
    .sort();

describe("private streams follow the stored credential", () => {
  it("moves a user's streams to the newly activated key at once, on a new epoch", async () => {
    const { h, g, url, origin } = await start();
    const alice = await h.trader("alice@example.com");
    const second = await secondKey(h, alice);
    const client = await tab(url, origin, alice);
    client.subscribe("orders");
    const before = await client.waitFor((f) => f.type === "status" && f.status === "live");
    expect(userLabels(g)).toEqual([`user:${alice.credentialId}`]);

    const from = client.frames.length;
    const result = await h.call(activate as Handler, {
      method: "POST",
      path: `/api/credentials/${second.id}/activate`,
      params: { id: second.id },
      cookie: alice.cookie,
    });
    expect(result.status).toBe(200);
    const after = await client.waitFor(
      (f) => f.type === "status" && f.topic === "orders" && f.epoch !== before.epoch,
      5_000,
      from,
    );
    await eventually(
      () => JSON.stringify(userLabels(g)) === JSON.stringify([`user:${second.id}`]),
      5_000,
      "old key's upstream closed",
    );
    await client.waitFor((f) => f.type === "status" && f.status === "live", 5_000, from);

    // The new key's orders flow on the same socket, counted in the new epoch.
    const market = addTestMarket(h.sim.exchange.state);
    h.sim.exchange.engine.placeOrder({
      userId: second.account.userId,
      ticker: market.ticker,
      side: "bid",
      price: 300_000,
      count: 100,
      timeInForce: "good_till_canceled",
    });
    expect(await client.waitFor((f) => f.type === "order", 5_000, from)).toMatchObject({
      epoch: after.epoch,
      seq: 1,
    });
  });

  it("ends a user's streams with no_credential when the last key is deleted", async () => {
    const { h, g, url, origin } = await start();
    const bob = await h.trader("bob@example.com");
    const client = await tab(url, origin, bob);
    client.subscribe("fills", "orders");
    await client.waitFor((f) => f.type === "status" && f.topic === "orders" && f.status === "live");
    const result = await h.call(remove as Handler, {
      method: "DELETE",
      path: `/api/credentials/${bob.credentialId}`,
      params: { id: bob.credentialId },
      cookie: bob.cookie,
    });
    expect(result.status).toBe(204);
    for (const topic of ["fills", "orders"])
      await client.waitFor((f) => f.type === "error" && f.topic === topic);
    expect(client.of("error").map((f) => f.code)).toEqual(["no_credential", "no_credential"]);
    await eventually(() => userLabels(g).length === 0, 5_000, "deleted key's upstream closed");
  });

  it("re-checks on a timer when a change came without a notification (another instance)", async () => {
    const { h, g, url, origin } = await start({ credentialRecheckMs: 200 });
    const carol = await h.trader("carol@example.com");
    const second = await secondKey(h, carol);
    const client = await tab(url, origin, carol);
    client.subscribe("orders");
    await client.waitFor((f) => f.type === "status" && f.status === "live");
    await h.database.db
      .update(userSettings)
      .set({ activeCredentialId: second.id })
      .where(eq(userSettings.userId, carol.userId));
    await eventually(
      () => JSON.stringify(userLabels(g)) === JSON.stringify([`user:${second.id}`]),
      5_000,
      "moved by the periodic re-check",
    );
  });

  it("reports a key the vault cannot open as credential_unreadable, not as a missing key", async () => {
    const { h, url, origin } = await start();
    const dave = await h.trader("dave@example.com");
    const [row] = await h.database.db
      .select()
      .from(credentials)
      .where(eq(credentials.id, dave.credentialId));
    const tag = Buffer.from(row?.authTag ?? "", "base64");
    tag[0] = (tag[0] ?? 0) ^ 1;
    await h.database.db
      .update(credentials)
      .set({ authTag: tag.toString("base64") })
      .where(eq(credentials.id, dave.credentialId));
    clearCredentialKeyCache();
    const client = await tab(url, origin, dave);
    client.subscribe("fills");
    const error = await client.waitFor((f) => f.type === "error");
    expect(error).toMatchObject({ code: "credential_unreadable", topic: "fills" });
    expect(String(error.message)).toMatch(/could not be opened/);
  });
});
