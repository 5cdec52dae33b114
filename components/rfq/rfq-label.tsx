"use client";
/** How an RFQ's market reads in lists: the market ticker, or a combo's legs. */
import { micros, usd } from "@/components/rfq/rfq-ui";
import type { Rfq } from "@/lib/schemas/rfq";

export function RfqMarketLabel({ rfq }: { rfq: Pick<Rfq, "market_ticker" | "mve_selected_legs"> }) {
  const legs = rfq.mve_selected_legs ?? [];
  if (legs.length === 0) {
    return <span className="font-mono text-xs break-all">{rfq.market_ticker}</span>;
  }
  return (
    <span className="flex min-w-0 flex-col">
      <span className="text-xs font-medium text-accent">Combo · {legs.length} legs</span>
      {legs.map((leg) => (
        <span key={leg.market_ticker} className="font-mono text-[11px] break-all text-ink-muted">
          <span className={leg.side === "no" ? "text-no" : "text-yes"}>
            {String(leg.side ?? "").toUpperCase()}
          </span>{" "}
          {leg.market_ticker}
        </span>
      ))}
    </span>
  );
}

/** "10.00 contracts" or "$25.00 target". */
export function rfqSize(rfq: Pick<Rfq, "contracts_fp" | "target_cost_dollars">): string {
  if (rfq.target_cost_dollars) return `${usd(micros(rfq.target_cost_dollars))} target`;
  return `${rfq.contracts_fp} ct`;
}
