/**
 * Rolling generation: recurring series never run dry while the simulator
 * runs for hours or days. Hourly KXBTC fixings and daily KXHIGHNY brackets
 * get new events listed ahead of time, built by the same market builders the
 * seed uses (seed/catalog.ts), announced with `event_lifecycle` and one
 * market `created` per market, and given the seed maker's opening ladder when
 * they open (opening-liquidity.ts); the bots quote every active market.
 *
 * With a time scale above 1, KXBTC ("short-lived") is listed on a compressed
 * period (an hour / time scale, at least a minute) next to the seeded hourly
 * events, with HHMM tickers so they never collide; daily weather keeps
 * real days. Only series present in the state roll (an exchange without seed
 * data lists nothing).
 */
import type { ExchangeCore } from "@/server/sim/exchange-core";
import type { EventRecord } from "@/server/sim/model";
import { SeededRandom } from "@/server/sim/random";
import { addEvent, type BackfillPlan, type EventSpec } from "@/server/sim/seed/builders";
import {
  DAY_MS,
  HOUR_MS,
  LocalCalendar,
  MINUTE_MS,
  newYorkOffsetMs,
} from "@/server/sim/seed/calendar";
import { bitcoinMarketSpecs, NYC_NORMAL_HIGH, weatherMarketSpecs } from "@/server/sim/seed/catalog";
import { placeOpeningLadder } from "@/server/sim/lifecycle/opening-liquidity";
import { statePart, type SimState } from "@/server/sim/state";

/** Generated short-lived events never live less than a minute, whatever the time scale. */
export const MIN_COMPRESSED_PERIOD_MS = MINUTE_MS;

interface RollingContext {
  exchange: ExchangeCore;
  state: SimState;
  now: number;
  periodMs: number;
  random: SeededRandom;
  rolling: RollingState;
}

interface RecurringPlan {
  seriesTicker: string;
  /** Time between closes at time scale 1. */
  periodMs: number;
  /** Whether the time scale shortens this series' events. */
  compress: boolean;
  /** Closes up to now + ahead × period are kept listed. */
  ahead: number;
  /** The first close strictly after `ms`. */
  closeAfter(ms: number, periodMs: number): number;
  /** The event closing at `close`, or null when its ticker is taken. */
  build(ctx: RollingContext, close: number): EventSpec | null;
}

interface RollingState {
  random: SeededRandom;
  /** Per series: the latest close listed (the cursor generation continues from). */
  lastClose: Map<string, number>;
  /** Clock time of the next listing due across all series. */
  nextCheck: number;
  /** KXBTC's simulated spot, walked from one fixing to the next. */
  btcSpot: number | undefined;
}

const ROLLING = statePart<RollingState>("rolling-series", (state) => ({
  random: new SeededRandom((state.seed ^ 0x5011ed) | 0),
  lastClose: new Map(),
  nextCheck: Number.NEGATIVE_INFINITY,
  btcSpot: undefined,
}));

function rollingOf(state: SimState): RollingState {
  return state.part(ROLLING);
}

const calendarAt = (ms: number) => new LocalCalendar(newYorkOffsetMs(ms));
const round1 = (x: number) => Math.round(x * 10) / 10;
const pad2 = (n: number) => String(n).padStart(2, "0");

/** "5pm EDT", or "5:07pm EDT" for sub-hour fixings. */
function timeLabel(et: LocalCalendar, ms: number, periodMs: number): string {
  if (periodMs >= HOUR_MS) return `${et.hourLabel(ms)} ${et.zoneName}`;
  const hour = et.hourLabel(ms);
  const minutes = pad2(new Date(ms + et.offsetMs).getUTCMinutes());
  return `${hour.slice(0, -2)}:${minutes}${hour.slice(-2)} ${et.zoneName}`;
}

