/**
 * Errors the simulated exchange returns. The body follows the `ErrorResponse`
 * schema of Kalshi's OpenAPI pages: `{ "code", "message", "details"? }` with
 * the status codes each endpoint page lists. Codes reuse Kalshi's names where
 * the docs give one (`INSUFFICIENT_BALANCE`, `MARKET_INACTIVE`, `RFQ_CLOSED`,
 * `invalid_parameters`...).
 */
export type SimErrorStatus = 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503;

export class SimError extends Error {
  override readonly name = "SimError";

  constructor(
    readonly status: SimErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }

  toBody(): { code: string; message: string; details?: string } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const simErrors = {
  invalidParameters: (message: string, details?: string) =>
    new SimError(400, "invalid_parameters", message, details),
  missingParameters: (message: string) => new SimError(400, "missing_parameters", message),
  unauthorized: (message: string) => new SimError(401, "unauthorized", message),
  forbidden: (message: string) => new SimError(403, "forbidden", message),
  notFound: (what: string) => new SimError(404, "not_found", `${what} not found`),
  marketNotFound: (ticker: string) =>
    new SimError(404, "MARKET_NOT_FOUND", `market ${ticker} not found`),
  marketInactive: (ticker: string, status: string) =>
    new SimError(400, "MARKET_INACTIVE", `market ${ticker} is ${status} and not open for trading`),
  invalidPrice: (message: string) => new SimError(400, "INVALID_PRICE", message),
  insufficientBalance: (neededDollars: string, availableDollars: string) =>
    new SimError(
      400,
      "INSUFFICIENT_BALANCE",
      `insufficient balance: this order needs $${neededDollars}, available $${availableDollars}`,
    ),
  orderAlreadyExists: (clientOrderId: string) =>
    new SimError(409, "ORDER_ALREADY_EXISTS", `client_order_id ${clientOrderId} was already used`),
  postOnlyCross: () =>
    new SimError(400, "POST_ONLY_CROSS", "post-only order would cross the book and was rejected"),
  exchangeUnavailable: (message: string) => new SimError(503, "EXCHANGE_UNAVAILABLE", message),
  tradingPaused: () =>
    new SimError(503, "TRADING_PAUSED", "trading is paused on the exchange; try again later"),
} as const;
