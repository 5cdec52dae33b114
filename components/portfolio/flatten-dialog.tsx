"use client";
/**
 * The flatten confirmation: what will be sent (side, count, price, reduce-only
 * IOC) and roughly what it brings in, then one click to send it. The order is
 * only reported as placed once the exchange answered.
 */
import { useEffect, useRef, useState } from "react";

import { ReauthDialog } from "@/components/auth/reauth-dialog";
import type { PositionFigures } from "@/lib/portfolio/figures";
import { formatContracts, formatPriceCentsExact, formatUsd } from "@/lib/portfolio/format-money";

import { useFlattenPosition, type FlattenPreview } from "./use-flatten-position";
import type { PositionRow } from "./use-portfolio";

export function FlattenDialog({
  target,
  onClose,
}: {
  target: { row: PositionRow; figures: PositionFigures } | null;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { preview, send, pending, reauthDialogProps } = useFlattenPosition();
  const [plan, setPlan] = useState<FlattenPreview | null | "loading">("loading");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (target && !element.open) element.showModal();
    if (!target && element.open) element.close();
    if (!target) return;
    // The parent keys this dialog by its target: a new target starts from fresh state.
    let cancelled = false;
    preview(target.row.position.ticker, target.figures, target.row.subaccount).then(
      (next) => {
        if (!cancelled) setPlan(next);
      },
      () => {
        if (!cancelled) setPlan(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [target, preview]);

  async function confirm() {
    if (!plan || plan === "loading") return;
    const outcome = await send(plan);
    if (outcome.ok) {
      const body = (await outcome.response.json()) as { fill_count?: string };
      setResult({
        ok: true,
        text: `Sent. Filled ${body.fill_count ?? "0"} of ${plan.order.count}.`,
      });
    } else {
      setResult({ ok: false, text: outcome.error.message });
    }
  }

  return (
    <>
      <dialog
        ref={dialog}
        onClose={onClose}
        aria-labelledby="flatten-title"
        className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-4 text-sm text-ink backdrop:bg-black/60"
      >
        <h2 id="flatten-title" className="mb-2 text-base font-semibold">
          Flatten {target?.row.position.ticker}
        </h2>
        {plan === "loading" ? (
          <p className="text-ink-muted" role="status">
            Reading the book…
          </p>
        ) : plan === null ? (
          <p className="text-warn">
            Nobody is bidding for this side right now: there is no price to close at.
          </p>
        ) : (
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1">
            <dt className="text-ink-muted">Order</dt>
            <dd>
              Sell {formatContracts(plan.contracts)} {plan.heldSide.toUpperCase()}
            </dd>
            <dt className="text-ink-muted">Price</dt>
            <dd className="font-mono">{formatPriceCentsExact(plan.price)} (best bid)</dd>
            <dt className="text-ink-muted">Proceeds</dt>
            <dd className="font-mono">≈ {formatUsd(plan.proceeds)} before fees</dd>
            <dt className="text-ink-muted">Type</dt>
            <dd>Reduce-only, immediate or cancel</dd>
            <dt className="text-ink-muted">Account</dt>
            <dd>{plan.subaccount === 0 ? "Primary" : `Subaccount ${plan.subaccount}`}</dd>
          </dl>
        )}
        {result ? (
          <p role="status" className={`mt-3 ${result.ok ? "text-yes" : "text-no"}`}>
            {result.text}
          </p>
        ) : null}
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded border border-line px-3 py-1">
            {result?.ok ? "Close" : "Cancel"}
          </button>
          {!result?.ok ? (
            <button
              type="button"
              disabled={pending || !plan || plan === "loading"}
              onClick={() => void confirm()}
              className="rounded bg-no px-3 py-1 font-medium text-white disabled:opacity-50"
            >
              {pending ? "Sending…" : "Send flatten order"}
            </button>
          ) : null}
        </div>
      </dialog>
      <ReauthDialog {...reauthDialogProps} purpose="place the order" />
    </>
  );
}
