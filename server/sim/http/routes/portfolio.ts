/**
 * Portfolio reads: balance, positions (market and event level), fills and
 * settlements, with Kalshi's `subaccount` semantics per endpoint: fills and
 * settlements cover every subaccount when the parameter is omitted; balance
 * and positions default to the primary (0).
 */
import type { Context } from "hono";
import { z } from "zod";
import { formatDollars, microsToCents, notional, ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes, SimEnv } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import {
  serializeEventPositions,
  serializeFill,
  serializeMarketPosition,
  serializeSettlement,
} from "@/server/sim/http/serialize-portfolio";
import { parseQuery, queryInt } from "@/server/sim/http/validation";
import { marketQuote } from "@/server/sim/market-quote";
import {
  historicalCutoffs,
  isHistoricalPosition,
  isHistoricalTrade,
} from "@/server/sim/historical/cutoff";
import type { PositionRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import { effectiveSubaccount } from "@/server/sim/subaccounts/restricted-keys";

const tsQuery = queryInt(0, Number.MAX_SAFE_INTEGER);

const balanceQuery = z
  .object({ subaccount: queryInt(0, 63).optional(), exchange_index: queryInt(0, 1000).optional() })
  .strict();

const fillsQuery = z
  .object({
    ticker: z.string().optional(),
    order_id: z.string().optional(),
    min_ts: tsQuery.optional(),
    max_ts: tsQuery.optional(),
    limit: queryInt(1, 1000).default(100),
    cursor: z.string().optional(),
    subaccount: queryInt(0, 63).optional(),
    exchange_index: queryInt(0, 1000).optional(),
  })
  .strict();

const positionsQuery = z
  .object({
    cursor: z.string().optional(),
    limit: queryInt(1, 1000).default(100),
    count_filter: z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(["position", "total_traded"])))
      .optional(),
    ticker: z.string().optional(),
    event_ticker: z.string().optional(),
    subaccount: queryInt(0, 63).optional(),
    exchange_index: queryInt(0, 1000).optional(),
  })
  .strict();

const settlementsQuery = z
  .object({
    limit: queryInt(1, 1000).default(100),
    cursor: z.string().optional(),
    ticker: z.string().optional(),
    event_ticker: z.string().optional(),
    min_ts: tsQuery.optional(),
    max_ts: tsQuery.optional(),
    subaccount: queryInt(0, 63).optional(),
  })
  .strict();

/** Mark-to-market value of an open position: contracts × the mid of the YES quote (NO legs at 1 − mid). */
function positionValue(state: SimState, position: PositionRecord): Micros {
  if (position.position === 0) return 0;
  const quote = marketQuote(state, position.ticker);
  const market = state.market(position.ticker);
  const settled = market?.settlementValue ?? null;
  const yesMark =
    settled ??
    (quote.yesBid > 0 && quote.yesAsk < ONE_DOLLAR
      ? Math.floor((quote.yesBid + quote.yesAsk) / 200) * 100
      : (market?.lastPrice ?? 0));
  const mark = position.position > 0 ? yesMark : ONE_DOLLAR - yesMark;
  return notional(mark, Math.abs(position.position));
}

function requireSubaccount(user: UserRecord, subaccount: number): void {
  if (subaccount > user.subaccountCount)
    throw simErrors.invalidParameters(`subaccount ${subaccount} does not exist`);
}

