/**
 * Subaccount-restricted API keys (subaccounts.md, "Restricted API keys", and
 * the changelog entries that widened them): a key locked to one subaccount may
 * place and manage orders, read the portfolio (balance, positions, fills,
 * settlements), manage order groups and run the REST RFQ lifecycle, all on its
 * subaccount only. Requests that omit `subaccount` act on the locked one;
 * naming another is refused. Everything else answers 403.
 */
import type { Context } from "hono";
import { SimError } from "@/server/sim/errors";
import type { SimEnv } from "@/server/sim/http/env";
import type { ApiKeyRecord, OrderRecord } from "@/server/sim/model";

export const RESTRICTED_ENDPOINT_MESSAGE =
  "this API key is restricted to a single sub-account and cannot access this endpoint";

/** (method, path below /trade-api/v2) pairs a restricted key may call. */
const ALLOWED: Array<{ methods: readonly string[]; path: RegExp }> = [
  // Order entry and management, V2 and legacy, incl. batches and queue positions.
  { methods: ["GET", "POST", "DELETE", "PUT"], path: /^\/portfolio\/events\/orders(\/.*)?$/ },
  { methods: ["GET", "POST", "DELETE", "PUT"], path: /^\/portfolio\/orders(\/.*)?$/ },
  { methods: ["GET"], path: /^\/portfolio\/(balance|positions|fills|settlements)$/ },
  { methods: ["GET", "POST", "PUT", "DELETE"], path: /^\/portfolio\/order_groups(\/.*)?$/ },
  // The REST RFQ lifecycle (RFQs and quotes) and combo-market creation.
  { methods: ["GET", "POST", "PUT", "DELETE"], path: /^\/communications\/(rfqs|quotes)(\/.*)?$/ },
  { methods: ["POST"], path: /^\/multivariate_event_collections\/[^/]+$/ },
];

/** Throws the documented 403 when a restricted key calls an endpoint outside its set. */
export function enforceRestrictedKeyEndpoint(
  apiKey: ApiKeyRecord,
  method: string,
  pathBelowPrefix: string,
): void {
  if (apiKey.subaccount === null) return;
  const upper = method.toUpperCase();
  const allowed = ALLOWED.some(
    (rule) => rule.methods.includes(upper) && rule.path.test(pathBelowPrefix),
  );
  if (!allowed) throw new SimError(403, "forbidden", RESTRICTED_ENDPOINT_MESSAGE);
}

/** What an omitted `subaccount` means on an endpoint's page. */
export type OmittedSubaccount = "all" | "primary";

/**
 * The subaccount a request acts on, per the endpoint's page: the given one,
 * else all (`undefined`) or the primary (0). A restricted key always acts on
 * its locked subaccount and naming any other is refused with 403.
 */
export function effectiveSubaccount(
  c: Context<SimEnv>,
  given: number | undefined,
  omitted: "primary",
): number;
export function effectiveSubaccount(
  c: Context<SimEnv>,
  given: number | undefined,
  omitted: OmittedSubaccount,
): number | undefined;
export function effectiveSubaccount(
  c: Context<SimEnv>,
  given: number | undefined,
  omitted: OmittedSubaccount,
): number | undefined {
  const locked = c.get("auth").apiKey.subaccount;
  if (locked !== null) {
    if (given !== undefined && given !== locked) throw restrictedSubaccountError(locked, given);
    return locked;
  }
  if (given !== undefined) return given;
  return omitted === "primary" ? 0 : undefined;
}

/** Checks several explicitly given subaccounts at once (a batch is refused whole). */
export function assertSubaccountsAllowed(
  c: Context<SimEnv>,
  given: ReadonlyArray<number | undefined>,
): void {
  const locked = c.get("auth").apiKey.subaccount;
  if (locked === null) return;
  for (const value of given) {
    if (value !== undefined && value !== locked) throw restrictedSubaccountError(locked, value);
  }
}

/** True when the request's key may see this order (a restricted key sees its subaccount only). */
export function keyCanSeeOrder(c: Context<SimEnv>, order: OrderRecord): boolean {
  const locked = c.get("auth").apiKey.subaccount;
  return locked === null || order.subaccount === locked;
}

function restrictedSubaccountError(locked: number, given: number): SimError {
  return new SimError(
    403,
    "forbidden",
    `this API key is restricted to subaccount ${locked} and cannot act on subaccount ${given}`,
  );
}
