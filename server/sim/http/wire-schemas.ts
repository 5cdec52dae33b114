/**
 * zod schemas for Kalshi's fixed-point request fields, converting at the edge
 * to integer micro-dollars and centi-contracts. Errors read like "price: must
 * be a dollar string with at most 4 decimals".
 */
import { z } from "zod";
import { FixedPointError, parseCount, parseDollars } from "@/lib/fixed-point";

/** A request price/amount: a dollar string with at most 4 decimals (Kalshi requests take 2-4). */
export const requestDollars = z.string().transform((text, ctx) => {
  try {
    return parseDollars(text, { maxDecimals: 4 });
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message:
        error instanceof FixedPointError ? error.message : 'must be a dollar string like "0.5600"',
    });
    return z.NEVER;
  }
});

/** A request count with 0-2 decimals, at least `min` centi-contracts. */
function countAtLeast(min: number, minMessage: string) {
  return z.string().transform((text, ctx) => {
    try {
      const centis = parseCount(text);
      if (centis < min) {
        ctx.addIssue({ code: "custom", message: minMessage });
        return z.NEVER;
      }
      return centis;
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: error instanceof FixedPointError ? error.message : 'must be a count like "10.00"',
      });
      return z.NEVER;
    }
  });
}

/** A request count: a fixed-point string with 0-2 decimals, at least 0.01. */
export const requestCount = countAtLeast(1, "must be at least 0.01 contracts");

/** A request count that may be zero (e.g. decrease `reduce_to`). */
export const requestCountOrZero = countAtLeast(0, "must not be negative");

export const bookSide = z.enum(["bid", "ask"]);
export const timeInForce = z.enum(["fill_or_kill", "good_till_canceled", "immediate_or_cancel"]);
export const selfTradePrevention = z.enum(["taker_at_cross", "maker"]);
export const subaccountNumber = z.number().int().min(0).max(63);
export const exchangeIndex = z.number().int().min(-1);
