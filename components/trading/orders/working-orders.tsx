"use client";
/**
 * Working-orders blotter: this market's or every market's resting orders,
 * live (use-live-account merges the `orders` stream into the cached lists),
 * with status, filled/remaining, price, time in force, queue position and
 * age; per row cancel, amend (price or size) and decrease; cancel all in
 * this market and everywhere (batched by 20).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { describeOrderError } from "@/components/trading/order-errors";
import {
  createAmendIntent,
  fromBookOrder,
  toWorkingOrder,
  type AmendOrderIntent,
  type OutcomeSide,
  type WorkingOrder,
} from "@/components/trading/order-intent";
import { formatCentsInput, parseCents } from "@/components/trading/ticket/ticket-model";
import { age, cents, contracts, DASH, sideLabel } from "@/components/trading/trading-format";
import type { OrderActions } from "@/components/trading/use-order-actions";
import { parseCount, type Micros } from "@/lib/fixed-point";
import { queuePositionsOptions, workingOrdersOptions } from "@/lib/queries/orders";
import { ScopeToggle, type BlotterScope } from "@/components/trading/orders/scope-toggle";

export function useWorkingOrders(ticker: string | null) {
  const query = useQuery(workingOrdersOptions(ticker));
  const orders = (query.data?.orders ?? [])
    .filter((order) => order.status === "resting")
    .map(toWorkingOrder);
  return { orders, query };
}

export function WorkingOrders({
  ticker,
  view,
  actions,
}: {
  ticker: string;
  view: OutcomeSide;
  actions: OrderActions;
}) {
  const [scope, setScope] = useState<BlotterScope>("market");
  const { orders, query } = useWorkingOrders(scope === "market" ? ticker : null);
  const marketOrders = useWorkingOrders(ticker).orders;
  const queue = useQuery({ ...queuePositionsOptions(ticker), enabled: scope === "market" });
  const [note, setNote] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const now = useNow(5_000);

  const queryClient = useQueryClient();

  async function cancelAll(which: "market" | "all") {
    // Everywhere: read the full list fresh rather than trusting what this view shows.
    const list =
      which === "market"
        ? marketOrders
        : (
            (await queryClient.fetchQuery({ ...workingOrdersOptions(null), staleTime: 0 }))
              ?.orders ?? []
          )
            .filter((order) => order.status === "resting")
            .map(toWorkingOrder);
    if (list.length === 0) {
      setNote({ tone: "ok", text: "No working orders to cancel." });
      return;
    }
    const result = await actions.cancelMany(
      list.map((order) => ({ orderId: order.orderId, subaccount: order.subaccount })),
    );
    setNote(
      result.failed.length === 0
        ? { tone: "ok", text: `Cancelled ${result.cancelled.length} order(s).` }
        : {
            tone: "error",
            text: `Cancelled ${result.cancelled.length}; ${result.failed.length} failed: ${result.failed[0]?.message ?? ""}`,
          },
    );
  }

  return (
    <section aria-label="Working orders" className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-2 pb-1.5 text-xs">
        <ScopeToggle label="Orders shown" value={scope} onChange={setScope} />
        <span className="text-ink-muted">{orders.length} working</span>
        <div className="ml-auto flex gap-1">
          <button
            type="button"
            onClick={() => void cancelAll("market")}
            disabled={actions.cancellingMany}
            className="rounded border border-line px-1.5 py-0.5 hover:border-no hover:text-no disabled:opacity-50"
          >
            Cancel all in market
          </button>
          <button
            type="button"
            onClick={() => void cancelAll("all")}
            disabled={actions.cancellingMany}
            className="rounded border border-line px-1.5 py-0.5 hover:border-no hover:text-no disabled:opacity-50"
          >
            Cancel all everywhere
          </button>
        </div>
      </div>
      {note ? (
        <p
          role="status"
          className={`pb-1 text-xs ${note.tone === "ok" ? "text-ink-muted" : "text-no"}`}
        >
          {note.text}
        </p>
      ) : null}
      <div className="min-h-0 flex-1 overflow-auto">
        <table className="w-full text-xs tabular-nums">
          <thead className="sticky top-0 bg-panel text-left text-[11px] text-ink-muted">
            <tr>
              {scope === "all" ? <th className="py-1 pr-2 font-normal">Market</th> : null}
              <th className="py-1 pr-2 font-normal">Side</th>
              <th className="py-1 pr-2 text-right font-normal">Price</th>
              <th className="py-1 pr-2 text-right font-normal">Filled / left</th>
              <th className="py-1 pr-2 font-normal">Status</th>
              <th className="py-1 pr-2 font-normal">TIF</th>
              <th className="py-1 pr-2 text-right font-normal">Queue</th>
              <th className="py-1 pr-2 text-right font-normal">Age</th>
              <th className="py-1 font-normal">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {query.isPending ? (
              <tr>
                <td colSpan={9} className="py-2 text-ink-muted">
                  Loading orders…
                </td>
              </tr>
            ) : orders.length === 0 ? (
              <tr>
                <td colSpan={9} className="py-2 text-ink-muted">
                  No working orders{scope === "market" ? " in this market" : ""}.
                </td>
              </tr>
            ) : (
              orders.map((order) => (
                <OrderRow
                  key={order.orderId}
                  order={order}
                  view={view}
                  showMarket={scope === "all"}
                  queue={queue.data?.get(order.orderId) ?? null}
                  now={now}
                  actions={actions}
                />
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OrderRow({
  order,
  view,
  showMarket,
  queue,
  now,
  actions,
}: {
  order: WorkingOrder;
  view: OutcomeSide;
  showMarket: boolean;
  queue: string | null;
  now: number;
  actions: OrderActions;
}) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = fromBookOrder(order.bookSide, order.yesPrice, view);
  const label = `${shown.action === "buy" ? "Buy" : "Sell"} ${sideLabel(view)}`;
  const tone = (shown.action === "buy") === (view === "yes") ? "text-yes" : "text-no";
  const name = `${label} ${contracts(order.remaining)} @ ${cents(shown.price)}`;

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      await actions.cancel({ orderId: order.orderId, subaccount: order.subaccount });
    } catch (caught) {
      setError(describeOrderError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <tr className="border-t border-line/60" aria-label={name}>
        {showMarket ? (
          <td className="max-w-40 truncate py-1 pr-2 font-mono">{order.ticker}</td>
        ) : null}
        <td className={`py-1 pr-2 font-semibold ${tone}`}>{label}</td>
        <td className="py-1 pr-2 text-right font-mono">{cents(shown.price)}</td>
        <td className="py-1 pr-2 text-right font-mono">
          {contracts(order.filled)} / {contracts(order.remaining)}
        </td>
        <td className="py-1 pr-2">{order.status}</td>
        <td className="py-1 pr-2" title={order.expirationTime ?? undefined}>
          {order.expirationTime ? "GTD" : "GTC"}
        </td>
        <td className="py-1 pr-2 text-right font-mono">
          {queue === null ? DASH : contracts(safeCount(queue))}
        </td>
        <td className="py-1 pr-2 text-right font-mono">{age(order.createdTime, now)}</td>
        <td className="py-1 text-right whitespace-nowrap">
          <button
            type="button"
            onClick={() => setEditing((open) => !open)}
            aria-expanded={editing}
            aria-label={`Amend ${name}`}
            className="rounded px-1 text-ink-muted hover:text-ink"
          >
            Amend
          </button>
          <button
            type="button"
            onClick={() => void cancel()}
            disabled={busy}
            aria-label={`Cancel ${name}`}
            className="rounded px-1 text-ink-muted hover:text-no disabled:opacity-50"
          >
            {busy ? "Cancelling…" : "Cancel"}
          </button>
        </td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={showMarket ? 9 : 8} className="pb-2">
            <AmendForm
              order={order}
              view={view}
              actions={actions}
              onDone={() => setEditing(false)}
            />
          </td>
        </tr>
      ) : null}
      {error ? (
        <tr>
          <td colSpan={9} role="alert" className="pb-1 text-[11px] text-no">
            {error}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/**
 * Amend price and/or size. A size cut at the same price is a decrease (keeps
 * the order's place in the queue); anything else is an amend (Kalshi moves it
 * to the back of the queue).
 */
