/**
 * Order groups (getting_started/order_groups.md): a contracts limit over a
 * rolling 15-second window of *filled* contracts. When the rolling total
 * exceeds the limit (or on a manual trigger, or when the limit is lowered
 * below the current rolling volume) the group is triggered: its resting
 * orders are canceled and new orders into it are refused until a reset.
 *
 * Groups live beside the exchange state (one registry per SimState) so the
 * engine, the REST routes and the tests share one view without SimState
 * carrying order-group fields.
 */
import { ONE_CONTRACT, type Centis } from "@/lib/fixed-point";
import { SimError } from "@/server/sim/errors";
import type { OrderRecord } from "@/server/sim/model";
import { statePart, type SimState } from "@/server/sim/state";

/** The rolling window over which filled contracts count against the limit. */
export const ORDER_GROUP_WINDOW_MS = 15_000;
/** order_groups.md: "a contracts limit (1–1,000,000)". */
export const MIN_CONTRACTS_LIMIT: Centis = ONE_CONTRACT;
export const MAX_CONTRACTS_LIMIT: Centis = 1_000_000 * ONE_CONTRACT;
/** create-order-group.md: "Users can have up to 100,000 order groups at a time." */
export const MAX_ORDER_GROUPS_PER_USER = 100_000;

export type OrderGroupEventType = "created" | "triggered" | "reset" | "deleted" | "limit_updated";

export interface OrderGroupRecord {
  orderGroupId: string;
  userId: string;
  subaccount: number;
  contractsLimit: Centis;
  triggered: boolean;
  /** Fills inside the rolling window, oldest first. */
  window: Array<{ timeMs: number; count: Centis }>;
  /** Every order ever placed into the group, in placement order. */
  orderIds: string[];
  createdTime: number;
}

interface Registry {
  groups: Map<string, OrderGroupRecord>;
  /** Live group count per user (the 100,000 cap). */
  perUser: Map<string, number>;
  /** Groups that tripped during matching and still have resting orders to cancel. */
  pendingCancel: Set<OrderGroupRecord>;
}

const REGISTRY = statePart<Registry>("order-groups", () => ({
  groups: new Map(),
  perUser: new Map(),
  pendingCancel: new Set(),
}));

function registry(state: SimState): Registry {
  return state.part(REGISTRY);
}

export const orderGroupErrors = {
  notFound: (orderGroupId: string) =>
    new SimError(404, "not_found", `order group ${orderGroupId} not found`),
  /** Placement into an unknown (or someone else's) group: create-order answers 400 for bad input. */
  unknownForOrder: (orderGroupId: string) =>
    new SimError(
      400,
      "ORDER_GROUP_NOT_FOUND",
      `order_group_id: order group ${orderGroupId} not found`,
    ),
  wrongSubaccount: (orderGroupId: string, groupSubaccount: number, orderSubaccount: number) =>
    new SimError(
      400,
      "ORDER_GROUP_SUBACCOUNT_MISMATCH",
      `order_group_id: order group ${orderGroupId} belongs to subaccount ${groupSubaccount}, not ${orderSubaccount}`,
    ),
  triggered: (orderGroupId: string) =>
    new SimError(
      409,
      "ORDER_GROUP_TRIGGERED",
      `order group ${orderGroupId} has been triggered; reset it before placing orders into it`,
    ),
  tooMany: () =>
    new SimError(
      400,
      "ORDER_GROUP_LIMIT_REACHED",
      `at most ${MAX_ORDER_GROUPS_PER_USER} order groups per user`,
    ),
} as const;

function publish(state: SimState, group: OrderGroupRecord, eventType: OrderGroupEventType): void {
  state.bus.publish({
    kind: "order_group",
    userId: group.userId,
    eventType,
    orderGroupId: group.orderGroupId,
    contractsLimit:
      eventType === "created" || eventType === "limit_updated" ? group.contractsLimit : null,
    tsMs: state.now(),
  });
}