/** The probability-weighted middle of the latest KXBTC ladder, or $100k without one. */
function estimateBtcSpot(state: SimState): number {
  let latest: EventRecord | undefined;
  for (const event of state.events.values()) {
    if (event.seriesTicker !== "KXBTC") continue;
    if (!latest || (event.strikeDate ?? 0) > (latest.strikeDate ?? 0)) latest = event;
  }
  let weighted = 0;
  let total = 0;
  for (const ticker of latest?.marketTickers ?? []) {
    const market = state.market(ticker);
    if (
      !market ||
      market.strikeType !== "between" ||
      market.floorStrike === null ||
      market.capStrike === null
    )
      continue;
    weighted += market.fairValue * ((market.floorStrike + market.capStrike) / 2);
    total += market.fairValue;
  }
  return total > 0 ? weighted / total : 100_000;
}

const bitcoinPlan: RecurringPlan = {
  seriesTicker: "KXBTC",
  periodMs: HOUR_MS,
  compress: true,
  ahead: 3,
  closeAfter: (ms, periodMs) => Math.floor(ms / periodMs) * periodMs + periodMs,
  build(ctx, close) {
    const { state, random, now, periodMs, rolling } = ctx;
    const series = state.series.get("KXBTC");
    if (!series) return null;
    const et = calendarAt(close);
    const minutes = periodMs < HOUR_MS ? pad2(new Date(close + et.offsetMs).getUTCMinutes()) : "";
    const eventTicker = `KXBTC-${et.dateCode(close)}${pad2(et.hour(close))}${minutes}`;
    if (state.events.has(eventTicker)) return null;
    const previous = rolling.btcSpot ?? estimateBtcSpot(state);
    // One period of BTC volatility (≈0.3%/h), in the period's own units so compressed ladders look the same.
    const spot = previous * Math.exp(random.gaussian() * 0.003);
    rolling.btcSpot = spot;
    const periodsAhead = Math.max((close - now) / periodMs, 0.25);
    const sd = spot * 0.004 * Math.sqrt(periodsAhead);
    const center = Math.round((spot + random.gaussian() * spot * 0.002) / 500) * 500;
    const label = timeLabel(et, close, periodMs);
    const when = `${et.dateLabel(close)} at ${label}`;
    const openTime = close - 2 * periodMs;
    return {
      series,
      eventTicker,
      title: `Bitcoin price today at ${label}?`,
      subTitle: when,
      mutuallyExclusive: true,
      strikeDate: close,
      lifecycle: openTime > now ? "initialized" : "active",
      createdTime: now,
      openTime,
      closeTime: close,
      // Nominal times, as the seed lists them; the lifecycle divides the waits by the time scale.
      expectedExpirationTime: close + 5 * MINUTE_MS,
      latestExpirationTime: close + 7 * DAY_MS,
      settlementTimerSeconds: 300,
      canCloseEarly: false,
      priceLevelStructure: "deci_cent",
      occurrenceTime: close,
      history: null,
      markets: bitcoinMarketSpecs({
        when,
        closeLabel: `${label} on ${et.dateLabel(close)}`,
        center,
        spot,
        sd,
      }),
    };
  },
};

/** A day's close: one minute before local midnight, as the seed lists them. */
function weatherCloseOf(ms: number): number {
  const et = calendarAt(ms);
  return et.dayStart(ms) + DAY_MS - MINUTE_MS;
}

const weatherPlan: RecurringPlan = {
  seriesTicker: "KXHIGHNY",
  periodMs: DAY_MS,
  compress: false,
  ahead: 3,
  closeAfter(ms) {
    const close = weatherCloseOf(ms);
    return close > ms ? close : weatherCloseOf(ms + DAY_MS);
  },
  build(ctx, close) {
    const { state, random, now } = ctx;
    const series = state.series.get("KXHIGHNY");
    if (!series) return null;
    const et = calendarAt(close);
    const day = et.dayStart(close);
    const eventTicker = `KXHIGHNY-${et.dateCode(day)}`;
    if (state.events.has(eventTicker)) return null;
    const dateLabel = et.dateLabel(day);
    const forecast = NYC_NORMAL_HIGH[et.month(day)] ?? 70;
    const mean = round1(forecast + random.gaussian() * 4);
    const openTime = Math.max(day - 2 * DAY_MS + 10 * HOUR_MS, now);
    return {
      series,
      eventTicker,
      title: `Highest temperature in NYC on ${dateLabel}?`,
      subTitle: `On ${dateLabel}`,
      mutuallyExclusive: true,
      strikeDate: close,
      lifecycle: openTime > now ? "initialized" : "active",
      createdTime: now,
      openTime,
      closeTime: close,
      expectedExpirationTime: day + DAY_MS + 10 * HOUR_MS,
      latestExpirationTime: day + 8 * DAY_MS,
      settlementTimerSeconds: 3600,
      canCloseEarly: false,
      priceLevelStructure: "linear_cent",
      history: null,
      // Two or more days out: the seed's widest forecast uncertainty.
      markets: weatherMarketSpecs({ dateLabel, mean, sd: 3.8 }),
    };
  },
};

