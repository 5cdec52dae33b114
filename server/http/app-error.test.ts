/**
 * The one error funnel: every kind of failure a route can raise becomes the
 * `{ error: { code, message } }` body with the right status, and only real
 * failures are logged (never with bodies).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { AppError, toErrorResponse } from "@/server/http/app-error";
import { KalshiError, LOCAL_ERROR_CODES } from "@/server/kalshi/errors";

function kalshiError(status: number, code: string): KalshiError {
  return new KalshiError({
    status,
    code,
    message: `kalshi says ${code}`,
    method: "GET",
    path: "/x",
  });
}

async function read(response: Response) {
  return { status: response.status, body: (await response.json()) as unknown };
}

afterEach(() => vi.restoreAllMocks());

describe("toErrorResponse", () => {
  it("passes an AppError through with its field", async () => {
    const error = new AppError({
      code: "bad_price",
      message: "Price is off the grid.",
      status: 400,
      field: "price",
    });
    expect(await read(toErrorResponse(error))).toEqual({
      status: 400,
      body: { error: { code: "bad_price", message: "Price is off the grid.", field: "price" } },
    });
  });

  it("turns the first zod issue into a 400 naming the field", async () => {
    const parsed = z.object({ count: z.number().int() }).safeParse({ count: 1.5 });
    expect(parsed.success).toBe(false);
    const { status, body } = await read(toErrorResponse(parsed.error));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "invalid_request", field: "count" } });
  });

  it("maps Kalshi failures to statuses a trader can act on, logging only real failures", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const cases: Array<[KalshiError, number, string, boolean]> = [
      [kalshiError(401, "unauthorized"), 502, "kalshi_key_rejected", true],
      [kalshiError(429, "too_many_requests"), 429, "rate_limited", true],
      [kalshiError(0, LOCAL_ERROR_CODES.timeout), 504, "kalshi_timeout", true],
      [kalshiError(0, LOCAL_ERROR_CODES.network), 502, "kalshi_unreachable", true],
      [kalshiError(0, LOCAL_ERROR_CODES.aborted), 499, "client_closed_request", false],
      [kalshiError(400, "insufficient_balance"), 400, "insufficient_balance", false],
      [kalshiError(503, "service_unavailable"), 502, "kalshi_unavailable", true],
      // The exchange's own reason for not trading reaches the ticket with its code.
      [kalshiError(503, "TRADING_PAUSED"), 503, "TRADING_PAUSED", false],
      [kalshiError(503, "exchange_unavailable"), 503, "EXCHANGE_UNAVAILABLE", false],
    ];
    for (const [error, status, code, logs] of cases) {
      logged.mockClear();
      const response = await read(toErrorResponse(error));
      expect(response, code).toMatchObject({ status, body: { error: { code } } });
      expect(logged.mock.calls.length, `${code} logged`).toBe(logs ? 1 : 0);
    }
  });

  it("hides unknown errors behind a generic 500 without their message", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { status, body } = await read(toErrorResponse(new Error("secret detail")));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("secret detail");
    expect(JSON.stringify(logged.mock.calls)).not.toContain("secret detail");
  });
});
