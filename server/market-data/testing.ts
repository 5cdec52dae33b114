/**
 * Test helpers for the market-data service: a real simulator behind a
 * counting proxy, a service with its own feed on the simulator's WebSocket,
 * and a field-by-field comparison of the universe with what REST says.
 */
import type { Clock } from "@/server/sim/clock";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";
import type { UpstreamConnection } from "@/server/gateway/upstream";
import { createPublicKalshiClient } from "@/server/kalshi/client";
import { systemClock } from "@/server/kalshi/clock";
import { BASIC_TIER_BUDGET, RateLimiter } from "@/server/kalshi/rate-limits";
import { forward, json, startHttpStub, type HttpStub } from "@/server/kalshi/testing/http-stub";
import { startSimExchange, type RunningSim, type SimOptions } from "@/server/sim/start";

import { startOwnFeed } from "./own-feed";
import { MarketDataService } from "./service";
import { ROLLING_FIELDS } from "./universe";

/** A clock that runs with real time plus an offset the test moves forward. */
export class OffsetClock implements Clock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface MarketDataRig {
  sim: RunningSim;
  proxy: HttpStub;
  /** Requests that went upstream through the proxy (path + query). */
  upstream: string[];
  service: MarketDataService;
  feed: UpstreamConnection;
  close(): Promise<void>;
}

/** Simulator (bots off unless asked), counting proxy, service with its own feed; waits for the first load. */
export async function startMarketDataRig(
  options: { sim?: SimOptions; clock?: OffsetClock; reconcileMs?: number } = {},
): Promise<MarketDataRig> {
  const clock = options.clock;
  const sim = await startSimExchange({ port: 0, bots: false, clock, ...options.sim });
  const proxy = await startHttpStub();
  const upstream: string[] = [];
  proxy.handle(async (request, res) => {
    upstream.push(request.url);
    const answer = await forward(request, new URL(sim.restBaseUrl).origin);
    json(res, answer.status, answer.text);
  });
  const now = clock?.now ?? Date.now;
  const service = new MarketDataService({
    // Its own limiter, on the Basic budget Kalshi gives an unsigned reader (20 reads/s).
    client: createPublicKalshiClient(proxy.restBaseUrl, {
      limiter: new RateLimiter(systemClock, BASIC_TIER_BUDGET),
    }),
    enabled: true,
    reconcileMs: options.reconcileMs ?? 3_600_000,
    settledRetentionMs: 7 * 86_400_000,
    now,
    log: () => undefined,
  });
  const credential = await provisionSimServiceCredential(sim.restBaseUrl);
  const feed = startOwnFeed({
    url: sim.wsUrl,
    credential,
    tap: service.tap,
    log: () => undefined,
  });
  service.start();
  await service.ready();
  if (!service.isReady) throw new Error("the market-data service did not load");
  return {
    sim,
    proxy,
    upstream,
    service,
    feed,
    async close() {
      feed.close();
      service.stop();
      await proxy.close();
      await sim.close();
    },
  };
}

type Wire = Record<string, unknown>;

async function getJson(url: string): Promise<Wire> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as Wire;
}

/** Every market the live REST tier lists (all statuses, every page), straight from the simulator. */
export async function restMarkets(sim: RunningSim): Promise<Map<string, Wire>> {
  const out = new Map<string, Wire>();
  let cursor = "";
  do {
    const page = await getJson(
      `${sim.restBaseUrl}/markets?limit=1000&mve_filter=exclude${cursor ? `&cursor=${cursor}` : ""}`,
    );
    for (const market of page.markets as Wire[]) out.set(String(market.ticker), market);
    cursor = String(page.cursor ?? "");
  } while (cursor);
  return out;
}

/**
 * Differences between the universe and REST, one line each: markets REST
 * lists that the universe should hold (not settled, or settled within
 * `retentionMs`) and does not, markets it holds that REST does not list,
 * and every field that differs (except `ignore`), events and series too.
 */
export async function diffWithRest(
  rig: MarketDataRig,
  options: { ignore?: readonly string[]; retentionMs?: number; now?: () => number } = {},
): Promise<string[]> {
  const ignore = new Set(options.ignore ?? []);
  const now = options.now ?? Date.now;
  const retention = options.retentionMs ?? 7 * 86_400_000;
  const rest = await restMarkets(rig.sim);
  const universe = rig.service.universe;
  const diffs: string[] = [];
  for (const [ticker, market] of rest) {
    const settledAt =
      typeof market.settlement_ts === "string" ? Date.parse(market.settlement_ts) : undefined;
    const expected =
      market.status !== "finalized" || (settledAt !== undefined && settledAt >= now() - retention);
    const held = universe.market(ticker) as Wire | undefined;
    if (!expected) {
      if (held) diffs.push(`${ticker}: held but settled before the retention window`);
      continue;
    }
    if (!held) {
      diffs.push(`${ticker}: not held (REST status ${String(market.status)})`);
      continue;
    }
    for (const field of new Set([...Object.keys(market), ...Object.keys(held)])) {
      if (ignore.has(field)) continue;
      if (JSON.stringify(market[field]) !== JSON.stringify(held[field]))
        diffs.push(
          `${ticker}.${field}: held ${JSON.stringify(held[field])}, REST ${JSON.stringify(market[field])}`,
        );
    }
  }
  for (const ticker of universe.markets.keys())
    if (!rest.has(ticker)) diffs.push(`${ticker}: held but not listed by REST`);

  // Events (as GET /events/{t} describes them) and series.
  for (const [eventTicker, entry] of universe.events) {
    const answer = await getJson(`${rig.sim.restBaseUrl}/events/${eventTicker}`);
    const event = answer.event as Wire;
    for (const field of new Set([...Object.keys(event), ...Object.keys(entry.event)])) {
      if (field === "markets") continue;
      const held = (entry.event as Wire)[field];
      if (JSON.stringify(event[field]) !== JSON.stringify(held))
        diffs.push(`event ${eventTicker}.${field}: held ${JSON.stringify(held)}`);
    }
  }
  const series = (await getJson(`${rig.sim.restBaseUrl}/series`)).series as Wire[];
  for (const s of series) {
    const held = universe.series.get(String(s.ticker))?.series as Wire | undefined;
    if (!held) {
      diffs.push(`series ${String(s.ticker)}: not held`);
      continue;
    }
    for (const field of new Set([...Object.keys(s), ...Object.keys(held)]))
      if (JSON.stringify(s[field]) !== JSON.stringify(held[field]))
        diffs.push(`series ${String(s.ticker)}.${field}: held ${JSON.stringify(held[field])}`);
  }
  return diffs;
}

/** Polls `diff` until it is empty or `timeoutMs` passes; returns the last differences. */
export async function eventuallyEqual(
  diff: () => Promise<string[]>,
  timeoutMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = await diff();
  while (last.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await diff();
  }
  return last;
}

export { ROLLING_FIELDS };
