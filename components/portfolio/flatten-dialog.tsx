"use client";
/**
 * Flatten from a portfolio row: the trading screen's own flatten
 * (components/trading/use-flatten.ts + flatten-plan.ts), in a dialog. It
 * reads the market's live book (the gateway's `book:` topic) while open,
 * prepares the plan (sell the held side, reduce-only, immediate or cancel,
 * from the best bid down as deep as the size needs) with one client_order_id,
 * and sends it through the one order path (useOrderActions) once confirmed.
 * The order is reported as placed only once the exchange answered.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";

import { ReauthDialog } from "@/components/auth/reauth-dialog";
import { useReauth } from "@/components/auth/use-reauth";
import { FlattenDone, FlattenPreview } from "@/components/trading/flatten-preview";
import { feeSchedule } from "@/components/trading/market-terms";
import { useFlatten, type FlattenState } from "@/components/trading/use-flatten";
import { useOrderActions } from "@/components/trading/use-order-actions";
import { useBook } from "@/lib/gateway/hooks";
import type { PositionFigures } from "@/lib/portfolio/figures";
import { seriesOfTicker } from "@/lib/queries/browse-filters";
import { seriesOptions } from "@/lib/queries/markets";

import type { PositionRow } from "./use-portfolio";

export interface FlattenTarget {
  row: PositionRow;
  figures: PositionFigures;
}

/** The plan shown no longer matches the live book (price or depth moved). */
export function planMoved(
  state: FlattenState,
  live: { limitPrice: number; fillable: number } | null,
): boolean {
  if (state.step !== "preview" && state.step !== "failed") return false;
  return (
    live === null ||
    live.limitPrice !== state.plan.limitPrice ||
    live.fillable !== state.plan.fillable
  );
}

export function FlattenDialog({
  target,
  onClose,
}: {
  target: FlattenTarget | null;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ticker = target?.row.position.ticker ?? null;
  const { book, status, error } = useBook(ticker);
  const series = useQuery({
    ...seriesOptions(seriesOfTicker(target?.row.eventTicker ?? "")),
    enabled: target !== null,
  });
  const fees = useMemo(() => feeSchedule(series.data), [series.data]);
  const reauth = useReauth();
  const actions = useOrderActions({ confirmReauth: reauth.ask });
  const side = target && target.figures.side !== "flat" ? target.figures.side : null;
  const flatten = useFlatten({
    ticker: ticker ?? "",
    side,
    held: target?.figures.contracts ?? 0,
    book,
    fees,
    actions,
    subaccount: target?.row.subaccount,
  });
  const { prepare, state } = flatten;
  const feesKnown = !series.isPending;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (target && !element.open) element.showModal();
    if (!target && element.open) element.close();
  }, [target]);

  // The parent keys this dialog by its target: prepare once, as soon as the book has a
  // price for the held side and the fee schedule is in (Re-price prepares again).
  const prepared = useRef(false);
  useEffect(() => {
    if (prepared.current || !target || !feesKnown || state.step !== "idle") return;
    if (prepare() !== null) prepared.current = true;
  }, [target, feesKnown, state.step, prepare]);

  const account =
    target === null
      ? ""
      : target.row.subaccount === 0
        ? "Primary"
        : `Subaccount ${target.row.subaccount}`;
  const reading = !book && status !== "error";

  return (
    <>
      <dialog
        ref={dialog}
        onClose={onClose}
        aria-labelledby="flatten-title"
        className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-4 text-sm text-ink backdrop:bg-black/60"
      >
        <h2 id="flatten-title" className="mb-1 text-base font-semibold">
          Flatten {ticker}
        </h2>
        <p className="mb-2 text-xs text-ink-muted">{account}</p>
        {status === "error" ? (
          <p role="alert" className="text-no">
            The order book could not be read: {error?.message ?? "the stream refused it"}.
          </p>
        ) : reading || (state.step === "idle" && flatten.plan !== null) ? (
          <p className="text-ink-muted" role="status">
            Reading the book…
          </p>
        ) : state.step === "idle" ? (
          <p className="text-warn">
            Nobody is bidding for this side right now: there is no price to close at.
          </p>
        ) : null}
        {state.step === "preview" || state.step === "sending" || state.step === "failed" ? (
          <div
            role="alertdialog"
            aria-label="Flatten preview"
            className="rounded-md border border-warn/40 bg-warn/10 p-2"
          >
            {planMoved(state, flatten.plan) ? (
              <p className="mb-1 flex items-center gap-2 text-xs text-warn">
                The book moved since this preview.
                <button
                  type="button"
                  onClick={() => prepare()}
                  disabled={flatten.plan === null}
                  className="rounded border border-line px-2 py-0.5 text-ink disabled:opacity-50"
                >
                  Re-price
                </button>
              </p>
            ) : null}
            <FlattenPreview flatten={flatten} onBack={onClose} backLabel="Cancel" />
          </div>
        ) : null}
        {state.step === "done" ? (
          <>
            <FlattenDone flatten={flatten} className="text-yes" />
            <div className="mt-4 flex justify-end">
              <button
                type="button"
                onClick={onClose}
                className="rounded border border-line px-3 py-1"
              >
                Close
              </button>
            </div>
          </>
        ) : state.step === "idle" ? (
          <div className="mt-4 flex justify-end">
            <button
              type="button"
              onClick={onClose}
              className="rounded border border-line px-3 py-1"
            >
              Cancel
            </button>
          </div>
        ) : null}
      </dialog>
      <ReauthDialog {...reauth.dialogProps} purpose="place the order" />
    </>
  );
}
