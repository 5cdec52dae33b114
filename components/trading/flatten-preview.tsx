"use client";
/**
 * What a prepared flatten will send (use-flatten.ts) and its confirm step,
 * and what the exchange answered once it was sent. One rendering of the one
 * flatten, used by the trading screen's position panel and the portfolio's
 * flatten dialog.
 */
import { cents, contracts, money, sideLabel } from "@/components/trading/trading-format";
import type { useFlatten } from "@/components/trading/use-flatten";

type Flatten = ReturnType<typeof useFlatten>;

/** The plan, the fee, any refusal, and Confirm / Back; nothing unless a plan is prepared. */
export function FlattenPreview({
  flatten,
  onBack,
  backLabel = "Back",
}: {
  flatten: Flatten;
  onBack: () => void;
  backLabel?: string;
}) {
  const { state } = flatten;
  if (state.step !== "preview" && state.step !== "sending" && state.step !== "failed") return null;
  return (
    <>
      <p>
        Sell {contracts(state.plan.count)} {sideLabel(state.plan.side)} reduce-only, immediate or
        cancel, down to {cents(state.plan.limitPrice)}.
      </p>
      <p className="text-ink-muted">
        Book absorbs {contracts(state.plan.fillable)}; expected proceeds{" "}
        {money(state.plan.expectedProceeds)}; taker fee at most {money(state.takerFee)}.
      </p>
      {state.step === "failed" ? (
        <p role="alert" className="text-no">
          {state.problem.message}
        </p>
      ) : null}
      <div className="mt-1 flex gap-2">
        <button
          type="button"
          disabled={state.step === "sending"}
          onClick={() => void flatten.confirm()}
          className="flex-1 rounded-md border border-warn px-2 py-1 font-semibold text-warn disabled:opacity-50"
        >
          {state.step === "sending"
            ? "Flattening…"
            : state.step === "failed"
              ? "Retry flatten"
              : "Confirm flatten"}
        </button>
        <button type="button" onClick={onBack} className="rounded-md border border-line px-2 py-1">
          {backLabel}
        </button>
      </div>
    </>
  );
}

/** The exchange's answer to a sent flatten; nothing before it answered. */
export function FlattenDone({ flatten, className }: { flatten: Flatten; className?: string }) {
  const { state } = flatten;
  if (state.step !== "done") return null;
  return (
    <p role="status" className={className}>
      Flatten acknowledged: filled {state.order.fill_count}
      {Number(state.order.remaining_count) > 0
        ? `, ${state.order.remaining_count} not filled (cancelled)`
        : ""}
      .
    </p>
  );
}
