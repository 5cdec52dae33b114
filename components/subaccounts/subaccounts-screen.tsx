"use client";
/**
 * Subaccounts: the primary account and every numbered subaccount with cash,
 * portfolio value, positions, resting orders and netting; open a new one (up
 * to Kalshi's 63, Advanced tier and up); move cash between any two, once per
 * intent; and the transfer history.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { ReauthDialog } from "@/components/auth/reauth-dialog";
import { useReauth } from "@/components/auth/use-reauth";
import { formatCentsUsd } from "@/lib/portfolio/format-money";
import { formatDateTime } from "@/lib/format";
import { portfolioKeys } from "@/lib/queries/portfolio";
import { overviewOptions, transfersOptions } from "@/lib/queries/portfolio-screen";

import { explainSubaccountRefusal } from "./subaccount-refusal";
import { useActiveSubaccount } from "./use-active-subaccount";
import { useTransfer } from "./use-transfer";

const subName = (n: number) => (n === 0 ? "Primary" : `Subaccount ${n}`);
const cell = "px-3 py-2 whitespace-nowrap";
const num = `${cell} text-right font-mono tabular-nums`;

/** "12.50" → 1250 cents; null when not a positive amount with at most 2 decimals. */
export function parseAmountCents(text: string): number | null {
  const match = /^\s*\$?(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents > 0 ? cents : null;
}

export function SubaccountsScreen({ initialSubaccount }: { initialSubaccount: number | null }) {
  const queryClient = useQueryClient();
  const overview = useQuery(overviewOptions());
  const transfers = useQuery(transfersOptions());
  const { subaccount: active, setSubaccount } = useActiveSubaccount(initialSubaccount);
  const { run, dialogProps } = useReauth();
  const transferMoney = useTransfer();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [creating, setCreating] = useState(false);
  const [sending, setSending] = useState(false);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(1);
  const [amount, setAmount] = useState("");
  // One id per intent (use-transfer.ts): a double submit or a retry moves the money once.
  const newIntent = transferMoney.renew;

  const rows = overview.data?.subaccounts ?? [];
  const max = overview.data?.max_subaccounts ?? 63;
  const refresh = () => queryClient.invalidateQueries({ queryKey: portfolioKeys.all });

  async function create() {
    setCreating(true);
    setNotice(null);
    const result = await run(() =>
      fetch("/api/subaccounts", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    );
    setCreating(false);
    if (result.ok) {
      const body = (await result.response.json()) as { subaccount_number: number };
      setNotice({ ok: true, text: `Subaccount ${body.subaccount_number} opened.` });
      await refresh();
    } else {
      setNotice({ ok: false, text: explainSubaccountRefusal(result.error, max) });
    }
  }

  async function transfer(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    const cents = parseAmountCents(amount);
    if (cents === null) {
      setNotice({ ok: false, text: "Enter an amount in dollars, like 100 or 12.50." });
      return;
    }
    if (from === to) {
      setNotice({ ok: false, text: "Choose two different accounts." });
      return;
    }
    setSending(true);
    setNotice(null);
    const result = await transferMoney.send({
      from_subaccount: from,
      to_subaccount: to,
      amount_cents: cents,
    });
    setSending(false);
    if (result.ok) {
      setNotice({
        ok: true,
        text: `Moved ${formatCentsUsd(cents)} from ${subName(from)} to ${subName(to)}.`,
      });
      setAmount("");
      await refresh();
    } else {
      setNotice({ ok: false, text: result.message });
    }
  }

  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-6">
      <h1 className="text-lg font-semibold tracking-tight">Subaccounts</h1>
      <ReauthDialog {...dialogProps} purpose="open a subaccount" />
      <ReauthDialog {...transferMoney.reauthDialogProps} purpose="move money" />
      {notice ? (
        <p
          role="status"
          className={`rounded border px-3 py-2 text-sm ${notice.ok ? "border-yes/40 text-yes" : "border-no/40 text-no"}`}
        >
          {notice.text}
        </p>
      ) : null}

      <section aria-label="Accounts" className="rounded-lg border border-line bg-panel">
        <div className="flex items-center gap-2 border-b border-line px-3 py-2 text-sm">
          <h2 className="font-semibold">Accounts</h2>
          <span className="text-xs text-ink-muted">
            {rows.length} of {max + 1} (primary + up to {max} numbered)
          </span>
          <button
            type="button"
            onClick={() => void create()}
            disabled={creating || rows.length > max || overview.isPending}
            title={
              rows.length > max ? `Kalshi allows at most ${max} numbered subaccounts` : undefined
            }
            className="ml-auto rounded bg-accent/20 px-3 py-1 text-accent disabled:opacity-50"
          >
            {creating ? "Opening…" : "New subaccount"}
          </button>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Accounts and their balances</caption>
            <thead className="border-b border-line bg-panel-raised text-left text-xs tracking-wide text-ink-muted uppercase">
              <tr>
                <th scope="col" className={cell}>
                  Account
                </th>
                <th scope="col" className={`${cell} text-right`}>
                  Cash
                </th>
                <th scope="col" className={`${cell} text-right`}>
                  Positions value
                </th>
                <th scope="col" className={`${cell} text-right`}>
                  Positions
                </th>
                <th scope="col" className={`${cell} hidden text-right sm:table-cell`}>
                  Orders
                </th>
                <th scope="col" className={`${cell} hidden sm:table-cell`}>
                  Netting
                </th>
                <th scope="col" className={cell}>
                  <span className="sr-only">Scope</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line/60">
              {overview.isPending ? (
                <tr>
                  <td colSpan={7} className="px-3 py-6 text-center text-ink-muted" role="status">
                    Loading accounts…
                  </td>
                </tr>
              ) : overview.isError ? (
                <tr>
                  <td colSpan={7} className="px-3 py-6 text-center text-no" role="alert">
                    {overview.error.message}
                  </td>
                </tr>
              ) : (
                rows.map((row) => (
                  <tr key={row.subaccount_number} data-subaccount={row.subaccount_number}>
                    <th scope="row" className={`${cell} text-left font-medium`}>
                      {subName(row.subaccount_number)}
                    </th>
                    <td className={num} data-cell="cash">
                      {formatCentsUsd(row.balance_cents)}
                    </td>
                    <td className={num}>{formatCentsUsd(row.portfolio_value_cents)}</td>
                    <td className={num} data-cell="positions">
                      {row.positions_count}
                    </td>
                    <td className={`${num} hidden sm:table-cell`}>{row.resting_orders_count}</td>
                    <td className={`${cell} hidden text-ink-muted sm:table-cell`}>
                      {row.netting_enabled === null ? "—" : row.netting_enabled ? "On" : "Off"}
                    </td>
                    <td className={`${cell} text-right`}>
                      {active === row.subaccount_number ? (
                        <span className="text-xs text-accent">Active</span>
                      ) : (
                        <button
                          type="button"
                          onClick={() => setSubaccount(row.subaccount_number)}
                          className="text-xs text-ink-muted hover:text-ink"
                        >
                          Use
                        </button>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-label="Transfer" className="rounded-lg border border-line bg-panel p-3">
        <h2 className="mb-2 text-sm font-semibold">Move cash</h2>
        <form onSubmit={(e) => void transfer(e)} className="flex flex-wrap items-end gap-2 text-sm">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-ink-muted">From</span>
            <select
              aria-label="From"
              value={from}
              onChange={(e) => {
                setFrom(Number(e.target.value));
                newIntent();
              }}
              className="rounded border border-line bg-surface px-2 py-1"
            >
              {rows.map((r) => (
                <option key={r.subaccount_number} value={r.subaccount_number}>
                  {subName(r.subaccount_number)} ({formatCentsUsd(r.balance_cents)})
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-ink-muted">To</span>
            <select
              aria-label="To"
              value={to}
              onChange={(e) => {
                setTo(Number(e.target.value));
                newIntent();
              }}
              className="rounded border border-line bg-surface px-2 py-1"
            >
              {rows.map((r) => (
                <option key={r.subaccount_number} value={r.subaccount_number}>
                  {subName(r.subaccount_number)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-ink-muted">Amount ($)</span>
            <input
              inputMode="decimal"
              value={amount}
              onChange={(e) => {
                setAmount(e.target.value);
                newIntent();
              }}
              placeholder="100.00"
              className="w-28 rounded border border-line bg-surface px-2 py-1 font-mono"
            />
          </label>
          <button
            type="submit"
            disabled={sending || rows.length < 2}
            className="rounded bg-accent px-3 py-1 font-medium text-surface disabled:opacity-50"
          >
            {sending ? "Moving…" : "Transfer"}
          </button>
          {rows.length < 2 && overview.isSuccess ? (
            <span className="text-xs text-ink-muted">
              Open a subaccount to move cash between accounts.
            </span>
          ) : null}
        </form>
      </section>

      <section aria-label="Transfer history" className="rounded-lg border border-line bg-panel">
        <h2 className="border-b border-line px-3 py-2 text-sm font-semibold">Transfer history</h2>
        <div className="relative overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Transfers between your accounts</caption>
            <thead className="border-b border-line bg-panel-raised text-left text-xs tracking-wide text-ink-muted uppercase">
              <tr>
                <th scope="col" className={cell}>
                  Time
                </th>
                <th scope="col" className={cell}>
                  From
                </th>
                <th scope="col" className={cell}>
                  To
                </th>
                <th scope="col" className={`${cell} text-right`}>
                  Amount
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line/60">
              {(transfers.data?.transfers ?? []).length === 0 ? (
                <tr>
                  <td colSpan={4} className="px-3 py-6 text-center text-ink-muted">
                    {transfers.isPending ? "Loading…" : "No transfers yet."}
                  </td>
                </tr>
              ) : (
                transfers.data?.transfers.map((t) => (
                  <tr key={t.transfer_id}>
                    <td className={cell}>
                      {formatDateTime(new Date(t.created_ts * 1000).toISOString())}
                    </td>
                    <td className={cell}>{subName(t.from_subaccount)}</td>
                    <td className={cell}>{subName(t.to_subaccount)}</td>
                    <td className={num}>{formatCentsUsd(t.amount_cents)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}
