"use client";
/** This market's position: contracts, average price, mark, unrealised and realised P&L; flatten with a preview. */
import type { PositionFigures } from "@/components/trading/pnl";
import { cents, contracts, money, sideLabel } from "@/components/trading/trading-format";
import { FlattenDone, FlattenPreview } from "@/components/trading/flatten-preview";
import type { useFlatten } from "@/components/trading/use-flatten";

export function PositionPanel({
  figures,
  flatten,
  loading,
  account = null,
}: {
  figures: PositionFigures;
  flatten: ReturnType<typeof useFlatten>;
  loading: boolean;
  /** Which account's position, when not the primary ("Subaccount 2"). */
  account?: string | null;
}) {
  const { state } = flatten;
  const pnlTone = (value: number | null) =>
    value === null || value === 0 ? "" : value > 0 ? "text-yes" : "text-no";
  return (
    <section aria-labelledby="position-heading" className="text-xs">
      <h2
        id="position-heading"
        className="mb-1 text-xs font-medium tracking-wide text-ink-muted uppercase"
      >
        Position
        {account ? (
          <span className="ml-1 tracking-normal normal-case" data-testid="position-account">
            · {account}
          </span>
        ) : null}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        <dt className="text-ink-muted">Contracts</dt>
        <dd className="text-right font-mono tabular-nums" data-testid="position-contracts">
          {loading
            ? "…"
            : figures.side === null
              ? "Flat"
              : `${contracts(figures.held)} ${sideLabel(figures.side)}`}
        </dd>
        <dt className="text-ink-muted">Average price</dt>
        <dd className="text-right font-mono tabular-nums">{cents(figures.averagePrice)}</dd>
        <dt className="text-ink-muted">Mark</dt>
        <dd className="text-right font-mono tabular-nums">{cents(figures.mark)}</dd>
        <dt className="text-ink-muted">Unrealised P&amp;L</dt>
        <dd className={`text-right font-mono tabular-nums ${pnlTone(figures.unrealised)}`}>
          {money(figures.unrealised, true)}
        </dd>
        <dt className="text-ink-muted">Realised P&amp;L</dt>
        <dd className={`text-right font-mono tabular-nums ${pnlTone(figures.realised)}`}>
          {money(figures.realised, true)}
        </dd>
        <dt className="text-ink-muted">Fees paid</dt>
        <dd className="text-right font-mono tabular-nums">{money(figures.fees)}</dd>
      </dl>
      {state.step === "idle" || state.step === "done" ? (
        <>
          <button
            type="button"
            disabled={figures.held === 0 || flatten.plan === null}
            onClick={() => flatten.prepare()}
            title={
              figures.held > 0 && flatten.plan === null
                ? "Nobody bids for your side right now"
                : undefined
            }
            className="mt-2 w-full rounded-md border border-line px-2 py-1 font-semibold hover:border-warn disabled:opacity-40"
          >
            Flatten…
          </button>
          <FlattenDone flatten={flatten} className="mt-1 text-[11px] text-ink-muted" />
        </>
      ) : (
        <div
          role="alertdialog"
          aria-label="Flatten preview"
          className="mt-2 rounded-md border border-warn/40 bg-warn/10 p-2"
        >
          <FlattenPreview flatten={flatten} onBack={flatten.reset} />
        </div>
      )}
    </section>
  );
}
