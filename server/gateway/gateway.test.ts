/**
 * Integration tests of the gateway against the real simulator over real
 * sockets. Only user identity is faked (a test cookie); every credential is a
 * real simulator key.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { MarketRecord } from "@/server/sim/model";
import { addTestMarket } from "@/server/sim/ws/test-support";
import {
  bookFromFrames,
  eventually,
  RecordingClient,
  restBook,
  startHarness,
  upstreamCommands,
  type Harness,
} from "@/server/gateway/testing/harness";
import { issueTicket } from "@/server/gateway/ticket";

let harness: Harness | null = null;
const clients: RecordingClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await harness?.close();
  harness = null;
});

async function connect(
  h: Harness,
  options: { cookie?: string; origin?: string; url?: string; protocols?: string[] } = {},
): Promise<RecordingClient> {
  const client = new RecordingClient(options.url ?? h.url, { origin: h.origin, ...options });
  clients.push(client);
  await client.opened;
  await client.waitFor((frame) => frame.type === "welcome");
  return client;
}

/** Resolves once the gateway answered a ping sent now: everything it wrote before has arrived. */
async function pingPong(client: RecordingClient): Promise<void> {
  const from = client.frames.length;
  client.send({ op: "ping" });
  await client.waitFor((f) => f.type === "pong", 5_000, from);
}

/** Rests a few levels on both sides of `market` (owned by a sim user of the harness). */
function seedBook(h: Harness, market: MarketRecord, userIndex = 0): void {
  const userId = h.users[userIndex]?.account.userId ?? "";
  const { engine } = h.sim.exchange;
  for (const [side, price] of [
    ["bid", 400_000],
    ["bid", 420_000],
    ["ask", 600_000],
    ["ask", 580_000],
  ] as const) {
    engine.placeOrder({
      userId,
      ticker: market.ticker,
      side,
      price,
      count: 1_000,
      timeInForce: "good_till_canceled",
    });
  }
}

function place(
  h: Harness,
  ticker: string,
  side: "bid" | "ask",
  price: number,
  count = 100,
  userIndex = 0,
) {
  return h.sim.exchange.engine.placeOrder({
    userId: h.users[userIndex]?.account.userId ?? "",
    ticker,
    side,
    price,
    count,
    timeInForce: "good_till_canceled",
  });
}

