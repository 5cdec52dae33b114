"use client";
/** Fills blotter: this market's or every market's fills, newest first, with fee and maker/taker. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { fromBookOrder, type OutcomeSide } from "@/components/trading/order-intent";
import { cents, contracts, money, sideLabel } from "@/components/trading/trading-format";
import { parseCount, parseDollars } from "@/lib/fixed-point";
import { fillsOptions } from "@/lib/queries/orders";
import { ScopeToggle, type BlotterScope } from "@/components/trading/orders/scope-toggle";

export function FillsBlotter({ ticker, view }: { ticker: string; view: OutcomeSide }) {
  const [scope, setScope] = useState<BlotterScope>("market");
  const fills = useQuery(fillsOptions(scope === "market" ? ticker : null));
  const rows = fills.data?.fills ?? [];
  return (
    <section aria-label="Fills" className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 pb-1.5 text-xs">
        <ScopeToggle label="Fills shown" value={scope} onChange={setScope} />
        <span className="text-ink-muted">{rows.length} fills</span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        <table className="w-full text-xs tabular-nums">
          <thead className="sticky top-0 bg-panel text-left text-[11px] text-ink-muted">
            <tr>
              <th className="py-1 pr-2 font-normal">Time</th>
              {scope === "all" ? <th className="py-1 pr-2 font-normal">Market</th> : null}
              <th className="py-1 pr-2 font-normal">Side</th>
              <th className="py-1 pr-2 text-right font-normal">Price</th>
              <th className="py-1 pr-2 text-right font-normal">Contracts</th>
              <th className="py-1 pr-2 text-right font-normal">Fee</th>
              <th className="py-1 font-normal">Role</th>
            </tr>
          </thead>
          <tbody>
            {fills.isPending ? (
              <tr>
                <td colSpan={7} className="py-2 text-ink-muted">
                  Loading fills…
                </td>
              </tr>
            ) : rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="py-2 text-ink-muted">
                  No fills yet.
                </td>
              </tr>
            ) : (
              rows.map((fill) => {
                const shown = fromBookOrder(
                  fill.book_side,
                  parseDollars(fill.yes_price_dollars),
                  view,
                );
                const buy = shown.action === "buy";
                return (
                  <tr key={fill.fill_id} className="border-t border-line/60">
                    <td className="py-1 pr-2 font-mono text-ink-muted">
                      {fill.created_time ? new Date(fill.created_time).toLocaleTimeString() : "—"}
                    </td>
                    {scope === "all" ? (
                      <td className="max-w-40 truncate py-1 pr-2 font-mono">{fill.ticker}</td>
                    ) : null}
                    <td
                      className={`py-1 pr-2 font-semibold ${buy === (view === "yes") ? "text-yes" : "text-no"}`}
                    >
                      {buy ? "Buy" : "Sell"} {sideLabel(view)}
                    </td>
                    <td className="py-1 pr-2 text-right font-mono">{cents(shown.price)}</td>
                    <td className="py-1 pr-2 text-right font-mono">
                      {contracts(parseCount(fill.count_fp))}
                    </td>
                    <td className="py-1 pr-2 text-right font-mono">
                      {money(parseDollars(fill.fee_cost))}
                    </td>
                    <td className="py-1">{fill.is_taker ? "Taker" : "Maker"}</td>
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
