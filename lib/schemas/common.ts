import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

/**
 * Wire primitives shared by every Kalshi schema (browser-safe). Kalshi sends
 * money as `*_dollars` strings and counts as `*_fp` strings, never floats;
 * lib/fixed-point.ts turns them into integers when the app does arithmetic.
 */

/** A Kalshi `*_dollars` string such as "0.5600" (never a float on the wire). */
export const DollarsString = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "must be a dollar string like 0.5600");

/** A dollar string that may be negative (P&L, exposure deltas). */
export const SignedDollarsString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, "must be a dollar string like -1.2500");

/** A Kalshi `*_fp` contract count such as "1250.00". */
export const CountString = z.string().regex(/^\d+(\.\d+)?$/, "must be a count string like 10.00");

/** A count that may be negative (a short position). */
export const SignedCountString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, "must be a count string like -10.00");

/** An ISO-8601 timestamp with offset, as Kalshi sends `*_time` fields. */
export const IsoTime = z.iso.datetime({ offset: true });

/** A page cursor; Kalshi sends "" (or nothing) on the last page. */
export const Cursor = z
  .string()
  .nullish()
  .transform((value) => value ?? "");

/** Kalshi's error object, as found inside batch results. */
export const KalshiErrorBodySchema = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  details: z.string().optional(),
});

// ---- request-side primitives (what the BFF accepts from pages) ----

/**
 * C0 and C1 control characters (NUL, escape, DEL…). Postgres cannot store NUL
 * in text (an insert would fail half-way through an action), and none of
 * them belong in a label, a query or an id a trader typed.
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but line breaks and tabs are allowed (pasted PEM keys). */
const CONTROL_CHARACTERS_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** True when `value` holds a control character (line breaks included). */
export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** A single line of text a person typed: no control characters. */
export const PlainText = z
  .string()
  .refine((value) => !hasControlCharacters(value), "must not contain control characters");

/** Multi-line text (line breaks and tabs allowed), no other control characters. */
export const MultilineText = z
  .string()
  .refine(
    (value) => !CONTROL_CHARACTERS_BUT_WHITESPACE.test(value),
    "must not contain control characters",
  );

/** A paging cursor sent back by a page: opaque, bounded, printable. */
export const CursorInput = PlainText.pipe(z.string().min(1).max(2000));

/** A request price: 1-4 decimals of dollars strictly between 0 and 1, e.g. "0.56". */
export const PriceInput = z
  .string()
  .regex(/^0?\.\d{1,4}$|^0$|^1(\.0{1,4})?$/, "must be a price in dollars like 0.56")
  .refine((value) => Number(value) > 0 && Number(value) < 1, "must be between 0 and 1 dollar");

/** A request count: a positive number of contracts with at most 2 decimals, e.g. "10" or "2.50". */
export const CountInput = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, "must be a count like 10 or 2.50")
  .refine((value) => Number(value) > 0, "must be greater than 0");

/** A ticker as Kalshi spells them (letters, digits, dots, dashes, underscores). */
export const Ticker = z
  .string()
  .min(1, "is required")
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, "must be a ticker like KXHIGHNY-25NOV21-B52");

/** An opaque id in a URL segment (uuid-like; no slashes). */
export const ResourceId = z
  .string()
  .min(1, "is required")
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "must be an id");

/** Page size for list queries (query strings arrive as text). */
export const PageLimit = z.coerce.number().int().min(1).max(1000);

/** A subaccount number: 0 is the primary account. */
export const SubaccountNumber = z.coerce.number().int().min(0).max(63);

/** Unix seconds in a query string. */
export const UnixSeconds = z.coerce.number().int().min(0);

/** Route params carrying a ticker, e.g. /api/markets/{ticker}. */
export const TickerParams = z.strictObject({ ticker: Ticker });
