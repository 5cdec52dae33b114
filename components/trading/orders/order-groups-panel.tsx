"use client";
/**
 * Order groups: create one with a contracts limit, see each group's fills in
 * Kalshi's rolling 15-second window against its limit, trigger and reset.
 * Fills are matched to a group through the group's order ids.
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { describeOrderError } from "@/components/trading/order-errors";
import { useNow } from "@/components/trading/orders/working-orders";
import { useOrderGroupActions } from "@/components/trading/orders/use-order-groups";
import { contracts } from "@/components/trading/trading-format";
import { parseCount, type Centis } from "@/lib/fixed-point";
import { fillsOptions, orderGroupDetailOptions, orderGroupsOptions } from "@/lib/queries/orders";
import type { FillList } from "@/lib/schemas/portfolio";

/** Kalshi measures a group's limit over a rolling 15 s window. */
const WINDOW_MS = 15_000;

/** Contracts filled by these orders within the window ending at `now` (pure; exported for tests). */
export function filledInWindow(
  fills: FillList["fills"],
  orderIds: ReadonlySet<string>,
  now: number,
): Centis {
  let total = 0;
  for (const fill of fills) {
    if (!orderIds.has(fill.order_id) || !fill.created_time) continue;
    const at = Date.parse(fill.created_time);
    if (now - at <= WINDOW_MS) total += parseCount(fill.count_fp);
  }
  return total;
}

export function OrderGroupsPanel() {
  const groups = useQuery(orderGroupsOptions());
  const list = groups.data ?? [];
  const details = useQueries({ queries: list.map((group) => orderGroupDetailOptions(group.id)) });
  const fills = useQuery(fillsOptions(null));
  const { create, act } = useOrderGroupActions();
  const [limit, setLimit] = useState("10");
  const [error, setError] = useState<string | null>(null);
  const now = useNow(1_000);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await create.mutateAsync(limit.trim());
    } catch (caught) {
      setError(describeOrderError(caught).message);
    }
  }

  return (
    <section aria-label="Order groups" className="flex min-h-0 flex-1 flex-col gap-2 text-xs">
      <form onSubmit={submit} className="flex items-end gap-2">
        <label className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
          Contracts limit (per 15 s)
          <input
            value={limit}
            onChange={(event) => setLimit(event.target.value)}
            inputMode="decimal"
            className="w-24 rounded border border-line bg-surface px-1 py-0.5 font-mono text-ink"
          />
        </label>
        <button
          type="submit"
          disabled={create.isPending}
          className="rounded border border-accent px-2 py-0.5 disabled:opacity-50"
        >
          {create.isPending ? "Creating…" : "Create group"}
        </button>
        {error ? (
          <p role="alert" className="text-no">
            {error}
          </p>
        ) : null}
      </form>
      <div className="min-h-0 flex-1 overflow-auto">
        <table className="w-full tabular-nums">
          <thead className="sticky top-0 bg-panel text-left text-[11px] text-ink-muted">
            <tr>
              <th className="py-1 pr-2 font-normal">Group</th>
              <th className="py-1 pr-2 text-right font-normal">Filled (15 s) / limit</th>
              <th className="py-1 pr-2 text-right font-normal">Orders</th>
              <th className="py-1 pr-2 font-normal">State</th>
              <th className="py-1 font-normal">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.length === 0 ? (
              <tr>
                <td colSpan={5} className="py-2 text-ink-muted">
                  {groups.isPending
                    ? "Loading groups…"
                    : "No order groups. Create one, then pick it in the ticket."}
                </td>
              </tr>
            ) : (
              list.map((group, index) => {
                const detail = details[index]?.data;
                const ids = new Set(detail?.orders ?? []);
                const filled = filledInWindow(fills.data?.fills ?? [], ids, now);
                const limitCentis = group.contracts_limit_fp
                  ? parseCount(group.contracts_limit_fp)
                  : null;
                const triggered = !group.is_auto_cancel_enabled;
                return (
                  <tr
                    key={group.id}
                    className="border-t border-line/60"
                    aria-label={`Group ${group.id}`}
                  >
                    <td className="py-1 pr-2 font-mono" title={group.id}>
                      {group.id.slice(0, 8)}
                    </td>
                    <td className="py-1 pr-2 text-right font-mono">
                      {contracts(filled)} / {contracts(limitCentis)}
                    </td>
                    <td className="py-1 pr-2 text-right font-mono">{ids.size}</td>
                    <td className={`py-1 pr-2 ${triggered ? "text-no" : "text-yes"}`}>
                      {triggered ? "Triggered" : "Active"}
                    </td>
                    <td className="py-1 text-right whitespace-nowrap">
                      <button
                        type="button"
                        disabled={act.isPending}
                        onClick={() =>
                          act.mutate({ groupId: group.id, action: triggered ? "reset" : "trigger" })
                        }
                        className="rounded px-1 text-ink-muted hover:text-ink disabled:opacity-50"
                      >
                        {triggered ? "Reset" : "Trigger"}
                      </button>
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
