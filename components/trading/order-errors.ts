/**
 * Kalshi's order refusals in words, and which field of the ticket each one
 * concerns, so the ticket can show the reason next to that field.
 * Codes are Kalshi's (kept by the BFF) or the BFF's own (rate_limited,
 * reauth_required, validation errors that name a field).
 */
import { ApiRequestError } from "@/lib/queries/fetch-api";

export type TicketField =
  "price" | "count" | "postOnly" | "reduceOnly" | "expiration" | "orderGroup" | "form";

export interface OrderProblem {
  field: TicketField;
  code: string;
  message: string;
  /** Safe to send again as-is (same client_order_id). */
  retryable: boolean;
}

const FIELD_NAMES: Record<string, TicketField> = {
  price: "price",
  count: "count",
  post_only: "postOnly",
  reduce_only: "reduceOnly",
  expiration_time: "expiration",
  order_group_id: "orderGroup",
};

/** Turns whatever a send threw into a problem to show next to a field. */
export function describeOrderError(error: unknown): OrderProblem {
  if (!(error instanceof ApiRequestError)) {
    return {
      field: "form",
      code: "network",
      message:
        "Could not reach the server. The order may not have been sent: retry sends it at most once.",
      retryable: true,
    };
  }
  const code = error.code.toUpperCase();
  const retryable = error.status >= 500 || error.status === 429 || error.status === 0;
  switch (code) {
    case "INSUFFICIENT_BALANCE":
      return {
        field: "count",
        code,
        message: `Not enough cash: ${error.message}.`,
        retryable: false,
      };
    case "INVALID_PRICE":
      return {
        field: "price",
        code,
        message: `Price is not on this market's grid: ${error.message}.`,
        retryable: false,
      };
    case "POST_ONLY_CROSS":
      return {
        field: "postOnly",
        code,
        message:
          "Post-only: this price would trade at once, so Kalshi refused it. Move the price away from the spread or untick post-only.",
        retryable: false,
      };
    case "MARKET_INACTIVE":
    case "MARKET_CLOSED":
      return {
        field: "form",
        code,
        message: `Market is not open for trading (${error.message}).`,
        retryable: false,
      };
    case "TRADING_PAUSED":
    case "EXCHANGE_UNAVAILABLE":
      return {
        field: "form",
        code,
        message: "Trading is paused on the exchange; try again when it resumes.",
        retryable: true,
      };
    case "ORDER_GROUP_TRIGGERED":
      return {
        field: "orderGroup",
        code,
        message:
          "This order group has been triggered (its limit was hit): reset it in Order groups, or pick another group.",
        retryable: false,
      };
    case "RATE_LIMITED":
      return {
        field: "form",
        code,
        message: "Kalshi is rate-limiting your key; wait a moment and retry.",
        retryable: true,
      };
    case "REAUTH_REQUIRED":
      return {
        field: "form",
        code,
        message: "Confirm your password to place orders.",
        retryable: true,
      };
    default: {
      const field =
        (error.field && FIELD_NAMES[error.field.split(".").pop() ?? ""]) ||
        guessField(error.message);
      return { field, code, message: error.message, retryable };
    }
  }
}

function guessField(message: string): TicketField {
  const text = message.toLowerCase();
  if (text.includes("reduce")) return "reduceOnly";
  if (text.includes("post-only") || text.includes("post_only")) return "postOnly";
  if (text.includes("price") || text.includes("tick")) return "price";
  if (text.includes("count") || text.includes("contracts")) return "count";
  if (text.includes("group")) return "orderGroup";
  if (text.includes("expir")) return "expiration";
  return "form";
}