describe("fan-out and reference counting", () => {
  it("shares one upstream subscription among many clients and unsubscribes when the last one leaves", async () => {
    const h = (harness = await startHarness());
    const a = addTestMarket(h.sim.exchange.state);
    const b = addTestMarket(h.sim.exchange.state);
    seedBook(h, a);
    const onA = await Promise.all(Array.from({ length: 6 }, () => connect(h)));
    for (const client of onA) client.subscribe(`book:${a.ticker}`);
    for (const client of onA)
      await client.waitFor((f) => f.type === "status" && f.status === "live");
    const onB = await connect(h);
    onB.subscribe(`book:${b.ticker}`);
    await onB.waitFor((f) => f.type === "status" && f.status === "live");

    // One market-data connection, one orderbook subscription holding both markets.
    const inspection = h.gateway.inspect();
    expect(inspection.upstreams).toHaveLength(1);
    expect(inspection.upstreams[0]?.channels.orderbook_delta?.markets).toEqual(
      [a.ticker, b.ticker].sort(),
    );
    const commands = upstreamCommands(h);
    expect(commands.filter((c) => c.cmd === "subscribe")).toHaveLength(1);
    expect(
      commands.filter((c) => c.cmd === "update_subscription" && c.params.action === "add_markets"),
    ).toHaveLength(1);

    // Every client got the same snapshot, and the same delta with the same seq.
    const snapshots = onA.map((client) => client.of("book_snapshot")[0]);
    expect(new Set(snapshots.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(snapshots[0]?.bids).toEqual([
      ["0.4200", "10.00"],
      ["0.4000", "10.00"],
    ]);
    expect(snapshots[0]?.asks).toEqual([
      ["0.5800", "10.00"],
      ["0.6000", "10.00"],
    ]);
    place(h, a.ticker, "bid", 450_000, 250);
    const deltas = await Promise.all(
      onA.map((client) => client.waitFor((f) => f.type === "book_delta")),
    );
    for (const delta of deltas) {
      expect(delta).toMatchObject({
        topic: `book:${a.ticker}`,
        side: "bid",
        price: "0.4500",
        size: "2.50",
      });
      expect(delta.seq).toBe((snapshots[0]?.seq as number) + 1);
    }
    expect(onB.of("book_delta")).toHaveLength(0);

    // A late subscriber gets the cached book at once, with no upstream command.
    const before = upstreamCommands(h).length;
    const late = await connect(h);
    late.subscribe(`book:${a.ticker}`);
    const cached = await late.waitFor((f) => f.type === "book_snapshot");
    expect(cached.bids).toEqual([
      ["0.4500", "2.50"],
      ["0.4200", "10.00"],
      ["0.4000", "10.00"],
    ]);
    expect(upstreamCommands(h).length).toBe(before);

    // Leaving one by one: nothing upstream until the last subscriber of A is gone.
    const leaving = [...onA, late].slice(0, -1);
    for (const client of leaving) client.send({ op: "unsubscribe", topics: [`book:${a.ticker}`] });
    // A ping answered means the unsubscribe before it was handled (frames are handled in order).
    await Promise.all(leaving.map((client) => pingPong(client)));
    expect(h.gateway.inspect().topics.find((t) => t.key === `book:${a.ticker}`)?.subscribers).toBe(
      1,
    );
    expect(upstreamCommands(h).filter((c) => c.params.action === "delete_markets")).toHaveLength(0);
    late.close();
    await eventually(
      () => upstreamCommands(h).some((c) => c.params.action === "delete_markets"),
      5_000,
      "delete_markets",
    );
    const del = upstreamCommands(h).find((c) => c.params.action === "delete_markets");
    expect(del?.params.market_tickers).toEqual([a.ticker]);

    // The last market going unsubscribes the channel, and the idle connection closes after its linger.
    onB.close();
    await eventually(
      () => upstreamCommands(h).some((c) => c.cmd === "unsubscribe"),
      5_000,
      "unsubscribe",
    );
    await eventually(() => h.gateway.inspect().upstreams.length === 0, 5_000, "upstream closed");
  });
});

describe("batching (kgw.v2)", () => {
  it("sends a burst as few messages, in order, with the same frames a v1 socket gets one by one", async () => {
    const h = (harness = await startHarness());
    const market = addTestMarket(h.sim.exchange.state);
    seedBook(h, market);
    const topic = `book:${market.ticker}`;
    const v1 = await connect(h);
    const v2 = await connect(h, { protocols: ["kgw.v2", "kgw.v1"] });
    expect(v1.ws.protocol).toBe("kgw.v1");
    expect(v2.ws.protocol).toBe("kgw.v2");
    expect(v1.of("welcome")[0]?.v).toBe(1);
    expect(v2.of("welcome")[0]?.v).toBe(2);
    for (const client of [v1, v2]) {
      client.subscribe(topic);
      await client.waitFor((f) => f.type === "book_snapshot");
    }

    // A burst: 60 book changes (30 orders placed and cancelled) as fast as the engine makes them.
    const from = { v1: v1.frames.length, v2: v2.frames.length, v2Messages: v2.messages.length };
    const trader = h.users[0]?.account.userId ?? "";
    for (let i = 0; i < 30; i++) {
      const placed = place(h, market.ticker, "bid", 430_000 + (i % 10) * 10_000, 100);
      h.sim.exchange.engine.cancelOrder(trader, placed.order.orderId);
    }
    await pingPong(v1);
    await pingPong(v2);
    const deltas = (c: RecordingClient, start: number) =>
      c.frames.slice(start).filter((f) => f.type === "book_delta" && f.topic === topic);
    const d1 = deltas(v1, from.v1);
    const d2 = deltas(v2, from.v2);
    expect(d1).toHaveLength(60);
    // Identical frames in identical order: batching changes packaging, nothing else.
    expect(d2).toEqual(d1);
    expect(d2.map((f) => f.seq)).toEqual(d1.map((f) => f.seq));
    // The pong (sent after the burst) comes after every delta of it.
    const tail = v2.frames.slice(from.v2);
    expect(tail.findIndex((f) => f.type === "pong")).toBeGreaterThan(
      tail.findLastIndex((f) => f.type === "book_delta"),
    );
    // v1: one frame per message throughout; v2: the burst shared messages.
    expect(v1.messages.every((n) => n === 1)).toBe(true);
    const burstMessages = v2.messages.slice(from.v2Messages);
    expect(burstMessages.some((n) => n > 1)).toBe(true);
    expect(burstMessages.length).toBeLessThan(61);

    // After a quiet moment a single change is not held back: a message of its own.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const quietFrom = v2.messages.length;
    place(h, market.ticker, "ask", 570_000, 100);
    await v2.waitFor((f) => f.type === "book_delta" && f.price === "0.5700");
    expect(v2.messages.slice(quietFrom)).toEqual([1]);
  });
});

describe("freshness", () => {
  it("recovers a dropped upstream connection with books identical to the REST orderbook", async () => {
    const h = (harness = await startHarness({ upstreamProxy: true }));
    const market = addTestMarket(h.sim.exchange.state);
    seedBook(h, market);
    const client = await connect(h);
    client.subscribe(`book:${market.ticker}`, `ticker:${market.ticker}`);
    await client.waitFor(
      (f) => f.type === "status" && f.topic === `book:${market.ticker}` && f.status === "live",
    );
    const connectsBefore = h.upstreamProxy?.connections ?? 0;

    h.upstreamProxy?.dropAll();
    await client.waitFor(
      (f) => f.type === "status" && f.status === "stale" && f.topic === `book:${market.ticker}`,
    );
    await client.waitFor(
      (f) => f.type === "status" && f.status === "stale" && f.topic === `ticker:${market.ticker}`,
    );
    const staleAt = client.frames.length;
    // The book moves while the gateway is disconnected.
    place(h, market.ticker, "bid", 430_000, 700);
    place(h, market.ticker, "ask", 570_000, 300);

    await client.waitFor(
      (f) => f.type === "status" && f.status === "live" && f.topic === `book:${market.ticker}`,
      10_000,
      staleAt,
    );
    await client.waitFor(
      (f) => f.type === "status" && f.status === "live" && f.topic === `ticker:${market.ticker}`,
      10_000,
      staleAt,
    );
    expect(h.upstreamProxy?.connections).toBe(connectsBefore + 1);
    expect(bookFromFrames(client, `book:${market.ticker}`)).toMatchObject(
      await restBook(h.users[0]!.account, market.ticker),
    );

    // And it keeps tracking afterwards.
    place(h, market.ticker, "bid", 440_000, 100);
    await client.waitFor((f) => f.type === "book_delta" && f.price === "0.4400");
    expect(bookFromFrames(client, `book:${market.ticker}`)).toMatchObject(
      await restBook(h.users[0]!.account, market.ticker),
    );
  });

  it("answers an upstream seq gap with get_snapshot and a fresh snapshot to browsers", async () => {
    const h = (harness = await startHarness());
    const market = addTestMarket(h.sim.exchange.state);
    seedBook(h, market);
    const client = await connect(h);
    client.subscribe(`book:${market.ticker}`);
    await client.waitFor((f) => f.type === "status" && f.status === "live");
    const snapshotsBefore = client.of("book_snapshot").length;

    // Lose exactly one upstream delta.
    let dropped = 0;
    h.dropUpstream = (text) => {
      if (dropped === 0 && text.includes('"type":"orderbook_delta"')) {
        dropped += 1;
        return true;
      }
      return false;
    };
    place(h, market.ticker, "bid", 410_000, 100); // lost
    place(h, market.ticker, "bid", 430_000, 100); // reveals the gap
    await eventually(
      () => upstreamCommands(h).some((c) => c.params.action === "get_snapshot"),
      5_000,
      "get_snapshot",
    );
    await client.waitFor((f) => f.type === "status" && f.status === "resyncing");
    await eventually(
      () => client.of("book_snapshot").length > snapshotsBefore,
      5_000,
      "fresh snapshot",
    );
    await client.waitFor(
      (f) => f.type === "status" && f.status === "live",
      5_000,
      client.frames.findIndex((f) => f.status === "resyncing"),
    );
    expect(dropped).toBe(1);
    expect(h.gateway.inspect().upstreams[0]?.stats.gaps).toBe(1);
    expect(bookFromFrames(client, `book:${market.ticker}`)).toMatchObject(
      await restBook(h.users[0]!.account, market.ticker),
    );
  });
});

describe("topic epochs", () => {
  it("gives a recreated topic a new epoch (its seq starts over) and every frame of a topic its epoch", async () => {
    const h = (harness = await startHarness());
    const market = addTestMarket(h.sim.exchange.state);
    seedBook(h, market);
    const topic = `trades:${market.ticker}`;
    const client = await connect(h);
    client.subscribe(topic);
    const first = await client.waitFor((f) => f.type === "status" && f.status === "live");
    expect(typeof first.epoch).toBe("string");
    place(h, market.ticker, "bid", 600_000, 100, 1); // crosses the resting ask: a trade
    const trade = await client.waitFor((f) => f.type === "trade");
    expect(trade).toMatchObject({ seq: 1, epoch: first.epoch });

    client.send({ op: "unsubscribe", topics: [topic] });
    await eventually(
      () => !h.gateway.inspect().topics.some((t) => t.key === topic),
      5_000,
      "topic released",
    );
    const from = client.frames.length;
    client.subscribe(topic);
    const again = await client.waitFor((f) => f.type === "status", 5_000, from);
    expect(again.seq).toBe(0);
    expect(typeof again.epoch).toBe("string");
    expect(again.epoch).not.toBe(first.epoch);
    place(h, market.ticker, "bid", 600_000, 100, 1);
    expect(await client.waitFor((f) => f.type === "trade", 5_000, from)).toMatchObject({
      seq: 1,
      epoch: again.epoch,
    });
  });
});

describe("event stream gaps", () => {
  it("tells browsers about a lost upstream event: resyncing then live, and a skipped seq their gap check sees", async () => {
    // order_group_updates is the event channel Kalshi numbers (seq per sid).
    const h = (harness = await startHarness({ users: 1 }));
    const alice = h.users[0]!;
    const client = await connect(h, { cookie: alice.cookie });
    client.subscribe("order-groups");
    await client.waitFor((f) => f.type === "status" && f.status === "live");
    const createGroup = () =>
      alice.account.fetch("/portfolio/order_groups/create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contracts_limit_fp: "10.00" }),
      });
    expect((await createGroup()).status).toBe(201);
    const first = await client.waitFor((f) => f.type === "order_group");

    // Lose exactly one upstream update.
    let dropped = 0;
    h.dropUpstream = (text) => {
      if (dropped === 0 && text.includes('"type":"order_group_updates"')) {
        dropped += 1;
        return true;
      }
      return false;
    };
    await createGroup(); // lost
    await createGroup(); // reveals the gap
    const from = client.frames.indexOf(first) + 1;
    const after = await client.waitFor((f) => f.type === "order_group", 5_000, from);
    expect(dropped).toBe(1);
    // The stream cannot replay the lost event; the seq skips one so browsers'
    // gap counter rises (TopicState.gaps) and they refetch over REST.
    expect(after.seq).toBe((first.seq as number) + 2);
    const statuses = client.frames
      .slice(from)
      .filter((f) => f.type === "status")
      .map((f) => f.status);
    expect(statuses).toEqual(["resyncing", "live"]);
  });
});

describe("slow consumers", () => {
  it("conflates a lagging socket, closes one that stays behind with 1013, and keeps the others complete and in order", async () => {
    const h = (harness = await startHarness({
      gateway: {
        limits: {
          highWaterBytes: 16 * 1024,
          lowWaterBytes: 4 * 1024,
          slowConsumerGraceMs: 2_500,
          hardLimitBytes: 64 * 1024 * 1024,
          slowCheckMs: 20,
        },
      },
    }));
    const market = addTestMarket(h.sim.exchange.state);
    seedBook(h, market);
    const topic = `book:${market.ticker}`;
    const fast = await connect(h);
    const recovering = await connect(h);
    const stuck = await connect(h);
    for (const client of [fast, recovering, stuck]) {
      client.subscribe(topic);
      await client.waitFor((f) => f.type === "status" && f.status === "live");
    }
    // Two tabs stop reading (their TCP receive side is paused).
    const pause = (client: RecordingClient) =>
      (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    pause(recovering).pause();
    pause(stuck).pause();

    // Churn the book until the gateway has conflated for the lagging sockets.
    const { engine, state } = h.sim.exchange;
    const trader = h.users[1]!.account.userId;
    const resting: string[] = [];
    let ops = 0;
    // 200 book changes (places and cancels) on the market.
    const churn = () => {
      for (let i = 0; i < 200; i += 1, ops += 1) {
        if (i % 3 === 2 && resting.length > 0) {
          const id = resting.shift()!;
          if (state.orders.get(id)?.status === "resting") engine.cancelOrder(trader, id);
        } else {
          const result = engine.placeOrder({
            userId: trader,
            ticker: market.ticker,
            side: i % 2 === 0 ? "bid" : "ask",
            price: i % 2 === 0 ? 100_000 + (ops % 25) * 10_000 : 650_000 + (ops % 25) * 10_000,
            count: 100,
            timeInForce: "good_till_canceled",
          });
          resting.push(result.order.orderId);
        }
      }
    };
    while (h.gateway.inspect().conflated < 50 && ops < 200_000) {
      churn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(h.gateway.inspect().conflated).toBeGreaterThanOrEqual(50);

    // The fast tab saw every delta, in order, and its book matches the exchange.
    await eventually(
      async () => {
        const book = bookFromFrames(fast, topic);
        const rest = await restBook(h.users[0]!.account, market.ticker);
        return JSON.stringify([book.bids, book.asks]) === JSON.stringify([rest.bids, rest.asks]);
      },
      10_000,
      "fast client in sync",
    );
    // Never conflated: one snapshot, then every delta with no seq gap (bookFromFrames throws on one).
    expect(fast.of("book_snapshot")).toHaveLength(1);
    const fastDeltas = fast.of("book_delta", topic).map((f) => f.seq as number);
    expect(fastDeltas.length).toBeGreaterThan(50);
    expect(fastDeltas.every((seq, i) => i === 0 || seq === (fastDeltas[i - 1] as number) + 1)).toBe(
      true,
    );

    // The recovering tab reads again in time: it is caught up with one fresh snapshot.
    pause(recovering).resume();
    await eventually(
      async () => {
        try {
          const book = bookFromFrames(recovering, topic);
          const rest = await restBook(h.users[0]!.account, market.ticker);
          return JSON.stringify([book.bids, book.asks]) === JSON.stringify([rest.bids, rest.asks]);
        } catch {
          return false;
        }
      },
      10_000,
      "recovering client caught up",
    );
    expect(recovering.of("book_snapshot").length).toBeGreaterThanOrEqual(2);

    // The stuck tab is closed by the gateway after the grace period. The book
    // keeps moving meanwhile: with no traffic, the kernel's socket buffers
    // could absorb the backlog and make the stuck tab look drained.
    await eventually(
      () => {
        churn();
        return h.gateway.inspect().slowClosed >= 1;
      },
      10_000,
      "slow socket closed",
    );
    expect(h.gateway.inspect().sockets).toBe(2);
    pause(stuck).resume();
    const closed = await stuck.closed;
    expect([1013, 1006]).toContain(closed.code);
    if (closed.code === 1013) expect(closed.reason).toMatch(/slow consumer/);
    // The fast tab stays connected and live.
    place(h, market.ticker, "bid", 300_000, 100, 0);
    await fast.waitFor((f) => f.type === "book_delta" && f.price === "0.3000" && f.side === "bid");
  }, 60_000);
});

describe("private channels", () => {
  it("opens one upstream connection per credential and never delivers one user's fills, orders or quotes to another", async () => {
    const h = (harness = await startHarness({ users: 2 }));
    const [alice, bob] = h.users as [
      NonNullable<Harness["users"][0]>,
      NonNullable<Harness["users"][1]>,
    ];
    const market = addTestMarket(h.sim.exchange.state);
    const aliceTab = await connect(h, { cookie: alice.cookie });
    const aliceTab2 = await connect(h, { cookie: alice.cookie });
    const bobTab = await connect(h, { cookie: bob.cookie });
    const anonymous = await connect(h);
    expect(aliceTab.frames[0]).toMatchObject({ type: "welcome", authenticated: true });
    expect(anonymous.frames[0]).toMatchObject({ type: "welcome", authenticated: false });
    for (const tab of [aliceTab, aliceTab2, bobTab]) {
      tab.subscribe("fills", "orders", "positions", "rfq", "order-groups");
      for (const topic of ["fills", "orders", "positions", "rfq"]) {
        await tab.waitFor((f) => f.type === "status" && f.topic === topic && f.status === "live");
      }
    }
    anonymous.subscribe("fills");
    const refused = await anonymous.waitFor((f) => f.type === "error");
    expect(refused).toMatchObject({ code: "unauthorized_topic", topic: "fills" });

    const labels = h.gateway
      .inspect()
      .upstreams.map((u) => u.label)
      .sort();
    expect(labels).toEqual(["user:cred-0", "user:cred-1"]);

    // Alice rests a bid, Bob crosses it: both get fills for their own orders only.
    const aliceOrder = place(h, market.ticker, "bid", 550_000, 500, 0);
    const bobOrder = place(h, market.ticker, "ask", 550_000, 200, 1);
    await aliceTab.waitFor((f) => f.type === "fill");
    await aliceTab2.waitFor((f) => f.type === "fill");
    await bobTab.waitFor((f) => f.type === "fill");
    await bobTab.waitFor((f) => f.type === "position");
    // Barrier: a later order of each user reaches that user's tabs, so anything
    // of the trade routed to a wrong socket was written before it; a ping then
    // flushes every socket.
    const aliceMarker = place(h, market.ticker, "bid", 100_000, 100, 0);
    const bobMarker = place(h, market.ticker, "ask", 900_000, 100, 1);
    const hasOrder = (id: string) => (f: { type: string; msg?: unknown }) =>
      f.type === "order" && (f.msg as { order_id?: string }).order_id === id;
    await aliceTab.waitFor(hasOrder(aliceMarker.order.orderId));
    await aliceTab2.waitFor(hasOrder(aliceMarker.order.orderId));
    await bobTab.waitFor(hasOrder(bobMarker.order.orderId));
    await Promise.all([aliceTab, aliceTab2, bobTab, anonymous].map((tab) => pingPong(tab)));

    const ordersIn = (tab: RecordingClient) =>
      new Set([
        ...tab.of("fill").map((f) => (f.msg as { order_id: string }).order_id),
        ...tab.of("order").map((f) => (f.msg as { order_id: string }).order_id),
      ]);
    expect(ordersIn(aliceTab)).toEqual(
      new Set([aliceOrder.order.orderId, aliceMarker.order.orderId]),
    );
    expect(ordersIn(aliceTab2)).toEqual(
      new Set([aliceOrder.order.orderId, aliceMarker.order.orderId]),
    );
    expect(ordersIn(bobTab)).toEqual(new Set([bobOrder.order.orderId, bobMarker.order.orderId]));
    for (const frame of bobTab.of("position"))
      expect((frame.msg as { user_id: string }).user_id).toBe(bob.account.userId);
    for (const frame of aliceTab.of("position"))
      expect((frame.msg as { user_id: string }).user_id).toBe(alice.account.userId);
    // Both tabs of Alice got the identical stream (one topic, one serialisation).
    expect(aliceTab.of("fill").map((f) => JSON.stringify(f))).toEqual(
      aliceTab2.of("fill").map((f) => JSON.stringify(f)),
    );
    // Nothing private reached the anonymous socket.
    expect(
      anonymous.frames.filter((f) => ["fill", "order", "position", "rfq"].includes(f.type)),
    ).toHaveLength(0);
    // Nothing of Alice's appears anywhere in Bob's frames.
    const bobText = JSON.stringify(bobTab.frames);
    expect(bobText).not.toContain(aliceOrder.order.orderId);
    expect(bobText).not.toContain(alice.account.userId);
  });
});

describe("browser edge", () => {
  it("answers malformed frames with errors that say what was wrong, and keeps the socket", async () => {
    const h = (harness = await startHarness({ gateway: { limits: { maxTopicsPerSocket: 3 } } }));
    const market = addTestMarket(h.sim.exchange.state);
    const client = await connect(h);
    const next = async (frame: unknown) => {
      const from = client.frames.length;
      client.send(frame);
      return client.waitFor((f) => f.type === "error", 5_000, from);
    };
    expect(await next("not json")).toMatchObject({
      code: "invalid_frame",
      message: "frame is not valid JSON",
    });
    expect(await next({ op: "explode" })).toMatchObject({ code: "invalid_frame", field: "op" });
    expect(await next({ op: "subscribe", topics: ["book:lowercase"] })).toMatchObject({
      code: "invalid_frame",
      field: "topics.0",
    });
    expect(await next({ op: "subscribe", topics: [] })).toMatchObject({
      code: "invalid_frame",
      field: "topics",
    });
    expect(await next({ op: "subscribe", topics: ["lifecycle"], extra: 1 })).toMatchObject({
      code: "invalid_frame",
    });
    expect(await next({ op: "resync", topic: `book:${market.ticker}` })).toMatchObject({
      code: "not_subscribed",
    });
    expect(await next({ op: "subscribe", topics: ["book:NO-SUCH-MARKET"] })).toMatchObject({
      code: "market_not_found",
      topic: "book:NO-SUCH-MARKET",
    });
    const from = client.frames.length;
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.waitFor((f) => f.type === "error", 5_000, from)).toMatchObject({
      code: "invalid_frame",
    });
    expect(
      await next({
        op: "subscribe",
        topics: [
          `book:${market.ticker}`,
          `ticker:${market.ticker}`,
          `trades:${market.ticker}`,
          "lifecycle",
        ],
      }),
    ).toMatchObject({ code: "too_many_topics", topic: "lifecycle" });
    // Still usable.
    client.send({ op: "ping" });
    await client.waitFor((f) => f.type === "pong");
    expect(h.gateway.inspect().sockets).toBe(1);
  });

  it("refuses floods: rate-limit errors, then close 1008; oversized frames close 1009", async () => {
    const h = (harness = await startHarness({
      gateway: {
        limits: { framesPerSecond: 5, frameBurst: 5, floodStrikes: 10, maxPayloadBytes: 1024 },
      },
    }));
    const flooder = await connect(h);
    for (let i = 0; i < 100; i += 1) flooder.send({ op: "ping" });
    const closed = await flooder.closed;
    expect(closed.code).toBe(1008);
    expect(flooder.of("error").some((f) => f.code === "rate_limited")).toBe(true);
    expect(flooder.of("pong").length).toBeLessThanOrEqual(6);

    const big = await connect(h);
    big.send({ op: "subscribe", topics: ["x".repeat(2000)] });
    expect((await big.closed).code).toBe(1009);
  });

  it("authenticates by cookie only from an allowed origin, and by single-use ticket from anywhere", async () => {
    const secret = "t".repeat(40);
    const h = (harness = await startHarness({ gateway: { ticketSecret: secret } }));
    const alice = h.users[0]!;
    await expect(
      connect(h, { cookie: alice.cookie, origin: "https://evil.example" }),
    ).rejects.toThrow(/403/);

    const { ticket } = issueTicket(secret, alice.userId);
    const url = `${h.url}?ticket=${encodeURIComponent(ticket)}`;
    const viaTicket = await connect(h, { url, origin: "https://app.example" });
    expect(viaTicket.frames[0]).toMatchObject({ type: "welcome", authenticated: true });
    await expect(connect(h, { url, origin: "https://app.example" })).rejects.toThrow(/401/);
    const expired = issueTicket(secret, alice.userId, Date.now() - 120_000).ticket;
    await expect(connect(h, { url: `${h.url}?ticket=${expired}` })).rejects.toThrow(/401/);
    const forged = issueTicket("f".repeat(40), alice.userId).ticket;
    await expect(connect(h, { url: `${h.url}?ticket=${forged}` })).rejects.toThrow(/401/);
  });

  it("answers a malformed upgrade URL with 400 and closes the socket", async () => {
    const h = (harness = await startHarness({
      users: 0,
      gateway: { ticketSecret: "t".repeat(40) },
    }));
    const port = Number(new URL(h.url).port);
    for (const target of ["/ws?ticket=%", "/ws?ticket=%zz", "/ws?x=[1]"]) {
      const answer = await new Promise<{ text: string; closed: boolean }>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        let text = "";
        const timer = setTimeout(() => {
          socket.destroy();
          resolve({ text, closed: false });
        }, 3_000);
        socket.on("data", (chunk) => (text += chunk.toString("latin1")));
        socket.on("close", () => {
          clearTimeout(timer);
          resolve({ text, closed: true });
        });
        socket.on("error", () => {});
        socket.write(
          `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        );
      });
      expect(answer.text, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer.closed, target).toBe(true);
    }
    expect(h.gateway.inspect().sockets).toBe(0);
  });

  it("closes every browser socket with 1001 on shutdown", async () => {
    const h = (harness = await startHarness());
    const client = await connect(h);
    client.subscribe("lifecycle");
    await client.waitFor((f) => f.type === "status" && f.status === "live");
    await h.gateway.close();
    expect(await client.closed).toMatchObject({ code: 1001, reason: "server shutting down" });
  });
});

describe("private channels: quotes", () => {
  it("delivers RFQ events to every signed-in user but quote events only to the requester and the maker", async () => {
    const h = (harness = await startHarness({ users: 3 }));
    const [alice, bob, carol] = h.users as [
      NonNullable<Harness["users"][0]>,
      NonNullable<Harness["users"][1]>,
      NonNullable<Harness["users"][2]>,
    ];
    const market = addTestMarket(h.sim.exchange.state);
    const tabs = await Promise.all(
      [alice, bob, carol].map((user) => connect(h, { cookie: user.cookie })),
    );
    const [aliceTab, bobTab, carolTab] = tabs as [
      RecordingClient,
      RecordingClient,
      RecordingClient,
    ];
    for (const tab of tabs) {
      tab.subscribe("rfq");
      await tab.waitFor((f) => f.type === "status" && f.topic === "rfq" && f.status === "live");
    }

    // Alice (requester) asks for a quote; Bob (maker) quotes; Alice accepts.
    const desk = h.sim.exchange.rfqDesk;
    const asUser = (index: number) => ({
      userId: h.users[index]?.account.userId ?? "",
      lockedSubaccount: null,
    });
    const rfq = desk.createRfq(asUser(0), {
      marketTicker: market.ticker,
      contracts: 500,
      targetCost: null,
      targetCostExcludesFees: false,
      restRemainder: false,
      replaceExisting: false,
      subaccount: undefined,
    });
    const quote = desk.createQuote(asUser(1), {
      rfqId: rfq.id,
      yesBid: 400_000,
      noBid: 550_000,
      restRemainder: false,
      postOnly: false,
      subaccount: undefined,
    });
    desk.acceptQuote(asUser(0), quote.id, "yes");

    for (const tab of [aliceTab, bobTab]) {
      await tab.waitFor((f) => f.type === "rfq" && JSON.stringify(f).includes("quote_accepted"));
    }
    await carolTab.waitFor((f) => f.type === "rfq" && JSON.stringify(f).includes("rfq_created"));
    // Barrier: a second RFQ reaches every tab over the same upstream connections,
    // after anything of the first quote; a ping then flushes each socket.
    const marker = desk.createRfq(asUser(2), {
      marketTicker: market.ticker,
      contracts: 100,
      targetCost: null,
      targetCostExcludesFees: false,
      restRemainder: false,
      replaceExisting: false,
      subaccount: undefined,
    });
    for (const tab of tabs)
      await tab.waitFor((f) => f.type === "rfq" && JSON.stringify(f).includes(marker.id));
    await Promise.all(tabs.map((tab) => pingPong(tab)));

    // Everyone hears of the RFQ; only the two parties hear of the quote.
    for (const tab of tabs) expect(JSON.stringify(tab.of("rfq"))).toContain("rfq_created");
    const carolText = JSON.stringify(carolTab.frames);
    expect(carolText).not.toContain(quote.id);
    expect(carolText).not.toContain("quote_created");
    expect(carolText).not.toContain("quote_accepted");
    expect(carolText).not.toContain(bob.account.userId);
    for (const tab of [aliceTab, bobTab]) {
      const text = JSON.stringify(tab.frames);
      expect(text).toContain(quote.id);
      expect(text).toContain("quote_created");
    }
  });
});