export const registerPortfolioRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;
  const userOf = (c: Context<SimEnv>) => c.get("auth").user;

  app.get("/portfolio/balance", (c) => {
    const query = parseQuery(c, balanceQuery);
    const user = userOf(c);
    const subaccount = effectiveSubaccount(c, query.subaccount, "primary");
    requireSubaccount(user, subaccount);
    const balance = state.balance(user, subaccount);
    let value = 0;
    for (const position of state.positions.values()) {
      if (position.userId === user.userId && position.subaccount === subaccount)
        value += positionValue(state, position);
    }
    return c.json({
      balance: microsToCents(balance),
      balance_dollars: formatDollars(balance),
      portfolio_value: microsToCents(value),
      updated_ts: Math.floor(state.userDataTimestamp / 1000),
      balance_breakdown: [{ exchange_index: 0, balance: formatDollars(balance) }],
    });
  });

  app.get("/portfolio/positions", (c) => {
    const query = parseQuery(c, positionsQuery);
    const user = userOf(c);
    const subaccount = effectiveSubaccount(c, query.subaccount, "primary");
    requireSubaccount(user, subaccount);
    const filters = query.count_filter ?? [];
    const cutoffs = historicalCutoffs(state);
    const positions: PositionRecord[] = [];
    for (const position of state.positions.values()) {
      if (position.userId !== user.userId || position.subaccount !== subaccount) continue;
      // Positions of events archived before the cutoff are served by GET /historical/positions.
      if (isHistoricalPosition(state, position, cutoffs)) continue;
      if (query.ticker && position.ticker !== query.ticker) continue;
      const market = state.market(position.ticker);
      if (query.event_ticker && market?.eventTicker !== query.event_ticker) continue;
      if (filters.includes("position") && position.position === 0) continue;
      if (filters.includes("total_traded") && position.totalTraded === 0) continue;
      if (filters.length === 0 && position.position === 0 && position.totalTraded === 0) continue;
      positions.push(position);
    }
    positions.sort((a, b) => b.lastUpdated - a.lastUpdated || a.ticker.localeCompare(b.ticker));
    const page = paginate(positions, query.cursor, query.limit);

    return c.json({
      market_positions: page.items.map(serializeMarketPosition),
      event_positions: serializeEventPositions(
        page.items,
        (ticker) => state.market(ticker)?.eventTicker,
      ),
      cursor: page.cursor,
    });
  });

  app.get("/portfolio/fills", (c) => {
    const query = parseQuery(c, fillsQuery);
    const user = userOf(c);
    const cutoffs = historicalCutoffs(state);
    // Omitted = every subaccount (get-fills.md); a restricted key sees its own only.
    const subaccount = effectiveSubaccount(c, query.subaccount, "all");
    const fills = [];
    for (let i = state.fills.length - 1; i >= 0; i -= 1) {
      const fill = state.fills[i];
      if (!fill || fill.userId !== user.userId) continue;
      // Fills before the cutoff are served by GET /historical/fills.
      if (isHistoricalTrade(fill, cutoffs)) continue;
      if (subaccount !== undefined && fill.subaccount !== subaccount) continue;
      if (query.ticker && fill.ticker !== query.ticker) continue;
      if (query.order_id && fill.orderId !== query.order_id) continue;
      if (query.min_ts !== undefined && fill.createdTime < query.min_ts * 1000) continue;
      if (query.max_ts !== undefined && fill.createdTime > query.max_ts * 1000) continue;
      fills.push(fill);
    }
    const page = paginate(fills, query.cursor, query.limit);
    return c.json({ fills: page.items.map(serializeFill), cursor: page.cursor });
  });

  app.get("/portfolio/settlements", (c) => {
    const query = parseQuery(c, settlementsQuery);
    const user = userOf(c);
    // Omitted = every subaccount (get-settlements.md); a restricted key sees its own only.
    const subaccount = effectiveSubaccount(c, query.subaccount, "all");
    const settlements = state.settlements
      .filter((s) => {
        if (s.userId !== user.userId) return false;
        if (subaccount !== undefined && s.subaccount !== subaccount) return false;
        if (query.ticker && s.ticker !== query.ticker) return false;
        if (query.event_ticker && s.eventTicker !== query.event_ticker) return false;
        if (query.min_ts !== undefined && s.settledTime < query.min_ts * 1000) return false;
        if (query.max_ts !== undefined && s.settledTime > query.max_ts * 1000) return false;
        return true;
      })
      .reverse();
    const page = paginate(settlements, query.cursor, query.limit);
    return c.json({ settlements: page.items.map(serializeSettlement), cursor: page.cursor });
  });
};
