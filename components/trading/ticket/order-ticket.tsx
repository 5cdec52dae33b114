"use client";
/**
 * The order ticket: buy/sell YES/NO, count, limit price on the market's grid,
 * time in force, post-only, reduce-only, self-trade prevention, cancel on
 * pause, subaccount and order group; a live preview (cost, payout, exact
 * taker/maker fee, balance after); a confirmation step above the trader's
 * threshold; Kalshi's refusals next to the field they concern.
 *
 * One submit = one intent = one client_order_id. The intent is kept while
 * its send is in flight or failed, so pressing again retries the same order;
 * the button is disabled while a send is in flight, and pressing again within
 * a moment of an acknowledgement for the same order asks first.
 */
import { useMemo, useRef, useState, type FormEvent } from "react";

import type { FeeSchedule } from "@/components/trading/market-terms";
import { describeOrderError, type OrderProblem } from "@/components/trading/order-errors";
import {
  createPlaceIntent,
  type OutcomeSide,
  type PlaceOrderIntent,
} from "@/components/trading/order-intent";
import { TicketPreviewPanel } from "@/components/trading/ticket/ticket-preview";
import {
  Check,
  FieldError,
  SteppedInput,
  Toggle,
  selectClass,
} from "@/components/trading/ticket/ticket-fields";
import {
  INITIAL_TICKET,
  formatCentsInput,
  previewTicket,
  stepPrice,
  validateTicket,
  type TicketErrors,
  type TicketState,
  type TopOfBook,
} from "@/components/trading/ticket/ticket-model";
import {
  needsConfirmation,
  useConfirmThreshold,
} from "@/components/trading/ticket/use-confirm-threshold";
import { cents, contracts, sideLabel } from "@/components/trading/trading-format";
import type { OrderActions } from "@/components/trading/use-order-actions";
import { formatCount, parseCount, type Centis, type Micros } from "@/lib/fixed-point";
import type { PriceRange } from "@/lib/price-grid";
import type { OrderGroup } from "@/lib/schemas/order-group";
import type { PlacedOrder } from "@/lib/schemas/order";

export interface TicketPrefill {
  side: OutcomeSide;
  action: "buy" | "sell";
  price: Micros;
  /** Changes on every request so the same prefill twice still applies. */
  nonce: number;
}

export interface OrderTicketProps {
  ticker: string;
  ranges: readonly PriceRange[];
  fractional: boolean;
  fees: FeeSchedule;
  top: TopOfBook;
  /** Contracts held of each side in this market. */
  held: { yes: Centis; no: Centis };
  balance: Micros | null;
  view: OutcomeSide;
  onViewChange(view: OutcomeSide): void;
  defaultSize: Centis;
  prefill: TicketPrefill | null;
  actions: OrderActions;
  subaccounts: readonly number[];
  /**
   * Where a new order goes unless the trader picks another here: the header
   * switcher's subaccount (0 = primary; ignored while not in `subaccounts`).
   */
  defaultSubaccount?: number;
  orderGroups: readonly OrderGroup[];
  disabledReason: string | null;
}

type Outcome =
  | { kind: "placed"; order: PlacedOrder; intent: PlaceOrderIntent }
  | { kind: "failed"; problem: OrderProblem };

const TIF_OPTIONS = [
  { value: "good_till_canceled", label: "Good till canceled" },
  { value: "immediate_or_cancel", label: "Immediate or cancel" },
  { value: "fill_or_kill", label: "Fill or kill" },
] as const;

