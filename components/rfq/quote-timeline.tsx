"use client";
/**
 * A quote's path after acceptance: accepted → confirmed → executed, with the
 * confirmation window and execution timer counting down, or where and why
 * it stopped (the maker let the window lapse, a balance fell short, the RFQ
 * closed). Shared by the requester's board and the maker's quote list.
 */
import { PositionLine } from "@/components/rfq/position-line";
import { duration } from "@/components/rfq/rfq-ui";
import { confirmationWindowMs, executionTimerMs } from "@/lib/rfq/rfq-math";
import type { Quote } from "@/lib/schemas/rfq";

const REASONS: Record<string, string> = {
  confirmation_timeout: "Expired: the maker did not confirm within the window",
  insufficient_balance: "Cancelled: insufficient balance at execution",
  rfq_closed: "Cancelled: the RFQ closed",
  deleted: "Cancelled by the maker",
  replaced: "Replaced by a newer quote",
};

function at(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function QuoteTimeline({ quote, now }: { quote: Quote; now: number }) {
  const accepted = at(quote.accepted_ts);
  const confirmed = at(quote.confirmed_ts);
  const executed = at(quote.executed_ts);
  const cancelled = quote.status === "cancelled";
  const reason = typeof quote.cancellation_reason === "string" ? quote.cancellation_reason : "";
  const window = confirmationWindowMs(quote.market_ticker);
  const timer = executionTimerMs(quote.market_ticker);

  const steps: Array<{
    label: string;
    state: "done" | "current" | "todo" | "failed";
    note?: string;
  }> = [
    {
      label:
        `Accepted ${quote.accepted_side ? String(quote.accepted_side).toUpperCase() : ""}`.trim(),
      state: accepted ? "done" : "todo",
    },
    {
      label: "Confirmed by maker",
      state: confirmed
        ? "done"
        : cancelled
          ? "failed"
          : quote.status === "accepted"
            ? "current"
            : "todo",
      note:
        quote.status === "accepted" && accepted
          ? `${duration(accepted + window - now)} left to confirm`
          : undefined,
    },
    {
      label: "Executed",
      state: executed
        ? "done"
        : cancelled && confirmed
          ? "failed"
          : quote.status === "confirmed"
            ? "current"
            : "todo",
      note:
        quote.status === "confirmed" && confirmed
          ? `executes in ${duration(confirmed + timer - now)}`
          : undefined,
    },
  ];
  const outcome =
    quote.status === "executed"
      ? "Executed"
      : cancelled
        ? (REASONS[reason] ?? `Cancelled${reason ? `: ${reason}` : ""}`)
        : null;

  return (
    <section aria-label="Quote status" className="rounded border border-line p-3 text-sm">
      <ol className="flex flex-col gap-1.5 sm:flex-row sm:gap-4">
        {steps.map((step) => (
          <li key={step.label} className="flex items-center gap-2" data-state={step.state}>
            <span
              aria-hidden
              className={`size-2.5 rounded-full ${
                step.state === "done"
                  ? "bg-yes"
                  : step.state === "current"
                    ? "animate-pulse bg-warn"
                    : step.state === "failed"
                      ? "bg-no"
                      : "bg-ink-faint"
              }`}
            />
            <span className={step.state === "todo" ? "text-ink-faint" : ""}>{step.label}</span>
            {step.note ? <span className="font-mono text-xs text-warn">{step.note}</span> : null}
          </li>
        ))}
      </ol>
      {outcome ? (
        <p
          role="status"
          className={`mt-2 font-medium ${quote.status === "executed" ? "text-yes" : "text-no"}`}
        >
          {outcome}
        </p>
      ) : null}
      {quote.status === "executed" ? <PositionLine ticker={quote.market_ticker} /> : null}
    </section>
  );
}
