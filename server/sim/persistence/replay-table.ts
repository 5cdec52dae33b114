/**
 * Every journaled operation the journal can replay, by record kind. Live, the
 * recorder (recorder.ts) wraps these same entry points, so the two lists are
 * one: `ENGINE_OPERATIONS` and `DESK_OPERATIONS` name the methods, the table
 * below turns a record back into the call.
 */
import { createAccount, topUpBalance, type CreateAccountInput } from "@/server/sim/accounts";
import type { SimExchange } from "@/server/sim/exchange";
import { setFairValue } from "@/server/sim/market-fair-value";

/** MatchingEngine methods that change state (bots call them outside any HTTP request). */
export const ENGINE_OPERATIONS = [
  "placeOrder",
  "cancelOrder",
  "decreaseOrder",
  "amendOrder",
  "expireOrders",
  "cancelMarketOrders",
] as const;

/** RfqDesk methods that change state (the RFQ maker bot calls them). */
export const DESK_OPERATIONS = [
  "createRfq",
  "deleteRfq",
  "createQuote",
  "deleteQuote",
  "acceptQuote",
  "confirmQuote",
  "processTimers",
] as const;

type Method = (...args: unknown[]) => unknown;

/** The method `name` of `target`, as an untyped function (arguments come from the journal). */
export function methodOf(target: object, name: string): Method {
  const method = (target as Record<string, unknown>)[name];
  if (typeof method !== "function") throw new Error(`journal: no operation ${name}`);
  return method as Method;
}

/** Replays one call record; throws what the call throws (a SimError replays a rejection). */
export function applyCall(exchange: SimExchange, kind: string, args: readonly unknown[]): void {
  const dot = kind.indexOf(".");
  const scope = dot < 0 ? "" : kind.slice(0, dot);
  const name = kind.slice(dot + 1);
  switch (scope) {
    case "engine":
      methodOf(exchange.engine, name).apply(exchange.engine, [...args]);
      return;
    case "rfq":
      methodOf(exchange.rfqDesk, name).apply(exchange.rfqDesk, [...args]);
      return;
    case "markets":
      if (name === "setFairValue") {
        setFairValue(exchange.state, String(args[0]), Number(args[1]));
        return;
      }
      break;
    case "accounts":
      if (name === "createAccount") {
        createAccount(exchange.state, args[0] as CreateAccountInput);
        return;
      }
      if (name === "topUpBalance") {
        topUpBalance(exchange.state, String(args[0]), Number(args[1]), Number(args[2]));
        return;
      }
      break;
  }
  throw new Error(`journal: unknown operation ${kind}`);
}
