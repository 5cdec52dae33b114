/**
 * Conformance against Kalshi's AsyncAPI spec: collects one frame of every
 * type the simulator emits and checks it against the message's payload
 * schema (required fields, JSON types, const/enum/format/pattern, and no
 * field the schema does not list). The communications channel is exercised
 * on a combo RFQ, so rfq_created carries the collection and its legs.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseDollars } from "@/lib/fixed-point";
import type { MarketLifecycleEventType } from "@/server/sim/bus";
import { comboStore } from "@/server/sim/combos/combo-store";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import {
  addTestMarket,
  createTrader,
  signedHeaders,
  TestClient,
  type Frame,
} from "@/server/sim/ws/test-support";

const SPEC_PATH = "/work/shared/kalshi-docs/asyncapi.yaml";

interface Schema {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

interface Spec {
  components: {
    messages: Record<string, { name: string; payload: Schema }>;
    schemas: Record<string, Schema>;
  };
}

const spec = parse(readFileSync(SPEC_PATH, "utf8")) as Spec;

/** Follows `$ref`s; keys written next to a `$ref` (description etc.) are kept. */
function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const target = spec.components.schemas[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  const { $ref: _ref, ...rest } = schema;
  return { ...resolve(target), ...rest };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Returns every violation of `schema` by `value`, with JSON paths. */
function violations(
  value: unknown,
  raw: Schema,
  path: string,
  allowedExtras: ReadonlySet<string>,
): string[] {
  const schema = resolve(raw);
  const out: string[] = [];
  const actual = jsonType(value);
  if (value === null && schema.nullable) return out;
  if (schema.type) {
    const ok =
      schema.type === "number"
        ? actual === "number" || actual === "integer"
        : actual === schema.type;
    if (!ok) return [`${path}: expected ${schema.type}, got ${actual} (${JSON.stringify(value)})`];
  }
  if ("const" in schema && value !== schema.const)
    out.push(`${path}: expected const ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value))
    out.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === "string") {
    if (schema.format === "uuid" && !UUID.test(value)) out.push(`${path}: not a uuid: ${value}`);
    if (schema.format === "date-time" && !RFC3339.test(value))
      out.push(`${path}: not RFC3339: ${value}`);
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      out.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      out.push(`${path}: below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      out.push(`${path}: above maximum ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      out.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      out.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items)
      value.forEach((item, i) =>
        out.push(...violations(item, schema.items as Schema, `${path}[${i}]`, allowedExtras)),
      );
  }
  if (actual === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in record)) out.push(`${path}: missing required ${key}`);
    }
    if (schema.properties) {
      for (const [key, child] of Object.entries(record)) {
        const childSchema = schema.properties[key];
        if (childSchema)
          out.push(...violations(child, childSchema, `${path}.${key}`, allowedExtras));
        else if (!allowedExtras.has(`${path}.${key}`))
          out.push(`${path}: field ${key} is not in the schema`);
      }
    }
  }
  return out;
}

/** Which spec message (components.messages key) each emitted frame type is an instance of. */
const SPEC_MESSAGE: Record<string, string> = {
  subscribed: "subscribedResponse",
  unsubscribed: "unsubscribedResponse",
  ok: "okResponse",
  error: "errorResponse",
  orderbook_snapshot: "orderbookSnapshot",
  orderbook_delta: "orderbookDelta",
  ticker: "ticker",
  trade: "trade",
  fill: "fill",
  user_order: "userOrder",
  market_position: "marketPosition",
  market_lifecycle_v2: "marketLifecycleV2",
  event_lifecycle: "eventLifecycle",
  rfq_created: "rfqCreated",
  rfq_deleted: "rfqDeleted",
  quote_created: "quoteCreated",
  quote_accepted: "quoteAccepted",
  quote_executed: "quoteExecuted",
};

/** The payload schema of the spec message a frame is an instance of. */
function payloadSchemaFor(frame: Frame): Schema {
  // list_subscriptions answers with type "ok" and an array msg.
  const key =
    frame.type === "ok" && Array.isArray(frame.msg)
      ? "listSubscriptionsResponse"
      : SPEC_MESSAGE[frame.type];
  const message = key === undefined ? undefined : spec.components.messages[key];
  if (!message) throw new Error(`no spec message for frame type ${frame.type}`);
  expect(message.name === frame.type || key === "listSubscriptionsResponse").toBe(true);
  return message.payload;
}

/**
 * Fields sent on purpose although the payload schema does not list them.
 * `$.sid` on error frames: terminal subscription errors (25) name the
 * subscription they ended. Not exercised by the frames collected below.
 */
const INTENTIONAL_EXTRAS: Record<string, ReadonlySet<string>> = {
  error: new Set(["$.sid"]),
};

function checkFrame(frame: Frame): string[] {
  return violations(
    frame,
    payloadSchemaFor(frame),
    "$",
    INTENTIONAL_EXTRAS[frame.type] ?? new Set(),
  );
}

const LIFECYCLE_TYPES: MarketLifecycleEventType[] = [
  "created",
  "activated",
  "deactivated",
  "close_date_updated",
  "determined",
  "settled",
  "price_level_structure_updated",
  "metadata_updated",
];

let sim: RunningSim;
const collected: Frame[] = [];

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  const { state, engine } = sim.exchange;
  const alice = createTrader(state);
  const bob = createTrader(state);
  const market = addTestMarket(state, "WSCONF-26DEC31");
  const second = addTestMarket(state, "WSCONF-26DEC31");
  engine.placeOrder({
    userId: bob.user.userId,
    ticker: market.ticker,
    side: "bid",
    price: parseDollars("0.40"),
    count: 500,
    timeInForce: "good_till_canceled",
  });
  engine.placeOrder({
    userId: bob.user.userId,
    ticker: market.ticker,
    side: "ask",
    price: parseDollars("0.60"),
    count: 300,
    timeInForce: "good_till_canceled",
  });

  const client = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
  await client.command({
    id: 1,
    cmd: "subscribe",
    params: {
      channels: [
        "orderbook_delta",
        "ticker",
        "trade",
        "fill",
        "user_orders",
        "market_positions",
        "market_lifecycle_v2",
      ],
      market_tickers: [market.ticker],
      send_initial_snapshot: true,
    },
  });
  engine.placeOrder({
    userId: alice.user.userId,
    ticker: market.ticker,
    side: "bid",
    price: parseDollars("0.60"),
    count: 450,
    timeInForce: "good_till_canceled",
    clientOrderId: "conformance-1",
    expirationTime: state.now() + 3_600_000,
  });
  const now = state.now();
  state.bus.publish({ kind: "event_lifecycle", eventTicker: market.eventTicker, tsMs: now });
  market.result = "yes";
  market.settlementValue = 1_000_000;
  market.determinationTime = now;
  market.settlementTime = now;
  for (const eventType of LIFECYCLE_TYPES)
    state.bus.publish({ kind: "market_lifecycle", ticker: market.ticker, eventType, tsMs: now });
  await client.command({
    id: 2,
    cmd: "update_subscription",
    params: { sid: 1, action: "add_markets", market_tickers: [second.ticker] },
  });
  await client.command({
    id: 3,
    cmd: "update_subscription",
    params: { sid: 1, action: "get_snapshot", market_tickers: [second.ticker] },
  });
  await client.command({ id: 4, cmd: "unsubscribe", params: { sids: [2] } });
  await client.command({
    id: 5,
    cmd: "subscribe",
    params: { channels: ["orderbook_delta"], market_ticker: "NO-SUCH-MARKET" },
  });
  await client.command({ id: 6, cmd: "subscribe" });

  // The communications channel, on a combo: alice asks, bob quotes, alice accepts yes, bob
  // confirms, the trade executes (combos are high-volatility: a 1 s execution timer).
  await client.command({ id: 7, cmd: "subscribe", params: { channels: ["communications"] } });
  const combos = comboStore(state);
  const collection = [...combos.collections.values()].find(
    (c) => combos.statusOf(c) === "open" && c.associatedEvents.length >= 2,
  );
  if (!collection) throw new Error("no open collection seeded");
  const legs = collection.associatedEvents.slice(0, 2).map((event) => {
    const marketTicker = state.events.get(event.ticker)?.marketTickers[0];
    if (!marketTicker) throw new Error(`no market in ${event.ticker}`);
    return { marketTicker, eventTicker: event.ticker, side: "yes" as const };
  });
  const combo = combos.createOrFind(collection.collectionTicker, legs);
  const asAlice = { userId: alice.user.userId, lockedSubaccount: null };
  const asBob = { userId: bob.user.userId, lockedSubaccount: null };
  const rfq = sim.exchange.rfqDesk.createRfq(asAlice, {
    marketTicker: combo.marketTicker,
    contracts: 200,
    targetCost: null,
    targetCostExcludesFees: false,
    restRemainder: false,
    replaceExisting: false,
    subaccount: undefined,
  });
  const quote = sim.exchange.rfqDesk.createQuote(asBob, {
    rfqId: rfq.id,
    yesBid: parseDollars("0.20"),
    noBid: parseDollars("0.70"),
    restRemainder: false,
    postOnly: false,
    subaccount: undefined,
  });
  sim.exchange.rfqDesk.acceptQuote(asAlice, quote.id, "yes");
  sim.exchange.rfqDesk.confirmQuote(asBob, quote.id);
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  sim.exchange.tick();
  await client.barrier();
  collected.push(...client.frames);
  client.close();
});

afterAll(async () => {
  await sim.close();
});

const EMITTED_TYPES = [
  "subscribed",
  "unsubscribed",
  "ok",
  "error",
  "orderbook_snapshot",
  "orderbook_delta",
  "ticker",
  "trade",
  "fill",
  "user_order",
  "market_position",
  "market_lifecycle_v2",
  "event_lifecycle",
  "rfq_created",
  "quote_created",
  "quote_accepted",
  "quote_executed",
  "rfq_deleted",
];

describe("AsyncAPI conformance", () => {
  it("collected at least one frame of every emitted type", () => {
    const types = new Set(collected.map((frame) => frame.type));
    for (const type of EMITTED_TYPES) expect(types, type).toContain(type);
    // Both ok shapes and every lifecycle event type were exercised.
    expect(collected.some((f) => f.type === "ok" && Array.isArray(f.msg))).toBe(true);
    expect(collected.some((f) => f.type === "ok" && !Array.isArray(f.msg))).toBe(true);
    const lifecycle = collected
      .filter((f) => f.type === "market_lifecycle_v2")
      .map((f) => (f.msg as { event_type: string }).event_type);
    expect(new Set(lifecycle)).toEqual(new Set(LIFECYCLE_TYPES));
    // The combo's collection and legs rode on rfq_created (a combo RFQ was exercised).
    const created = collected.find((f) => f.type === "rfq_created")?.msg as
      { mve_collection_ticker?: string; mve_selected_legs?: unknown[] } | undefined;
    expect(created?.mve_collection_ticker).toMatch(/^KXMVE/);
    expect(created?.mve_selected_legs).toHaveLength(2);
    // The own-order fields of a delta were exercised too.
    expect(
      collected.some(
        (f) =>
          f.type === "orderbook_delta" &&
          (f.msg as { client_order_id?: string }).client_order_id === "conformance-1",
      ),
    ).toBe(true);
  });

  it.each(EMITTED_TYPES)("every %s frame matches its payload schema", (type) => {
    const frames = collected.filter((frame) => frame.type === type);
    expect(frames.length).toBeGreaterThan(0);
    const problems = frames.flatMap((frame) =>
      checkFrame(frame).map((problem) => `${problem} in ${JSON.stringify(frame)}`),
    );
    expect(problems).toEqual([]);
  });

  it("the checker itself reports wrong types, missing fields and unknown fields", () => {
    const ticker = collected.find((frame) => frame.type === "ticker");
    if (!ticker) throw new Error("no ticker frame");
    const { dollar_volume: _dropped, ...rest } = ticker.msg as Record<string, unknown>;
    const broken: Frame = { ...ticker, msg: { ...rest, volume_fp: 12, Clock: 1 } };
    expect(checkFrame(broken)).toEqual([
      "$.msg: missing required dollar_volume",
      "$.msg.volume_fp: expected string, got integer (12)",
      "$.msg: field Clock is not in the schema",
    ]);
  });

  it("the terminal overflow error only adds the documented sid", () => {
    const frame: Frame = {
      type: "error",
      sid: 3,
      msg: { code: 25, msg: "Subscription buffer overflow" },
    };
    expect(checkFrame(frame)).toEqual([]);
    expect(violations(frame, payloadSchemaFor(frame), "$", new Set())).toEqual([
      "$: field sid is not in the schema",
    ]);
  });
});
