import { ONE_CENT, ONE_CONTRACT, parseCount, parseDollars } from "@/lib/fixed-point";

/**
 * Display formatting for Kalshi values. Browser-safe.
 *
 * Money and counts arrive as fixed-point strings; they are turned into
 * integers with lib/fixed-point.ts and printed with integer arithmetic, so a
 * price is never rounded by a float on its way to the screen.
 */

/** Shown for a missing or unreadable value. */
export const EMPTY_VALUE = "—";

/**
 * A price in cents: "0.5600" → "56¢", "0.0550" → "5.5¢", "0.055012" → "5.5012¢".
 * Missing or malformed input renders as "—".
 */
export function formatPriceCents(dollars: string | null | undefined): string {
  const micros = tryParse(dollars, (text) => parseDollars(text));
  if (micros === undefined) return EMPTY_VALUE;
  // ONE_CENT is 10^4 micros, so the remainder is four decimal digits of a cent.
  return `${formatUnits(micros, ONE_CENT, 4)}¢`;
}

/**
 * A contract count without trailing zeros and with thousands separators:
 * "1234.00" → "1,234", "12.50" → "12.5". Missing or malformed input renders as "—".
 */
export function formatCount(count: string | null | undefined): string {
  const centis = tryParse(count, parseCount);
  if (centis === undefined) return EMPTY_VALUE;
  return formatUnits(centis, ONE_CONTRACT, 2);
}

const closeTimeFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  // Fixed zone: the same instant renders the same on the server and in any browser.
  timeZone: "UTC",
});

/** An RFC 3339 timestamp as "Nov 21, 18:00 UTC"; malformed input renders as "—". */
export function formatCloseTime(rfc3339: string | null | undefined): string {
  return formatUtc(closeTimeFormat, rfc3339);
}

/** An RFC 3339 timestamp in `format` with " UTC" after it; missing or malformed input renders as "—". */
function formatUtc(format: Intl.DateTimeFormat, rfc3339: string | null | undefined): string {
  if (rfc3339 == null || rfc3339 === "") return EMPTY_VALUE;
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return EMPTY_VALUE;
  return `${format.format(date)} UTC`;
}

/**
 * An integer count of 1/`unit` parts as a decimal: thousands separators, no
 * trailing zeros; `digits` is how many decimal digits a `unit` has (unit = 10^digits).
 */
function formatUnits(value: number, unit: number, digits: number): string {
  const remainder = value % unit;
  const whole = (value - remainder) / unit;
  const fraction = String(remainder).padStart(digits, "0").replace(/0+$/, "");
  return fraction === "" ? groupThousands(whole) : `${groupThousands(whole)}.${fraction}`;
}

function groupThousands(whole: number): string {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Parses a dollar string to micro-dollars, or undefined when missing or malformed. */
export function safeMicros(dollars: string | null | undefined): number | undefined {
  return tryParse(dollars, (text) => parseDollars(text, { signed: true }));
}

/** `parse(text)`, or undefined when `text` is missing, empty or `parse` throws. */
function tryParse(
  text: string | null | undefined,
  parse: (text: string) => number,
): number | undefined {
  if (text == null || text === "") return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A signed price change in cents from micro-dollars: 30000 → "+3¢", -15000 → "−1.5¢",
 * 0 → "0¢" (typographic minus, so columns of changes line up).
 */
export function formatChangeCents(micros: number | undefined): string {
  if (micros === undefined || !Number.isInteger(micros)) return EMPTY_VALUE;
  if (micros === 0) return "0¢";
  return `${micros > 0 ? "+" : "−"}${formatUnits(Math.abs(micros), ONE_CENT, 4)}¢`;
}

const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** An RFC 3339 timestamp with its year: "Nov 21, 2026, 18:00 UTC"; malformed input renders as "—". */
export function formatDateTime(rfc3339: string | null | undefined): string {
  return formatUtc(dateTimeFormat, rfc3339);
}

/** A time of day in UTC with seconds, for a trade tape: "18:00:05". */
export function formatClockTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return EMPTY_VALUE;
  return new Date(epochMs).toISOString().slice(11, 19);
}
