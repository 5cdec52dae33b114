/**
 * The one rule for "can this resting maker fill this taker now", shared by
 * the sweep (`MatchingEngine.match`) and the fill-or-kill pre-check, so the
 * pre-check never counts a maker the sweep would skip (an FOK then filled
 * partly) nor skips one the sweep would fill.
 *
 * Groups trip on fills made during the sweep itself, so the rule reads group
 * state through a `GroupView`: the live one for the sweep, a projection that
 * adds the fills planned so far for the pre-check.
 */
import type { Centis } from "@/lib/fixed-point";
import type { OrderRecord } from "@/server/sim/model";
import {
  isInTriggeredGroup,
  wouldTripOrderGroup,
} from "@/server/sim/order-groups/order-group-store";
import type { SimState } from "@/server/sim/state";

/** The taker's fields the rule reads (the pre-check runs before the order record exists). */
export type TakerView = Pick<OrderRecord, "userId" | "selfTradePrevention" | "orderGroupId">;
type GroupMember = Pick<OrderRecord, "orderGroupId">;

export type MakerVerdict =
  | { kind: "fill" }
  /** The maker leaves the book and the sweep goes on to the next one. */
  | { kind: "cancel_maker"; reason: "group" | "self_trade" | "expired" }
  /** The taker fills no further (its remainder is canceled). */
  | { kind: "stop"; reason: "taker_group" | "self_trade" };

export interface GroupView {
  isTriggered(order: GroupMember): boolean;
  /** Counts a fill against the order's group (which may trip it). */
  recordFill(order: GroupMember, count: Centis): void;
}

/** Whether `maker` can fill `taker` at time `now`, given the groups as `groups` sees them. */
export function makerVerdict(
  taker: TakerView,
  maker: OrderRecord,
  groups: Pick<GroupView, "isTriggered">,
  now: number,
): MakerVerdict {
  // A group that tripped mid-sweep fills no further (order_groups.md).
  if (groups.isTriggered(taker)) return VERDICTS.stopTakerGroup;
  if (groups.isTriggered(maker)) return VERDICTS.cancelGroup;
  // The expiry sweep runs on a timer; an order past its expiration must not trade meanwhile.
  if (maker.expirationTime !== null && maker.expirationTime <= now) {
    return VERDICTS.cancelExpired;
  }
  if (maker.userId === taker.userId) {
    return taker.selfTradePrevention === "taker_at_cross"
      ? VERDICTS.stopSelfTrade
      : VERDICTS.cancelSelfTrade;
  }
  return VERDICTS.fill;
}

/** Every verdict, built once (the sweep asks for one per maker it meets). */
const VERDICTS = {
  fill: { kind: "fill" },
  stopTakerGroup: { kind: "stop", reason: "taker_group" },
  stopSelfTrade: { kind: "stop", reason: "self_trade" },
  cancelGroup: { kind: "cancel_maker", reason: "group" },
  cancelExpired: { kind: "cancel_maker", reason: "expired" },
  cancelSelfTrade: { kind: "cancel_maker", reason: "self_trade" },
} as const satisfies Record<string, MakerVerdict>;

/** The groups as they are; the sweep's fills change them through `recordGroupFill`. */
export function liveGroups(state: SimState): Pick<GroupView, "isTriggered"> {
  return { isTriggered: (order) => isInTriggeredGroup(state, order) };
}

/** The groups as they would be after the fills recorded here (nothing in `state` changes). */
export function projectedGroups(state: SimState): GroupView {
  const planned = new Map<string, Centis>();
  const tripped = new Set<string>();
  return {
    isTriggered: (order) =>
      isInTriggeredGroup(state, order) ||
      (order.orderGroupId !== null && tripped.has(order.orderGroupId)),
    recordFill: (order, count) => {
      const id = order.orderGroupId;
      if (id === null) return;
      const total = (planned.get(id) ?? 0) + count;
      planned.set(id, total);
      if (wouldTripOrderGroup(state, id, total)) tripped.add(id);
    },
  };
}