function AmendForm({
  order,
  view,
  actions,
  onDone,
}: {
  order: WorkingOrder;
  view: OutcomeSide;
  actions: OrderActions;
  onDone(): void;
}) {
  const shown = fromBookOrder(order.bookSide, order.yesPrice, view);
  const [priceText, setPriceText] = useState(formatCentsInput(shown.price));
  const [countText, setCountText] = useState(contracts(order.remaining));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const intent = useRef<{ key: string; intent: AmendOrderIntent } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const price = parseCents(priceText);
    let remaining: number | null = null;
    try {
      remaining = parseCount(countText.trim());
    } catch {
      remaining = null;
    }
    if (price === null || price <= 0 || price >= 1_000_000) {
      setError("Price must be a number of cents between 0 and 100.");
      return;
    }
    if (remaining === null || remaining < 1) {
      setError("Contracts must be at least 0.01.");
      return;
    }
    const yesPrice: Micros = view === "yes" ? price : 1_000_000 - price;
    setBusy(true);
    setError(null);
    try {
      if (yesPrice === order.yesPrice && remaining < order.remaining) {
        await actions.decrease({
          order: { orderId: order.orderId, subaccount: order.subaccount },
          reduceTo: remaining,
        });
      } else if (yesPrice !== order.yesPrice || remaining !== order.remaining) {
        const key = `${yesPrice}:${remaining}`;
        if (intent.current?.key !== key)
          intent.current = { key, intent: createAmendIntent(order, { yesPrice, remaining }) };
        await actions.amend(intent.current.intent);
      }
      intent.current = null;
      onDone();
    } catch (caught) {
      const problem = describeOrderError(caught);
      if (!problem.retryable) intent.current = null;
      setError(problem.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Amend order"
      className="flex flex-wrap items-end gap-2 text-xs"
    >
      <label className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
        New price (¢, {sideLabel(view)})
        <input
          value={priceText}
          onChange={(event) => setPriceText(event.target.value)}
          inputMode="decimal"
          className="w-20 rounded border border-line bg-surface px-1 py-0.5 font-mono text-ink"
        />
      </label>
      <label className="flex flex-col gap-0.5 text-[11px] text-ink-muted">
        Contracts left
        <input
          value={countText}
          onChange={(event) => setCountText(event.target.value)}
          inputMode="decimal"
          className="w-20 rounded border border-line bg-surface px-1 py-0.5 font-mono text-ink"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded border border-accent px-2 py-0.5 text-ink disabled:opacity-50"
      >
        {busy ? "Saving…" : "Save"}
      </button>
      <button type="button" onClick={onDone} className="rounded border border-line px-2 py-0.5">
        Close
      </button>
      {error ? (
        <p role="alert" className="w-full text-[11px] text-no">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function safeCount(text: string): number | null {
  try {
    return parseCount(text);
  } catch {
    return null;
  }
}

/** The current time, ticking every `everyMs` (ages in the blotter). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