export function OrderTicket(props: OrderTicketProps) {
  const { ranges, fees, top, view, actions } = props;
  const requested = props.defaultSubaccount ?? 0;
  const defaultSubaccount = props.subaccounts.includes(requested) ? requested : 0;
  const [state, setState] = useState<TicketState>(() => ({
    ...INITIAL_TICKET,
    side: view,
    countText: contracts(props.defaultSize),
    subaccount: defaultSubaccount,
  }));
  const [touched, setTouched] = useState(false);
  /** Why the confirmation step is showing, or null. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [threshold, setThreshold] = useConfirmThreshold();
  const [showSettings, setShowSettings] = useState(false);
  /** The intent being sent or last failed: reused until the order changes. */
  const intent = useRef<{ key: string; intent: PlaceOrderIntent } | null>(null);
  const lastPlaced = useRef<{ key: string; at: number } | null>(null);

  const update = (patch: Partial<TicketState>) => {
    setState((current) => ({ ...current, ...patch }));
    setConfirming(null);
  };

  // The ticket follows the screen's YES/NO view, the ladder's "open ticket" prefill and the
  // default size (hotkeys): adjusted while rendering when they change, as React recommends.
  // So does the default subaccount when the header switcher changes (the trader can still pick per order).
  const [seen, setSeen] = useState({
    view,
    prefill: props.prefill,
    size: props.defaultSize,
    subaccount: defaultSubaccount,
  });
  if (
    seen.view !== view ||
    seen.prefill !== props.prefill ||
    seen.size !== props.defaultSize ||
    seen.subaccount !== defaultSubaccount
  ) {
    setSeen({
      view,
      prefill: props.prefill,
      size: props.defaultSize,
      subaccount: defaultSubaccount,
    });
    let next = { ...state, side: view };
    if (seen.subaccount !== defaultSubaccount) next = { ...next, subaccount: defaultSubaccount };
    if (seen.prefill !== props.prefill && props.prefill) {
      const { side, action, price } = props.prefill;
      next = { ...next, side, action, priceText: formatCentsInput(price) };
    }
    if (seen.size !== props.defaultSize)
      next = { ...next, countText: contracts(props.defaultSize) };
    setState(next);
    setConfirming(null);
  }
  // Expirations are checked against the clock again when sending.
  const [openedAt] = useState(() => Date.now());

  const validation = useMemo(
    () => validateTicket(state, { ranges, fractional: props.fractional, nowMs: openedAt }),
    [state, ranges, props.fractional, openedAt],
  );
  const preview = useMemo(() => {
    if (!validation.ok) return null;
    return previewTicket({
      side: state.side,
      action: state.action,
      price: validation.value.price,
      count: validation.value.count,
      fees,
      top,
      held: props.held[state.side],
      balance: props.balance,
    });
  }, [validation, state.side, state.action, fees, top, props.held, props.balance]);

  const fieldErrors: TicketErrors = touched && !validation.ok ? validation.errors : {};
  const problem = outcome?.kind === "failed" ? outcome.problem : null;
  const errorFor = (field: keyof TicketErrors) =>
    fieldErrors[field] ?? (problem?.field === field ? problem.message : undefined);

  const verb = `${state.action === "buy" ? "Buy" : "Sell"} ${sideLabel(state.side)}`;
  const summary = validation.ok
    ? `${verb} ${contracts(validation.value.count)} @ ${cents(validation.value.price)}`
    : verb;

  async function send() {
    const checked = validateTicket(state, {
      ranges,
      fractional: props.fractional,
      nowMs: Date.now(),
    });
    if (!checked.ok) {
      setConfirming(null);
      setOutcome({
        kind: "failed",
        problem: {
          field: Object.keys(checked.errors)[0] as OrderProblem["field"],
          code: "invalid",
          message: Object.values(checked.errors)[0] ?? "Check the order.",
          retryable: false,
        },
      });
      return;
    }
    const value = checked.value;
    const input = {
      ticker: props.ticker,
      side: state.side,
      action: state.action,
      price: value.price,
      count: value.count,
      timeInForce: state.timeInForce,
      expirationTime: value.expirationTime,
      postOnly: state.postOnly || undefined,
      reduceOnly: state.reduceOnly || undefined,
      selfTradePrevention: state.selfTradePrevention,
      cancelOnPause: state.cancelOnPause || undefined,
      subaccount: state.subaccount || undefined,
      orderGroupId: state.orderGroupId || undefined,
    };
    const key = JSON.stringify(input);
    if (intent.current?.key !== key) intent.current = { key, intent: createPlaceIntent(input) };
    const current = intent.current.intent;
    setSending(true);
    setConfirming(null);
    try {
      const order = await actions.place(current);
      intent.current = null;
      lastPlaced.current = { key: summary, at: Date.now() };
      setOutcome({ kind: "placed", order, intent: current });
    } catch (error) {
      const described = describeOrderError(error);
      // A refusal will be refused again: the next press is a new intent.
      if (!described.retryable) intent.current = null;
      setOutcome({ kind: "failed", problem: described });
    } finally {
      setSending(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (sending || !validation.ok || !preview || props.disabledReason) return;
    // The same order again within a moment of the last one is more likely a slip than intent;
    // a different order (price, size, side) is plainly intended and goes straight through.
    const justPlaced =
      lastPlaced.current !== null &&
      lastPlaced.current.key === summary &&
      Date.now() - lastPlaced.current.at < 1500;
    const cost = preview.cost + preview.takerFee;
    if (confirming === null && justPlaced) {
      setConfirming(`You just placed an order. Place ${summary} again?`);
      return;
    }
    if (confirming === null && needsConfirmation(threshold, validation.value.count, cost)) {
      setConfirming(`${summary} is above your confirmation threshold. Send it?`);
      return;
    }
    void send();
  }

  const step = (direction: "up" | "down") => {
    const next = stepPrice(state.priceText, ranges, direction);
    if (next !== null) update({ priceText: formatCentsInput(next) });
  };
  const stepCount = (direction: "up" | "down") => {
    let current = 0;
    try {
      current = parseCount(state.countText.trim() || "0");
    } catch {
      current = 0;
    }
    const unit = 100;
    const next = direction === "up" ? current + unit : Math.max(1, current - unit);
    update({ countText: contracts(next) });
  };
  const fillBest = (which: "bid" | "ask") => {
    const yes = which === "bid" ? top.bestBid : top.bestAsk;
    if (yes === null) return;
    // In the viewed side's terms: NO bid = 1 − YES ask, NO ask = 1 − YES bid.
    const other = which === "bid" ? top.bestAsk : top.bestBid;
    const price = state.side === "yes" ? yes : other === null ? null : 1_000_000 - other;
    if (price !== null) update({ priceText: formatCentsInput(price) });
  };

  const sideTone =
    state.side === "yes" ? "border-yes bg-yes/15 text-yes" : "border-no bg-no/15 text-no";

  return (
    <section aria-labelledby="ticket-heading" className="flex min-h-0 flex-col gap-2 text-sm">
      <div className="flex items-center justify-between">
        <h2
          id="ticket-heading"
          className="text-xs font-medium tracking-wide text-ink-muted uppercase"
        >
          Order ticket
        </h2>
        <button
          type="button"
          onClick={() => setShowSettings((open) => !open)}
          aria-expanded={showSettings}
          className="text-[11px] text-ink-muted hover:text-ink"
        >
          Confirm above…
        </button>
      </div>
      {showSettings ? (
        <fieldset className="grid grid-cols-2 gap-2 rounded-md border border-line p-2 text-[11px]">
          <legend className="px-1 text-ink-muted">Ask to confirm orders above</legend>
          <label className="flex flex-col gap-0.5">
            Contracts
            <input
              type="number"
              min={0}
              value={threshold.contracts}
              onChange={(event) =>
                setThreshold({
                  ...threshold,
                  contracts: Math.max(0, Math.floor(Number(event.target.value) || 0)),
                })
              }
              className={selectClass}
            />
          </label>
          <label className="flex flex-col gap-0.5">
            Cost ($)
            <input
              type="number"
              min={0}
              value={threshold.dollars}
              onChange={(event) =>
                setThreshold({
                  ...threshold,
                  dollars: Math.max(0, Math.floor(Number(event.target.value) || 0)),
                })
              }
              className={selectClass}
            />
          </label>
        </fieldset>
      ) : null}

      <form onSubmit={submit} noValidate className="flex flex-col gap-2">
        <div className="grid grid-cols-2 gap-2">
          <Toggle
            label="Side"
            value={state.side}
            options={[
              { value: "yes", label: "YES", tone: "border-yes bg-yes/15 text-yes" },
              { value: "no", label: "NO", tone: "border-no bg-no/15 text-no" },
            ]}
            onChange={(side) => {
              update({ side });
              props.onViewChange(side);
            }}
          />
          <Toggle
            label="Action"
            value={state.action}
            options={[
              { value: "buy", label: "Buy" },
              { value: "sell", label: "Sell" },
            ]}
            onChange={(action) => update({ action })}
          />
        </div>

        <div className="grid grid-cols-2 gap-2">
          <SteppedInput
            id="ticket-count"
            label="Contracts"
            value={state.countText}
            onChange={(countText) => update({ countText })}
            onStep={stepCount}
            error={errorFor("count")}
          />
          <SteppedInput
            id="ticket-price"
            label="Limit price"
            value={state.priceText}
            onChange={(priceText) => update({ priceText })}
            onStep={step}
            suffix="¢"
            error={errorFor("price")}
          />
        </div>
        <div className="flex justify-end gap-1 text-[11px]">
          <button
            type="button"
            onClick={() => fillBest("bid")}
            className="rounded border border-line px-1.5 text-ink-muted hover:text-ink"
          >
            Bid
          </button>
          <button
            type="button"
            onClick={() => fillBest("ask")}
            className="rounded border border-line px-1.5 text-ink-muted hover:text-ink"
          >
            Ask
          </button>
        </div>

        <div className="grid grid-cols-2 gap-2">
          <label className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
            Time in force
            <select
              value={state.timeInForce}
              onChange={(event) =>
                update({ timeInForce: event.target.value as TicketState["timeInForce"] })
              }
              className={`${selectClass} text-ink`}
            >
              {TIF_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
            Self-trade prevention
            <select
              value={state.selfTradePrevention}
              onChange={(event) =>
                update({
                  selfTradePrevention: event.target.value as TicketState["selfTradePrevention"],
                })
              }
              className={`${selectClass} text-ink`}
            >
              <option value="taker_at_cross">Cancel taker</option>
              <option value="maker">Cancel maker</option>
            </select>
          </label>
        </div>
        {state.timeInForce === "good_till_canceled" ? (
          <div>
            <label htmlFor="ticket-expiration" className="text-[11px] text-ink-muted">
              Expires (optional)
            </label>
            <input
              id="ticket-expiration"
              type="datetime-local"
              value={state.expiration}
              onChange={(event) => update({ expiration: event.target.value })}
              aria-describedby={errorFor("expiration") ? "ticket-expiration-error" : undefined}
              className={`${selectClass} text-ink`}
            />
            <FieldError id="ticket-expiration-error" message={errorFor("expiration")} />
          </div>
        ) : null}

        <div className="grid grid-cols-3 gap-1">
          <Check
            id="ticket-post-only"
            label="Post-only"
            checked={state.postOnly}
            onChange={(postOnly) => update({ postOnly })}
            error={errorFor("postOnly")}
            title="Refused instead of trading if it would cross"
          />
          <Check
            id="ticket-reduce-only"
            label="Reduce-only"
            checked={state.reduceOnly}
            onChange={(reduceOnly) => update({ reduceOnly })}
            error={errorFor("reduceOnly")}
            title="May only shrink your position"
          />
          <Check
            id="ticket-cancel-on-pause"
            label="Cancel on pause"
            checked={state.cancelOnPause}
            onChange={(cancelOnPause) => update({ cancelOnPause })}
            title="Cancelled if trading is paused"
          />
        </div>

        {props.subaccounts.length > 0 || props.orderGroups.length > 0 ? (
          <div className="grid grid-cols-2 gap-2">
            {props.subaccounts.length > 0 ? (
              <label className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
                Subaccount
                <select
                  value={state.subaccount}
                  onChange={(event) => update({ subaccount: Number(event.target.value) })}
                  className={`${selectClass} text-ink`}
                >
                  <option value={0}>Primary</option>
                  {props.subaccounts.map((n) => (
                    <option key={n} value={n}>
                      Subaccount {n}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {props.orderGroups.length > 0 ? (
              <div className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
                <label htmlFor="ticket-group">Order group</label>
                <select
                  id="ticket-group"
                  value={state.orderGroupId}
                  onChange={(event) => update({ orderGroupId: event.target.value })}
                  className={`${selectClass} text-ink`}
                >
                  <option value="">None</option>
                  {props.orderGroups.map((group) => (
                    <option key={group.id} value={group.id}>
                      {group.id.slice(0, 8)} · limit{" "}
                      {group.contracts_limit_fp
                        ? contracts(parseCount(group.contracts_limit_fp))
                        : "—"}
                      {group.is_auto_cancel_enabled ? "" : " (triggered)"}
                    </option>
                  ))}
                </select>
                <FieldError id="ticket-group-error" message={errorFor("orderGroup")} />
              </div>
            ) : null}
          </div>
        ) : null}

        <TicketPreviewPanel preview={preview} side={state.side} action={state.action} />

        {confirming !== null && validation.ok ? (
          <div
            role="alertdialog"
            aria-label="Confirm order"
            className="rounded-md border border-warn/40 bg-warn/10 p-2 text-xs"
          >
            <p className="mb-2">{confirming}</p>
            <div className="flex gap-2">
              <button
                type="submit"
                className={`flex-1 rounded-md border px-2 py-1 font-semibold ${sideTone}`}
              >
                Confirm {summary}
              </button>
              <button
                type="button"
                onClick={() => setConfirming(null)}
                className="rounded-md border border-line px-2 py-1"
              >
                Back
              </button>
            </div>
          </div>
        ) : (
          <button
            type="submit"
            disabled={sending || Boolean(props.disabledReason)}
            className={`rounded-md border px-2 py-1.5 font-semibold disabled:opacity-50 ${sideTone}`}
          >
            {sending ? `Sending ${summary}…` : summary}
          </button>
        )}
        {props.disabledReason ? (
          <p role="status" className="text-xs text-warn">
            {props.disabledReason}
          </p>
        ) : null}
        {problem && problem.field === "form" ? (
          <p role="alert" className="text-xs text-no">
            {problem.message}
            {problem.retryable
              ? " Press again to retry the same order (it is placed at most once)."
              : ""}
          </p>
        ) : null}
        {outcome?.kind === "placed" ? <PlacedNote outcome={outcome} /> : null}
      </form>
    </section>
  );
}

function PlacedNote({ outcome }: { outcome: Extract<Outcome, { kind: "placed" }> }) {
  const { order, intent } = outcome;
  let filled = 0;
  let remaining = 0;
  try {
    filled = parseCount(order.fill_count);
    remaining = parseCount(order.remaining_count);
  } catch {
    // Unreadable counts: the blotter shows the truth.
  }
  const what = `${intent.action === "buy" ? "Buy" : "Sell"} ${sideLabel(intent.side)} ${contracts(intent.count)} @ ${cents(intent.price)}`;
  const state =
    remaining > 0 && filled > 0
      ? `filled ${formatCount(filled)}, resting ${formatCount(remaining)}`
      : remaining > 0
        ? "resting"
        : filled > 0
          ? `filled ${formatCount(filled)}`
          : "done (nothing filled)";
  return (
    <p role="status" className="text-xs text-yes">
      Acknowledged: {what} — {state}.
    </p>
  );
}
