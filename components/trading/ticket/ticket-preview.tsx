"use client";
/** The ticket's live preview: what the order costs, could pay, and would be charged. */
import type { OrderAction, OutcomeSide } from "@/components/trading/order-intent";
import type { TicketPreview } from "@/components/trading/ticket/ticket-model";
import { DASH, money } from "@/components/trading/trading-format";

export function TicketPreviewPanel({
  preview,
  side,
  action,
}: {
  preview: TicketPreview | null;
  side: OutcomeSide;
  action: OrderAction;
}) {
  const rows: Array<[string, string, string?]> = preview
    ? [
        ...(action === "sell" && preview.closing > 0
          ? ([["Proceeds", money(preview.proceeds)]] as Array<[string, string]>)
          : []),
        [action === "buy" ? "Cost" : "Collateral", money(preview.cost)],
        ["Max payout", money(preview.maxPayout)],
        [
          "Taker fee (if it trades now)",
          money(preview.takerFee),
          preview.crosses ? "text-warn" : undefined,
        ],
        [
          "Maker fee (if it rests)",
          money(preview.makerFee),
          preview.crosses ? undefined : "text-ink",
        ],
        [
          "Balance after",
          money(preview.balanceAfter),
          preview.balanceAfter !== null && preview.balanceAfter < 0 ? "text-no" : undefined,
        ],
      ]
    : [
        ["Cost", DASH],
        ["Max payout", DASH],
        ["Taker fee (if it trades now)", DASH],
        ["Maker fee (if it rests)", DASH],
        ["Balance after", DASH],
      ];
  return (
    <section aria-label="Order preview" className="rounded-md border border-line bg-surface/60 p-2">
      <dl className="grid grid-cols-[1fr_auto] gap-x-2 gap-y-0.5 text-[11px]">
        {rows.map(([term, value, tone]) => (
          <div key={term} className="contents">
            <dt className="text-ink-muted">{term}</dt>
            <dd className={`text-right font-mono tabular-nums ${tone ?? ""}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {preview ? (
        <p className="mt-1 text-[11px] text-ink-muted">
          {preview.crosses
            ? `Crosses the spread now: it trades as the taker (${side.toUpperCase()}).`
            : "Does not cross: it rests on the book as a maker order."}
        </p>
      ) : null}
    </section>
  );
}
