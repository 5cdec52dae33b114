/**
 * Helpers for the WebSocket integration tests: test markets, funded traders
 * with signing keys, signed upgrade headers, and a client that records every
 * frame and can wait for one. Test-only; nothing in the server imports it.
 */
import { constants, sign } from "node:crypto";
import WebSocket from "ws";
import { ONE_DOLLAR } from "@/lib/fixed-point";
import { priceRangesFor } from "@/lib/price-grid";
import { createAccount, generateApiKey, type NewApiKey } from "@/server/sim/accounts";
import type { EventRecord, MarketRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import { WS_PATH } from "@/server/sim/ws/attach";

/** A frame as received. `msg` stays loosely typed: tests read fields by name. */
export interface Frame {
  type: string;
  id?: number;
  sid?: number;
  seq?: number;
  msg?: unknown;
  [key: string]: unknown;
}

export type Msg = Record<string, unknown>;

/** The frame's `msg` object (throws when it is missing or not an object). */
export function msgOf(frame: Frame | undefined): Msg {
  if (!frame || typeof frame.msg !== "object" || frame.msg === null || Array.isArray(frame.msg)) {
    throw new Error(`frame has no msg object: ${JSON.stringify(frame)}`);
  }
  return frame.msg as Msg;
}

let marketCounter = 0;

/** Inserts an open binary market (and its event, once) on the linear cent grid. */
export function addTestMarket(state: SimState, eventTicker = "WSTEST-26DEC31"): MarketRecord {
  marketCounter += 1;
  const now = state.now();
  const ticker = `${eventTicker}-T${marketCounter}`;
  const market: MarketRecord = {
    ticker,
    eventTicker,
    seriesTicker: "WSTEST",
    marketId: state.newId(),
    marketType: "binary",
    title: `Test market ${marketCounter}`,
    subtitle: "",
    yesSubTitle: `Above ${marketCounter}`,
    noSubTitle: `Not above ${marketCounter}`,
    rulesPrimary: "Resolves yes if the test says so.",
    rulesSecondary: "",
    createdTime: now,
    updatedTime: now,
    openTime: now - 3_600_000,
    closeTime: now + 30 * 86_400_000,
    expectedExpirationTime: now + 31 * 86_400_000,
    latestExpirationTime: now + 31 * 86_400_000,
    settlementTimerSeconds: 60,
    status: "active",
    result: "",
    settlementValue: null,
    determinationTime: null,
    settlementTime: null,
    canCloseEarly: true,
    strikeType: "greater",
    floorStrike: marketCounter,
    capStrike: null,
    priceLevelStructure: "linear_cent",
    priceRanges: priceRangesFor("linear_cent"),
    fairValue: ONE_DOLLAR / 2,
    lastPrice: null,
    previousPrice: null,
    previousYesBid: null,
    previousYesAsk: null,
    volume: 0,
    dollarVolume: 0,
    openInterest: 0,
    notionalValue: ONE_DOLLAR,
    exchangeIndex: 0,
  };
  state.markets.set(ticker, market);
  let event = state.events.get(eventTicker);
  if (!event) {
    event = testEvent(eventTicker, now);
    state.events.set(eventTicker, event);
  }
  event.marketTickers.push(ticker);
  return market;
}

function testEvent(eventTicker: string, now: number): EventRecord {
  return {
    eventTicker,
    seriesTicker: "WSTEST",
    title: "WebSocket test event",
    subTitle: "Dec 31",
    category: "Test",
    mutuallyExclusive: false,
    collateralReturnType: "",
    strikeDate: now + 31 * 86_400_000,
    strikePeriod: "",
    availableOnBrokers: false,
    marketTickers: [],
    imageUrl: "",
    competition: null,
    lastUpdatedTs: now,
  };
}

export interface Trader {
  user: UserRecord;
  key: NewApiKey;
}

/** A funded account ($100,000) with an API key. */
export function createTrader(state: SimState): Trader {
  const user = createAccount(state, { balanceCents: 10_000_000 });
  return { user, key: generateApiKey(state, user, "ws-test") };
}

/** The three KALSHI-ACCESS-* headers for the upgrade, signed like a real client does. */
export function signedHeaders(
  key: NewApiKey,
  options: { timestamp?: number; path?: string } = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = sign("sha256", Buffer.from(timestamp + "GET" + (options.path ?? WS_PATH)), {
    key: key.privateKeyPem,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString("base64");
  return {
    "KALSHI-ACCESS-KEY": key.apiKeyId,
    "KALSHI-ACCESS-TIMESTAMP": timestamp,
    "KALSHI-ACCESS-SIGNATURE": signature,
  };
}

export interface RejectedUpgrade {
  status: number;
  body: string;
  opened: boolean;
}

/** Attempts an upgrade that should fail; resolves with the HTTP status and body. */
export function expectRejectedUpgrade(
  url: string,
  headers: Record<string, string>,
): Promise<RejectedUpgrade> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => {
      ws.terminate();
      resolve({ status: 101, body: "", opened: true });
    });
    ws.on("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          opened: false,
        });
        ws.terminate();
      });
    });
    ws.on("error", (error) => {
      // "unexpected-response" handles HTTP answers; anything else (reset socket) is reported here.
      if (!String(error).includes("Unexpected server response")) reject(error);
    });
  });
}

let barrierId = 1_000_000;

/** A connected test client: records every frame, waits for frames, sends commands. */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly pings: string[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on("ping", (payload) => {
      this.pings.push(payload.toString("utf8"));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static connect(url: string, headers: Record<string, string>): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new TestClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  send(command: unknown): void {
    this.ws.send(typeof command === "string" ? command : JSON.stringify(command));
  }

  /** Resolves with the first frame at index ≥ `from` that matches. */
  async waitFor(predicate: (frame: Frame) => boolean, from = 0, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out; frames so far: ${JSON.stringify(this.frames.slice(from)).slice(0, 2000)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until at least `count` pings arrived. */
  async waitForPings(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pings.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.pings.length} pings`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Sends a command and returns the frames it produced up to and including
   * a trailing barrier: frames on one socket arrive in order, so everything
   * the server sent before answering the barrier is in.
   */
  async command(command: Record<string, unknown>): Promise<Frame[]> {
    const from = this.frames.length;
    this.send(command);
    const end = await this.barrier(from);
    return this.frames.slice(from, end);
  }

  /** Round-trips a list_subscriptions; returns the index of its reply (frames before it are complete). */
  async barrier(from = 0): Promise<number> {
    barrierId += 1;
    const id = barrierId;
    this.send({ id, cmd: "list_subscriptions" });
    const reply = await this.waitFor((frame) => frame.id === id && frame.type === "ok", from);
    return this.frames.indexOf(reply);
  }

  /** Frames received since `from`, up to a barrier. */
  async drain(from: number): Promise<Frame[]> {
    const end = await this.barrier(from);
    return this.frames.slice(from, end);
  }

  close(): void {
    this.ws.terminate();
  }
}
