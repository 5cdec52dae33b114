/**
 * What a request costs and which bucket pays (getting_started/rate_limits.md
 * and the "Rate limit" note on each endpoint page). Every request costs
 * `DEFAULT_COST` tokens unless listed here; batch endpoints are billed per
 * item; order placement, amends, cancels, order groups, the RFQ quote flow,
 * block-trade accepts and the usage-level upgrade draw from the Write bucket,
 * everything else from Read. Single-order writes that name an
 * `exchange_index` of 1 or more bill that shard's own Write bucket.
 */

export const DEFAULT_COST = 10;

export type BucketKind = "read" | "write";

interface RouteRule {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Below /trade-api/v2, with `{name}` for a path parameter. */
  path: string;
  bucket: BucketKind;
  /** Tokens per request, or per item for batch rules. */
  cost: number;
  /** Batch endpoints: how many items the body holds. */
  items?: (body: unknown) => number;
  /** Single-order writes whose `exchange_index` selects a shard's Write bucket. */
  sharded?: boolean;
}

const arrayLength = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
const ordersCount = (body: unknown) => arrayLength(field(body, "orders"));
/** Legacy batch cancel takes `ids`, `orders`, or both. */
const idsAndOrdersCount = (body: unknown) => arrayLength(field(body, "ids")) + ordersCount(body);

/**
 * Routes with a non-default cost or on the Write bucket. Literal paths come
 * before parameterised ones that could also match them (`/batched` before `/{order_id}`).
 * Legacy costs follow each endpoint page's note; the legacy amend page has no
 * note, so it takes the 100 tokens of the June 4, 2026 changelog entry.
 */
