/**
 * Calendar helpers for the seed: New York local time (Kalshi schedules its
 * weather, economics and crypto events in ET) and Kalshi's ticker date codes.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const MONTHS = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
] as const;
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;
const LONG_MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/**
 * New York's UTC offset at `ms`, in ms (−4 h in summer, −5 h in winter).
 * One Intl call per seed; the seed treats the offset as fixed for its window.
 */
export function newYorkOffsetMs(ms: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
}

/** Local wall-clock fields of an instant in a fixed-offset zone. */
export class LocalCalendar {
  constructor(readonly offsetMs: number) {}

  /** "EDT" or "EST". */
  get zoneName(): string {
    return this.offsetMs === -4 * HOUR_MS ? "EDT" : "EST";
  }

  private shifted(ms: number): Date {
    return new Date(ms + this.offsetMs);
  }

  /** Epoch ms of local midnight starting the local day that contains `ms`. */
  dayStart(ms: number): number {
    const local = ms + this.offsetMs;
    return Math.floor(local / DAY_MS) * DAY_MS - this.offsetMs;
  }

  /** Local month index 0-11. */
  month(ms: number): number {
    return this.shifted(ms).getUTCMonth();
  }

  /** Local hour 0-23. */
  hour(ms: number): number {
    return this.shifted(ms).getUTCHours();
  }

  /** Kalshi's date code: "25AUG21". */
  dateCode(ms: number): string {
    const d = this.shifted(ms);
    return `${String(d.getUTCFullYear() % 100).padStart(2, "0")}${MONTHS[d.getUTCMonth()]}${String(d.getUTCDate()).padStart(2, "0")}`;
  }

  /** Month code: "25AUG". */
  monthCode(ms: number): string {
    const d = this.shifted(ms);
    return `${String(d.getUTCFullYear() % 100).padStart(2, "0")}${MONTHS[d.getUTCMonth()]}`;
  }

  /** "Aug 21, 2025". */
  dateLabel(ms: number): string {
    const d = this.shifted(ms);
    return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
  }

  /** "July 2025". */
  monthLabel(ms: number): string {
    const d = this.shifted(ms);
    return `${LONG_MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }

  /** "5pm" / "12am". */
  hourLabel(ms: number): string {
    const h = this.hour(ms);
    const twelve = h % 12 === 0 ? 12 : h % 12;
    return `${twelve}${h < 12 ? "am" : "pm"}`;
  }
}

/** Next whole hour strictly after `ms`. */
export function nextHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS + HOUR_MS;
}
