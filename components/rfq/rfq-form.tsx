"use client";
/**
 * A new RFQ for one market (a combo's market ticker works too): a number of
 * contracts (fractional allowed) or a target cost in dollars, rest
 * remainder, subaccount. Shows how many of the 100 allowed RFQs are open.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { inputClass, primaryButtonClass } from "@/components/rfq/rfq-ui";
import { useActiveSubaccount } from "@/components/subaccounts/use-active-subaccount";
import { fetchApi } from "@/lib/queries/fetch-api";
import { rfqKeys } from "@/lib/queries/rfq";
import { MAX_OPEN_RFQS } from "@/lib/rfq/rfq-math";

export type SizeMode = "contracts" | "cost";

export interface RfqRequest {
  market_ticker: string;
  contracts?: string;
  target_cost_dollars?: string;
  rest_remainder: boolean;
  subaccount?: number;
  replace_existing: boolean;
}

/** POST /api/rfqs, refreshing the RFQ lists; resolves to the new RFQ's id. */
export function useCreateRfq() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RfqRequest) =>
      fetchApi<{ id: string }>("/api/rfqs", { json: body }).then((answer) => answer.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rfqKeys.all }),
  });
}

/** The size fields shared by the RFQ form and the combo slip. */
export function SizeFields(props: {
  mode: SizeMode;
  onMode: (mode: SizeMode) => void;
  value: string;
  onValue: (value: string) => void;
  idPrefix: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <div role="radiogroup" aria-label="Size by" className="flex gap-1 text-xs">
        {(
          [
            ["contracts", "Contracts"],
            ["cost", "Target cost ($)"],
          ] as const
        ).map(([mode, label]) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={props.mode === mode}
            onClick={() => props.onMode(mode)}
            className={`rounded px-2 py-1 ${props.mode === mode ? "bg-accent/20 text-accent" : "text-ink-muted hover:text-ink"}`}
          >
            {label}
          </button>
        ))}
      </div>
      <label htmlFor={`${props.idPrefix}-size`} className="sr-only">
        {props.mode === "contracts" ? "Contracts" : "Target cost in dollars"}
      </label>
      <input
        id={`${props.idPrefix}-size`}
        inputMode="decimal"
        className={inputClass}
        placeholder={props.mode === "contracts" ? "e.g. 10 or 2.50" : "e.g. 25.00"}
        value={props.value}
        onChange={(e) => props.onValue(e.target.value.trim())}
      />
    </div>
  );
}

export function sizeBody(mode: SizeMode, value: string) {
  return mode === "contracts" ? { contracts: value } : { target_cost_dollars: value };
}

export function RfqForm(props: {
  initialMarket: string;
  openCount: number | undefined;
  onCreated: (rfqId: string) => void;
}) {
  const [market, setMarket] = useState(props.initialMarket);
  const [mode, setMode] = useState<SizeMode>("contracts");
  const [size, setSize] = useState("10");
  const [rest, setRest] = useState(false);
  // Defaults to the header switcher's subaccount (and follows it); the trader can type another.
  const { ticketSubaccount } = useActiveSubaccount();
  const [subaccount, setSubaccount] = useState(String(ticketSubaccount));
  const [seenDefault, setSeenDefault] = useState(ticketSubaccount);
  if (seenDefault !== ticketSubaccount) {
    setSeenDefault(ticketSubaccount);
    setSubaccount(String(ticketSubaccount));
  }
  const create = useCreateRfq();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        market_ticker: market.trim(),
        ...sizeBody(mode, size),
        rest_remainder: rest,
        subaccount: Number(subaccount) || undefined,
        replace_existing: true,
      },
      { onSuccess: props.onCreated },
    );
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3 text-sm" aria-label="New RFQ">
      <label className="flex flex-col gap-1">
        <span className="text-xs text-ink-muted">Market ticker</span>
        <input
          className={`${inputClass} font-mono`}
          value={market}
          onChange={(e) => setMarket(e.target.value)}
          placeholder="KXHIGHNY-26DEC02-B45.5"
          required
        />
      </label>
      <SizeFields mode={mode} onMode={setMode} value={size} onValue={setSize} idPrefix="rfq" />
      <div className="flex flex-wrap items-center gap-4">
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={rest} onChange={(e) => setRest(e.target.checked)} />
          Rest remainder on the book
        </label>
        <label className="flex items-center gap-2 text-xs">
          Subaccount
          <input
            className={`${inputClass} w-16`}
            inputMode="numeric"
            value={subaccount}
            onChange={(e) => setSubaccount(e.target.value.replace(/\D/g, "").slice(0, 2))}
          />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButtonClass} disabled={create.isPending}>
          {create.isPending ? "Sending…" : "Request quotes"}
        </button>
        <span className="text-xs text-ink-muted">
          {props.openCount ?? "…"} of {MAX_OPEN_RFQS} open RFQs used
        </span>
      </div>
      {create.error ? (
        <p role="alert" className="text-xs text-no">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}
