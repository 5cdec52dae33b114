/**
 * Exchange-wide endpoints (api-reference/exchange/*): status, schedule,
 * announcements, the user-data timestamp and scheduled series fee changes.
 * Status reads `state.flags`, which the sim-only pause/resume routes set.
 */
import { z } from "zod";
import type { FeeType } from "@/lib/fees";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { currentPause } from "@/server/sim/http/routes/sim-admin";
import { parseQuery, queryBool } from "@/server/sim/http/validation";
import { SeededRandom } from "@/server/sim/random";
import type { SimState } from "@/server/sim/state";

const DAY_MS = 86_400_000;
const ET_ZONE = "America/New_York";

/** RFC 3339 in UTC, as Kalshi sends date-times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

// ------------------------------------------------------------------ status

export interface ExchangeStatusBody {
  exchange_active: boolean;
  trading_active: boolean;
  intra_exchange_transfers_active: boolean;
  exchange_estimated_resume_time: string | null;
  exchange_index_statuses: Array<{
    exchange_index: number;
    description: string;
    exchange_active: boolean;
    trading_active: boolean;
    intra_exchange_transfers_active: boolean;
  }>;
}

/** The ExchangeStatus body for the current flags (one shard, index 0, mirrors the top level). */
export function exchangeStatusBody(state: SimState): ExchangeStatusBody {
  const { exchangeActive, estimatedResumeTime } = state.flags;
  // An exchange pause stops trading too, whatever the trading flag says.
  const tradingActive = exchangeActive && state.flags.tradingActive;
  return {
    exchange_active: exchangeActive,
    trading_active: tradingActive,
    intra_exchange_transfers_active: exchangeActive,
    exchange_estimated_resume_time:
      estimatedResumeTime === null ? null : isoTime(estimatedResumeTime),
    exchange_index_statuses: [
      {
        exchange_index: 0,
        description: "Default exchange",
        exchange_active: exchangeActive,
        trading_active: tradingActive,
        intra_exchange_transfers_active: exchangeActive,
      },
    ],
  };
}

// ---------------------------------------------------------------- schedule