/** The recurring series that roll, in listing order. */
export const RECURRING_PLANS: readonly RecurringPlan[] = [weatherPlan, bitcoinPlan];

/** The period a plan lists on under `timeScale`. */
export function rollingPeriodMs(
  plan: Pick<RecurringPlan, "periodMs" | "compress">,
  timeScale: number,
): number {
  if (!plan.compress || timeScale === 1) return plan.periodMs;
  return Math.max(Math.round(plan.periodMs / timeScale), MIN_COMPRESSED_PERIOD_MS);
}

/** The latest close among the series' listed events, or undefined without any. */
function latestListedClose(state: SimState, seriesTicker: string): number | undefined {
  let latest: number | undefined;
  for (const event of state.events.values()) {
    if (event.seriesTicker !== seriesTicker) continue;
    for (const ticker of event.marketTickers) {
      const close = state.market(ticker)?.closeTime;
      if (close !== undefined && (latest === undefined || close > latest)) latest = close;
    }
  }
  return latest;
}

/** Adds the event, announces it and its markets on the bus, and seeds liquidity if it is already open. */
function listEvent(ctx: RollingContext, spec: EventSpec): void {
  const { exchange, state, now } = ctx;
  const discarded: BackfillPlan[] = [];
  const event = addEvent(state, spec, discarded);
  state.bus.publish({ kind: "event_lifecycle", eventTicker: event.eventTicker, tsMs: now });
  for (const ticker of event.marketTickers) {
    state.bus.publish({ kind: "market_lifecycle", ticker, eventType: "created", tsMs: now });
  }
  if (spec.lifecycle === "active") {
    for (const ticker of event.marketTickers) {
      const market = state.market(ticker);
      if (market) placeOpeningLadder(exchange, market);
    }
  }
}

/**
 * Lists every recurring event that is due: for each rolling series, events
 * closing up to now + ahead × period. A clock that jumped past several
 * periods resumes from now (missed fixings are not back-filled). Cheap when
 * nothing is due: one comparison.
 */
export function listRecurringEvents(exchange: ExchangeCore): void {
  const { state } = exchange;
  const now = state.now();
  const rolling = rollingOf(state);
  if (now < rolling.nextCheck) return;
  let nextCheck = Number.POSITIVE_INFINITY;
  for (const plan of RECURRING_PLANS) {
    if (!state.series.has(plan.seriesTicker)) continue;
    const periodMs = rollingPeriodMs(plan, exchange.timeScale);
    const compressed = periodMs !== plan.periodMs;
    let cursor = rolling.lastClose.get(plan.seriesTicker);
    // Compressed events start from now beside the seeded real-time ones; otherwise continue after the last listed close.
    if (cursor === undefined)
      cursor = compressed ? now : (latestListedClose(state, plan.seriesTicker) ?? now);
    if (cursor < now) cursor = now;
    const ctx: RollingContext = { exchange, state, now, periodMs, random: rolling.random, rolling };
    const horizon = now + plan.ahead * periodMs;
    for (
      let close = plan.closeAfter(cursor, periodMs);
      close <= horizon;
      close = plan.closeAfter(cursor, periodMs)
    ) {
      cursor = close;
      const spec = plan.build(ctx, close);
      if (spec) listEvent(ctx, spec);
    }
    rolling.lastClose.set(plan.seriesTicker, cursor);
    nextCheck = Math.min(nextCheck, plan.closeAfter(cursor, periodMs) - plan.ahead * periodMs);
  }
  rolling.nextCheck = nextCheck;
}