/** Drops fills that left the window; returns the rolling total. */
function rollingVolume(group: OrderGroupRecord, now: number): Centis {
  const cutoff = now - ORDER_GROUP_WINDOW_MS;
  let drop = 0;
  while (drop < group.window.length && (group.window[drop]?.timeMs ?? 0) <= cutoff) drop += 1;
  if (drop > 0) group.window.splice(0, drop);
  let total = 0;
  for (const entry of group.window) total += entry.count;
  return total;
}

/** The group's resting orders (canceled or executed members are skipped). */
export function restingOrdersOf(state: SimState, group: OrderGroupRecord): OrderRecord[] {
  const out: OrderRecord[] = [];
  for (const orderId of group.orderIds) {
    const order = state.orders.get(orderId);
    if (order && order.status === "resting") out.push(order);
  }
  return out;
}

/** Creates a group for `userId` in `subaccount` and announces it (`created`). */
export function createOrderGroup(
  state: SimState,
  input: { userId: string; subaccount: number; contractsLimit: Centis },
): OrderGroupRecord {
  const reg = registry(state);
  const live = reg.perUser.get(input.userId) ?? 0;
  if (live >= MAX_ORDER_GROUPS_PER_USER) throw orderGroupErrors.tooMany();
  const group: OrderGroupRecord = {
    orderGroupId: state.newId(),
    userId: input.userId,
    subaccount: input.subaccount,
    contractsLimit: input.contractsLimit,
    triggered: false,
    window: [],
    orderIds: [],
    createdTime: state.now(),
  };
  reg.groups.set(group.orderGroupId, group);
  reg.perUser.set(input.userId, live + 1);
  publish(state, group, "created");
  return group;
}

/**
 * The user's group, optionally only when it belongs to `subaccount`. Someone
 * else's group is reported exactly like a missing one (no probing).
 */
export function findOrderGroup(
  state: SimState,
  userId: string,
  orderGroupId: string,
  subaccount?: number,
): OrderGroupRecord {
  const group = registry(state).groups.get(orderGroupId);
  if (!group || group.userId !== userId) throw orderGroupErrors.notFound(orderGroupId);
  if (subaccount !== undefined && group.subaccount !== subaccount)
    throw orderGroupErrors.notFound(orderGroupId);
  return group;
}

/** The user's groups in creation order, optionally of one subaccount. */
export function listOrderGroups(
  state: SimState,
  userId: string,
  subaccount?: number,
): OrderGroupRecord[] {
  const out: OrderGroupRecord[] = [];
  for (const group of registry(state).groups.values()) {
    if (group.userId !== userId) continue;
    if (subaccount !== undefined && group.subaccount !== subaccount) continue;
    out.push(group);
  }
  return out;
}

/** Contracts filled in the group over the last 15 seconds. */
export function orderGroupVolume(state: SimState, group: OrderGroupRecord): Centis {
  return rollingVolume(group, state.now());
}

type CancelOrder = (order: OrderRecord) => void;

function trip(state: SimState, group: OrderGroupRecord, cancel: CancelOrder): void {
  group.triggered = true;
  for (const order of restingOrdersOf(state, group)) cancel(order);
  publish(state, group, "triggered");
}

/** Manual trigger: cancels every resting order of the group and refuses new ones until reset. */
export function triggerOrderGroup(
  state: SimState,
  group: OrderGroupRecord,
  cancel: CancelOrder,
): void {
  trip(state, group, cancel);
}

/** Clears the triggered state and the rolling volume counter. */
export function resetOrderGroup(state: SimState, group: OrderGroupRecord): void {
  group.triggered = false;
  group.window = [];
  registry(state).pendingCancel.delete(group);
  publish(state, group, "reset");
}

/**
 * Sets a new limit; a limit below the current rolling volume triggers the
 * group at once (update-order-group-limit.md).
 */
export function updateOrderGroupLimit(
  state: SimState,
  group: OrderGroupRecord,
  contractsLimit: Centis,
  cancel: CancelOrder,
): void {
  group.contractsLimit = contractsLimit;
  publish(state, group, "limit_updated");
  if (!group.triggered && rollingVolume(group, state.now()) > contractsLimit)
    trip(state, group, cancel);
}