const RULES: readonly RouteRule[] = [
  // V2 event orders
  {
    method: "POST",
    path: "/portfolio/events/orders/batched",
    bucket: "write",
    cost: 10,
    items: ordersCount,
  },
  {
    method: "DELETE",
    path: "/portfolio/events/orders/batched",
    bucket: "write",
    cost: 2,
    items: ordersCount,
  },
  {
    method: "POST",
    path: "/portfolio/events/orders",
    bucket: "write",
    cost: DEFAULT_COST,
    sharded: true,
  },
  {
    method: "DELETE",
    path: "/portfolio/events/orders/{order_id}",
    bucket: "write",
    cost: 2,
    sharded: true,
  },
  {
    method: "POST",
    path: "/portfolio/events/orders/{order_id}/amend",
    bucket: "write",
    cost: DEFAULT_COST,
    sharded: true,
  },
  {
    method: "POST",
    path: "/portfolio/events/orders/{order_id}/decrease",
    bucket: "write",
    cost: DEFAULT_COST,
    sharded: true,
  },
  // Legacy orders
  {
    method: "POST",
    path: "/portfolio/orders/batched",
    bucket: "write",
    cost: 10,
    items: ordersCount,
  },
  {
    method: "DELETE",
    path: "/portfolio/orders/batched",
    bucket: "write",
    cost: 2,
    items: idsAndOrdersCount,
  },
  { method: "POST", path: "/portfolio/orders", bucket: "write", cost: 100, sharded: true },
  { method: "GET", path: "/portfolio/orders/{order_id}", bucket: "read", cost: 2 },
  {
    method: "DELETE",
    path: "/portfolio/orders/{order_id}",
    bucket: "write",
    cost: 2,
    sharded: true,
  },
  {
    method: "POST",
    path: "/portfolio/orders/{order_id}/amend",
    bucket: "write",
    cost: 100,
    sharded: true,
  },
  {
    method: "POST",
    path: "/portfolio/orders/{order_id}/decrease",
    bucket: "write",
    cost: 100,
    sharded: true,
  },
  // Order groups (reads stay on Read)
  { method: "POST", path: "/portfolio/order_groups/create", bucket: "write", cost: DEFAULT_COST },
  {
    method: "DELETE",
    path: "/portfolio/order_groups/{order_group_id}",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  {
    method: "PUT",
    path: "/portfolio/order_groups/{order_group_id}/limit",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  {
    method: "PUT",
    path: "/portfolio/order_groups/{order_group_id}/reset",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  {
    method: "PUT",
    path: "/portfolio/order_groups/{order_group_id}/trigger",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  // RFQ quote flow
  { method: "POST", path: "/communications/quotes", bucket: "write", cost: 2 },
  { method: "GET", path: "/communications/quotes/{quote_id}", bucket: "read", cost: 2 },
  { method: "DELETE", path: "/communications/quotes/{quote_id}", bucket: "write", cost: 2 },
  {
    method: "PUT",
    path: "/communications/quotes/{quote_id}/accept",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  {
    method: "PUT",
    path: "/communications/quotes/{quote_id}/confirm",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  {
    method: "GET",
    path: "/communications/rfqs/{rfq_id}/quotes/{quote_id}",
    bucket: "read",
    cost: 2,
  },
  {
    method: "DELETE",
    path: "/communications/rfqs/{rfq_id}/quotes/{quote_id}",
    bucket: "write",
    cost: 2,
  },
  {
    method: "PUT",
    path: "/communications/rfqs/{rfq_id}/quotes/{quote_id}/accept",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  {
    method: "PUT",
    path: "/communications/rfqs/{rfq_id}/quotes/{quote_id}/confirm",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  // Block trades: only the accept is a write
  {
    method: "POST",
    path: "/communications/block-trade-proposals/{block_trade_proposal_id}/accept",
    bucket: "write",
    cost: DEFAULT_COST,
  },
  // Account and lookups
  { method: "POST", path: "/account/api_usage_level/upgrade", bucket: "write", cost: 30 },
  {
    method: "PUT",
    path: "/multivariate_event_collections/{collection_ticker}/lookup",
    bucket: "read",
    cost: 2,
  },
];

const compiled = RULES.map((rule) => ({
  rule,
  pattern: new RegExp(`^${rule.path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
}));

export interface RequestCharge {
  bucket: BucketKind;
  /** Shard whose own Write bucket pays, or null for the unscoped bucket. */
  shard: number | null;
  /** Tokens, already multiplied by the item count for batches. */
  cost: number;
}

function shardOf(body: unknown, query: URLSearchParams): number | null {
  const raw = field(body, "exchange_index") ?? query.get("exchange_index");
  const index = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  return typeof index === "number" && Number.isSafeInteger(index) && index >= 1 ? index : null;
}

/**
 * The charge for one request. `body` is the parsed JSON body (undefined when
 * absent or malformed: a batch that cannot be read is billed as one item and
 * then rejected by its handler).
 */
export function chargeFor(
  method: string,
  pathBelowPrefix: string,
  body: unknown,
  query: URLSearchParams,
): RequestCharge {
  const upper = method.toUpperCase();
  const match = compiled.find((c) => c.rule.method === upper && c.pattern.test(pathBelowPrefix));
  if (!match) return { bucket: "read", shard: null, cost: DEFAULT_COST };
  const { rule } = match;
  const items = rule.items ? Math.max(1, rule.items(body)) : 1;
  return {
    bucket: rule.bucket,
    shard: rule.sharded && rule.bucket === "write" ? shardOf(body, query) : null,
    cost: rule.cost * items,
  };
}

/** Whether the charge depends on the body (batches and sharded writes), so the middleware reads it. */
export function chargeReadsBody(method: string, pathBelowPrefix: string): boolean {
  const upper = method.toUpperCase();
  const match = compiled.find((c) => c.rule.method === upper && c.pattern.test(pathBelowPrefix));
  return match !== undefined && (match.rule.items !== undefined || match.rule.sharded === true);
}

export interface EndpointCost {
  method: string;
  path: string;
  cost: number;
}

/** GET /account/endpoint_costs: every route whose (per-item) cost differs from the default, full API path. */
export function nonDefaultEndpointCosts(apiPrefix: string): EndpointCost[] {
  return RULES.filter((rule) => rule.cost !== DEFAULT_COST).map((rule) => ({
    method: rule.method,
    path: `${apiPrefix}${rule.path}`,
    cost: rule.cost,
  }));
}