/** Offset of ET from UTC at instant `utcMs`, in ms (−4 h in summer, −5 h in winter). */
function etOffsetMs(utcMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: ET_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** UTC instant of an ET wall-clock time (day may overflow; Date.UTC normalises it). */
function etWallToUtc(year: number, month: number, day: number, hour: number): number {
  const naive = Date.UTC(year, month, day, hour);
  // Two passes settle the offset even next to a DST switch.
  let utc = naive - etOffsetMs(naive);
  utc = naive - etOffsetMs(utc);
  return utc;
}

/** The weekly Thursday 03:00–05:00 ET windows (maintenance_and_pauses.md), the current one first if under way. */
export function upcomingMaintenanceWindows(
  nowMs: number,
  count = 4,
): Array<{ start: number; end: number }> {
  const etNow = new Date(nowMs + etOffsetMs(nowMs));
  // Start from the Thursday of the current ET week (getUTCDay: 4 = Thursday).
  const daysBack = (etNow.getUTCDay() - 4 + 7) % 7;
  const y = etNow.getUTCFullYear();
  const m = etNow.getUTCMonth();
  const d = etNow.getUTCDate() - daysBack;
  const windows: Array<{ start: number; end: number }> = [];
  for (let week = 0; windows.length < count && week < count + 1; week += 1) {
    const start = etWallToUtc(y, m, d + 7 * week, 3);
    const end = etWallToUtc(y, m, d + 7 * week, 5);
    if (end > nowMs) windows.push({ start, end });
  }
  return windows;
}

const ALL_DAY = [{ open_time: "00:00", close_time: "24:00" }];
// Thursday's 03:00–05:00 ET maintenance is a trading pause, so trading hours skip it.
const THURSDAY = [
  { open_time: "00:00", close_time: "03:00" },
  { open_time: "05:00", close_time: "24:00" },
];

export function exchangeScheduleBody(nowMs: number) {
  return {
    schedule: {
      standard_hours: [
        {
          start_time: "2024-01-01T05:00:00Z",
          end_time: "2099-12-31T05:00:00Z",
          monday: ALL_DAY,
          tuesday: ALL_DAY,
          wednesday: ALL_DAY,
          thursday: THURSDAY,
          friday: ALL_DAY,
          saturday: ALL_DAY,
          sunday: ALL_DAY,
        },
      ],
      maintenance_windows: upcomingMaintenanceWindows(nowMs).map((w) => ({
        start_datetime: isoTime(w.start),
        end_datetime: isoTime(w.end),
      })),
    },
  };
}

// ----------------------------------------------------------- announcements

export interface AnnouncementBody {
  type: "info" | "warning" | "error";
  message: string;
  delivery_time: string;
  status: "active" | "inactive";
}

function seededAnnouncements(startMs: number): AnnouncementBody[] {
  return [
    {
      type: "info",
      message:
        "Scheduled maintenance runs every Thursday from 3:00 to 5:00 AM ET. Trading is paused during the window; cancels remain available.",
      delivery_time: isoTime(startMs - 2 * DAY_MS),
      status: "active",
    },
    {
      type: "info",
      message:
        "Fractional contracts and sub-penny price levels are now available on selected markets.",
      delivery_time: isoTime(startMs - 9 * DAY_MS),
      status: "active",
    },
    {
      type: "warning",
      message:
        "Settlement of some weather markets was delayed while the source data was revised. All markets have now settled.",
      delivery_time: isoTime(startMs - 23 * DAY_MS),
      status: "inactive",
    },
  ];
}

// ------------------------------------------------------------- fee changes

interface FeeChange {
  id: string;
  series_ticker: string;
  fee_type: FeeType;
  fee_multiplier: number;
  scheduled_ts: string;
  scheduledMs: number;
}

/**
 * One past change per series (to its current fee schedule, 90 days before
 * start) and one upcoming change for the first quadratic series. Built on
 * first use, so series the seed adds later are included.
 */
function buildFeeChanges(state: SimState, startMs: number): FeeChange[] {
  const random = new SeededRandom(state.seed ^ 0x5fee);
  const changes: FeeChange[] = [];
  for (const series of state.series.values()) {
    const scheduledMs = startMs - 90 * DAY_MS;
    changes.push({
      id: random.uuid(),
      series_ticker: series.ticker,
      fee_type: series.feeType,
      fee_multiplier: series.feeMultiplier,
      scheduled_ts: isoTime(scheduledMs),
      scheduledMs,
    });
  }
  const upcoming = [...state.series.values()].find((s) => s.feeType === "quadratic");
  if (upcoming) {
    const scheduledMs = Math.floor((startMs + 30 * DAY_MS) / DAY_MS) * DAY_MS;
    changes.push({
      id: random.uuid(),
      series_ticker: upcoming.ticker,
      fee_type: "quadratic_with_maker_fees",
      fee_multiplier: upcoming.feeMultiplier,
      scheduled_ts: isoTime(scheduledMs),
      scheduledMs,
    });
  }
  return changes;
}

const FeeChangesQuery = z
  .object({
    series_ticker: z.string().min(1).optional(),
    show_historical: queryBool.optional(),
  })
  .strict();

// ------------------------------------------------------------------ routes

export const registerExchangeRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;
  const startMs = state.now();
  const announcements = seededAnnouncements(startMs);
  let feeChanges: FeeChange[] | null = null;

  // GET /exchange/status – whether the exchange and trading are open (public)
  app.get("/exchange/status", (c) => c.json(exchangeStatusBody(state)));

  // GET /exchange/schedule – weekly trading hours and upcoming maintenance windows (public)
  app.get("/exchange/schedule", (c) => c.json(exchangeScheduleBody(state.now())));

  // GET /exchange/announcements – exchange-wide notices, newest first (public)
  app.get("/exchange/announcements", (c) => {
    const pause = currentPause(state);
    const live: AnnouncementBody[] = [];
    if (pause) {
      const resume = state.flags.estimatedResumeTime;
      live.push({
        type: pause.kind === "exchange" ? "error" : "warning",
        message:
          (pause.kind === "exchange"
            ? "The exchange is paused: orders cannot be placed, amended or canceled."
            : "Trading is paused: new orders and amendments are rejected; cancels are still accepted.") +
          (resume === null ? "" : ` Estimated resume time: ${isoTime(resume)}.`),
        delivery_time: isoTime(pause.since),
        status: "active",
      });
    }
    return c.json({ announcements: [...live, ...announcements] });
  });

  // GET /exchange/user_data_timestamp – when balances, orders, fills and positions last changed (public, as on its docs page)
  app.get("/exchange/user_data_timestamp", (c) =>
    c.json({ as_of_time: isoTime(state.userDataTimestamp) }),
  );

  // GET /series/fee_changes – scheduled (and with show_historical, past) series fee changes (public)
  app.get("/series/fee_changes", (c) => {
    const query = parseQuery(c, FeeChangesQuery);
    feeChanges ??= buildFeeChanges(state, startMs);
    const now = state.now();
    const list = feeChanges
      .filter((f) => query.series_ticker === undefined || f.series_ticker === query.series_ticker)
      .filter((f) => query.show_historical === true || f.scheduledMs > now)
      .map(({ scheduledMs: _omit, ...wire }) => wire);
    return c.json({ series_fee_change_arr: list });
  });
};