/** Cancels the group's resting orders and removes it for good. */
export function deleteOrderGroup(
  state: SimState,
  group: OrderGroupRecord,
  cancel: CancelOrder,
): void {
  for (const order of restingOrdersOf(state, group)) cancel(order);
  const reg = registry(state);
  reg.groups.delete(group.orderGroupId);
  reg.pendingCancel.delete(group);
  reg.perUser.set(group.userId, Math.max((reg.perUser.get(group.userId) ?? 1) - 1, 0));
  publish(state, group, "deleted");
}

// ------------------------------------------------------------ engine hooks

/**
 * Placement check (before anything changes): the group must exist, be the
 * user's, belong to the order's subaccount, and not be triggered.
 */
export function checkOrderGroupPlacement(
  state: SimState,
  userId: string,
  subaccount: number,
  orderGroupId: string | null | undefined,
): void {
  if (orderGroupId == null) return;
  const group = registry(state).groups.get(orderGroupId);
  if (!group || group.userId !== userId) throw orderGroupErrors.unknownForOrder(orderGroupId);
  if (group.subaccount !== subaccount)
    throw orderGroupErrors.wrongSubaccount(orderGroupId, group.subaccount, subaccount);
  if (group.triggered) throw orderGroupErrors.triggered(orderGroupId);
}

/** Records a newly created order as a member of its group. */
export function attachOrderToGroup(state: SimState, order: OrderRecord): void {
  if (order.orderGroupId === null) return;
  registry(state).groups.get(order.orderGroupId)?.orderIds.push(order.orderId);
}

/** True when the order belongs to a group that is triggered (it must not fill further). */
export function isInTriggeredGroup(
  state: SimState,
  order: Pick<OrderRecord, "orderGroupId">,
): boolean {
  if (order.orderGroupId === null) return false;
  return registry(state).groups.get(order.orderGroupId)?.triggered ?? false;
}

/**
 * Counts a fill of `count` contracts against the order's group. When the
 * rolling total exceeds the limit the group is marked triggered and queued:
 * the engine cancels its resting orders once the current match is done
 * (`takeTriggeredGroupOrders`), so the book is never changed under a sweep.
 */
export function recordGroupFill(state: SimState, order: OrderRecord, count: Centis): void {
  if (order.orderGroupId === null) return;
  const group = registry(state).groups.get(order.orderGroupId);
  if (!group || group.triggered) return;
  const now = state.now();
  const trips = exceedsLimit(group, now, count);
  group.window.push({ timeMs: now, count });
  if (trips) {
    group.triggered = true;
    registry(state).pendingCancel.add(group);
    publish(state, group, "triggered");
  }
}

/** The trip rule: the rolling volume plus `extra` more contracts goes over the limit. */
function exceedsLimit(group: OrderGroupRecord, now: number, extra: Centis): boolean {
  return rollingVolume(group, now) + extra > group.contractsLimit;
}

/**
 * Whether filling `extra` more contracts in the group now would trip it
 * (false when it is unknown or already triggered). Changes nothing: the
 * fill-or-kill pre-check plans a sweep with it.
 */
export function wouldTripOrderGroup(state: SimState, orderGroupId: string, extra: Centis): boolean {
  const group = registry(state).groups.get(orderGroupId);
  if (!group || group.triggered) return false;
  return exceedsLimit(group, state.now(), extra);
}

/**
 * Resting orders of groups that tripped during matching, to be canceled by
 * the engine now; clears the queue. Includes a taker that has not reached
 * the book yet (status still "resting"), which the engine ends itself.
 */
const NONE: readonly OrderRecord[] = Object.freeze([]);

export function takeTriggeredGroupOrders(state: SimState): readonly OrderRecord[] {
  const reg = registry(state);
  if (reg.pendingCancel.size === 0) return NONE;
  const out: OrderRecord[] = [];
  for (const group of reg.pendingCancel) out.push(...restingOrdersOf(state, group));
  reg.pendingCancel.clear();
  return out;
}
