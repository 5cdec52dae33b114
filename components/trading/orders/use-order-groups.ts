"use client";
/**
 * Order groups: create with a contracts limit, trigger (cancel its orders and
 * block new ones), reset, and the kill switch that cancels every working order
 * and triggers every group. Each action answers only after the exchange did.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { cancelMany, type CancelManyResult } from "@/components/trading/use-order-actions";
import { toWorkingOrder } from "@/components/trading/order-intent";
import { fetchApi } from "@/lib/queries/fetch-api";
import {
  invalidateAccount,
  orderGroupsOptions,
  portfolioKeys,
  workingOrdersOptions,
} from "@/lib/queries/orders";
import type { CreateOrderGroupResponse } from "@/lib/schemas/order-group";

export interface KillSwitchResult {
  orders: CancelManyResult;
  groupsTriggered: number;
  groupsFailed: number;
}

export function useOrderGroupActions() {
  const queryClient = useQueryClient();
  const refreshGroups = () =>
    queryClient.invalidateQueries({ queryKey: portfolioKeys.orderGroups });

  const create = useMutation({
    mutationFn: (contractsLimit: string) =>
      fetchApi<CreateOrderGroupResponse>("/api/order-groups", {
        method: "POST",
        json: { contracts_limit: contractsLimit },
      }),
    onSettled: refreshGroups,
  });

  const act = useMutation({
    mutationFn: ({ groupId, action }: { groupId: string; action: "trigger" | "reset" }) =>
      fetchApi<{ ok: true }>(`/api/order-groups/${encodeURIComponent(groupId)}/${action}`, {
        method: "POST",
        json: {},
      }),
    // Triggering cancels the group's orders.
    onSettled: () => invalidateAccount(queryClient),
  });

  const kill = useMutation({
    mutationFn: async (): Promise<KillSwitchResult> => {
      // Read both lists fresh: the kill switch must not miss an order placed a moment ago.
      const [orders, groups] = await Promise.all([
        queryClient.fetchQuery({ ...workingOrdersOptions(null), staleTime: 0 }),
        queryClient.fetchQuery({ ...orderGroupsOptions(), staleTime: 0 }),
      ]);
      const triggers = Promise.allSettled(
        // Already-triggered groups are left as they are (triggering again is refused).
        groups
          .filter((group) => group.is_auto_cancel_enabled)
          .map((group) =>
            fetchApi(`/api/order-groups/${encodeURIComponent(group.id)}/trigger`, {
              method: "POST",
              json: {},
            }),
          ),
      );
      const resting = (orders?.orders ?? [])
        .filter((order) => order.status === "resting")
        .map(toWorkingOrder);
      const cancelled = await cancelMany(
        resting.map((o) => ({ orderId: o.orderId, subaccount: o.subaccount })),
      );
      const triggered = await triggers;
      return {
        orders: cancelled,
        groupsTriggered: triggered.filter((t) => t.status === "fulfilled").length,
        groupsFailed: triggered.filter((t) => t.status === "rejected").length,
      };
    },
    onSettled: () => invalidateAccount(queryClient),
  });

  return { create, act, kill };
}
