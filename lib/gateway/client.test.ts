import { describe, expect, it } from "vitest";
import { GatewayClient } from "@/lib/gateway/client";

/** A minimal stand-in for the browser WebSocket, driven by the test. */
class FakeSocket {
  static last: FakeSocket | null = null;
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {
    FakeSocket.last = this;
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function makeClient() {
  const flushes: Array<() => void> = [];
  const client = new GatewayClient({
    url: "ws://gateway/ws",
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    schedule: (flush) => flushes.push(flush),
    random: () => 0,
    reconnectBaseMs: 2, // the first retry after 1 ms
  });
  const flush = () => {
    for (const run of flushes.splice(0)) run();
  };
  return { client, flush };
}

describe("GatewayClient protocol handling", () => {
  it("applies snapshot and deltas, detects a gap, asks for a resync and publishes once per frame", async () => {
    const { client, flush } = makeClient();
    let published = 0;
    client.subscribe("book:MKT", () => (published += 1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = FakeSocket.last!;
    socket.open();
    expect(socket.sent).toContainEqual({ op: "subscribe", topics: ["book:MKT"] });
    socket.receive({
      type: "book_snapshot",
      topic: "book:MKT",
      seq: 7,
      bids: [["0.4200", "10.00"]],
      asks: [["0.5800", "5.00"]],
    });
    socket.receive({ type: "status", topic: "book:MKT", status: "live", seq: 7 });
    socket.receive({
      type: "book_delta",
      topic: "book:MKT",
      seq: 8,
      side: "bid",
      price: "0.4300",
      size: "2.00",
    });
    socket.receive({
      type: "book_delta",
      topic: "book:MKT",
      seq: 9,
      side: "ask",
      price: "0.5800",
      size: "0.00",
    });
    expect(published).toBe(0);
    expect(client.getTopicState("book:MKT").status).toBe("loading");
    flush();
    expect(published).toBe(1);
    const state = client.getTopicState("book:MKT");
    expect(state.status).toBe("live");
    expect(state.book?.bids).toEqual([
      [430_000, 200],
      [420_000, 1_000],
    ]);
    expect(state.book?.asks).toEqual([]);
    expect(client.getTopicState("book:MKT")).toBe(state); // stable between publishes

    socket.receive({
      type: "book_delta",
      topic: "book:MKT",
      seq: 11,
      side: "bid",
      price: "0.4400",
      size: "1.00",
    });
    expect(socket.sent).toContainEqual({ op: "resync", topic: "book:MKT" });
    flush();
    expect(client.getTopicState("book:MKT")).toMatchObject({ status: "resyncing", gaps: 1 });
    socket.receive({
      type: "book_snapshot",
      topic: "book:MKT",
      seq: 12,
      bids: [["0.4400", "1.00"]],
      asks: [],
    });
    socket.receive({ type: "status", topic: "book:MKT", status: "live", seq: 12 });
    flush();
    expect(client.getTopicState("book:MKT").book?.bids).toEqual([[440_000, 100]]);
    client.stop();
  });

  it("offers kgw.v2 then v1, and applies a batched message's frames in order, one publish", async () => {
    const { client, flush } = makeClient();
    let published = 0;
    client.subscribe("book:MKT", () => (published += 1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = FakeSocket.last!;
    expect(socket.protocols).toEqual(["kgw.v2", "kgw.v1"]);
    socket.open();
    const delta = (seq: number, price: string, size: string) => ({
      type: "book_delta",
      topic: "book:MKT",
      seq,
      side: "bid",
      price,
      size,
    });
    socket.receive([
      {
        type: "welcome",
        v: 2,
        authenticated: false,
        limits: { maxTopics: 100, framesPerSecond: 20 },
      },
      { type: "book_snapshot", topic: "book:MKT", seq: 3, bids: [["0.4200", "10.00"]], asks: [] },
      { type: "status", topic: "book:MKT", status: "live", seq: 3 },
      delta(4, "0.4300", "2.00"),
      // A frame this client does not know sits in the batch: skipped, the rest applied.
      { type: "from_the_future", topic: "book:MKT" },
      delta(5, "0.4300", "0.00"),
      delta(6, "0.4400", "1.50"),
    ]);
    flush();
    expect(published).toBe(1);
    const state = client.getTopicState("book:MKT");
    expect(state.status).toBe("live");
    expect(state.seq).toBe(6);
    expect(state.book?.bids).toEqual([
      [440_000, 150],
      [420_000, 1_000],
    ]);
    // Order matters: the same deltas out of order are a gap, and the client asks for a resync.
    socket.receive([delta(8, "0.4500", "1.00"), delta(7, "0.4400", "0.00")]);
    flush();
    expect(client.getTopicState("book:MKT").status).toBe("resyncing");
    expect(socket.sent).toContainEqual({ op: "resync", topic: "book:MKT" });
    client.stop();
  });

  it("marks topics stale on a drop, reconnects and replays every subscription", async () => {
    const { client, flush } = makeClient();
    client.subscribe("fills", () => {});
    client.subscribe("ticker:MKT", () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    const first = FakeSocket.last!;
    first.open();
    first.receive({ type: "status", topic: "fills", status: "live", seq: 0 });
    first.receive({
      type: "fill",
      topic: "fills",
      seq: 1,
      msg: {
        trade_id: "t",
        order_id: "o",
        market_ticker: "MKT",
        yes_price_dollars: "0.5000",
        count_fp: "1.00",
      },
    });
    first.receive({
      type: "fill",
      topic: "fills",
      seq: 3,
      msg: {
        trade_id: "t2",
        order_id: "o",
        market_ticker: "MKT",
        yes_price_dollars: "0.5000",
        count_fp: "1.00",
      },
    });
    flush();
    expect(client.getTopicState("fills")).toMatchObject({ status: "live", gaps: 1 });
    expect(client.getTopicState("fills").events).toHaveLength(2);
    first.close();
    flush();
    expect(client.getTopicState("fills").status).toBe("stale");
    expect(client.status).toBe("reconnecting");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = FakeSocket.last!;
    expect(second).not.toBe(first);
    second.open();
    expect(second.sent).toContainEqual({ op: "subscribe", topics: ["fills", "ticker:MKT"] });
    client.stop();
  });
});

describe("GatewayClient robustness", () => {
  it("opens one socket when a topic is subscribed while a reconnect is still fetching its URL", async () => {
    const sockets: FakeSocket[] = [];
    class CountingSocket extends FakeSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    }
    let releaseUrl: ((url: string) => void) | null = null;
    let urlCalls = 0;
    const client = new GatewayClient({
      // The first URL is immediate; the reconnect's waits (a ticket fetch in flight).
      url: () => {
        urlCalls += 1;
        if (urlCalls === 1) return Promise.resolve("ws://gateway/ws");
        return new Promise<string>((resolve) => (releaseUrl = resolve));
      },
      WebSocketImpl: CountingSocket as unknown as typeof WebSocket,
      schedule: () => {},
      random: () => 0,
      reconnectBaseMs: 2,
    });
    client.subscribe("lifecycle", () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    sockets[0]!.close();
    // The reconnect timer (1 ms) fires and starts fetching the URL.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(urlCalls).toBe(2);
    expect(client.status).toBe("reconnecting");
    // A component mounts meanwhile and subscribes: this must not start a second connect.
    client.subscribe("fills", () => {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(urlCalls).toBe(2);
    releaseUrl!("ws://gateway/ws?ticket=t");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toContainEqual({ op: "subscribe", topics: ["lifecycle", "fills"] });
    client.stop();
  });

  it("treats a book delta with a malformed price like a bad snapshot: resync, never a throw", async () => {
    const { client, flush } = makeClient();
    client.subscribe("book:MKT", () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = FakeSocket.last!;
    socket.open();
    socket.receive({ type: "book_snapshot", topic: "book:MKT", seq: 1, bids: [], asks: [] });
    socket.receive({ type: "status", topic: "book:MKT", status: "live", seq: 1 });
    // Passes the schema's number shape but not fixed-point parsing (7 decimals; negative).
    for (const price of ["0.1234567", "-0.5000"]) {
      expect(() =>
        socket.receive({
          type: "book_delta",
          topic: "book:MKT",
          seq: 2,
          side: "bid",
          price,
          size: "1.00",
        }),
      ).not.toThrow();
      expect(socket.sent.at(-1)).toEqual({ op: "resync", topic: "book:MKT" });
      socket.receive({ type: "book_snapshot", topic: "book:MKT", seq: 1, bids: [], asks: [] });
    }
    flush();
    expect(client.getTopicState("book:MKT")).toMatchObject({ gaps: 2 });
    expect(client.getTopicState("book:MKT").book?.bids).toEqual([]);
    client.stop();
  });
});

describe("GatewayClient topic epochs", () => {
  const fill = (seq: number, epoch: string) => ({
    type: "fill",
    topic: "fills",
    seq,
    epoch,
    msg: {
      trade_id: `t${epoch}${seq}`,
      order_id: "o",
      market_ticker: "MKT",
      yes_price_dollars: "0.5000",
      count_fp: "1.00",
    },
  });

  it("takes a restarted topic's events (seq from 1 again) when its epoch changes", async () => {
    const { client, flush } = makeClient();
    client.subscribe("fills", () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = FakeSocket.last!;
    socket.open();
    socket.receive({ type: "status", topic: "fills", status: "live", seq: 40, epoch: "a.1" });
    socket.receive(fill(41, "a.1"));
    // The gateway recreated the topic (e.g. the stream moved to another key): seq restarts.
    socket.receive({ type: "status", topic: "fills", status: "live", seq: 0, epoch: "a.2" });
    socket.receive(fill(1, "a.2"));
    socket.receive(fill(2, "a.2"));
    flush();
    const state = client.getTopicState("fills");
    expect(state.events.map((event) => [event.epoch, event.seq])).toEqual([
      ["a.2", 2],
      ["a.2", 1],
      ["a.1", 41],
    ]);
    expect(state).toMatchObject({ seq: 2, epoch: "a.2", gaps: 0 });
    client.stop();
  });

  it("never applies a delta of another epoch to the book it holds: it resyncs", async () => {
    const { client, flush } = makeClient();
    client.subscribe("book:MKT", () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = FakeSocket.last!;
    socket.open();
    socket.receive({
      type: "book_snapshot",
      topic: "book:MKT",
      seq: 10,
      epoch: "a.1",
      bids: [["0.4000", "1.00"]],
      asks: [],
    });
    socket.receive({
      type: "book_delta",
      topic: "book:MKT",
      seq: 11,
      epoch: "a.2",
      side: "bid",
      price: "0.4100",
      size: "1.00",
    });
    expect(socket.sent.at(-1)).toEqual({ op: "resync", topic: "book:MKT" });
    flush();
    expect(client.getTopicState("book:MKT").book?.bids).toEqual([[400_000, 100]]);
    client.stop();
  });
});
