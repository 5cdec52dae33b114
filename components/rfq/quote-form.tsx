"use client";
/**
 * A maker's two-sided answer to one RFQ: yes bid and no bid on the market's
 * cent grid, refused here (before anything is sent) when they sum above $1;
 * "quote around mid" fills both from the book's mid and the maker's spread.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { RfqMarketLabel, rfqSize } from "@/components/rfq/rfq-label";
import {
  buttonClass,
  cents,
  inputClass,
  primaryButtonClass,
  useBookQuote,
} from "@/components/rfq/rfq-ui";
import { ONE_CENT } from "@/lib/fixed-point";
import { fetchApi } from "@/lib/queries/fetch-api";
import { rfqKeys, rfqOptions } from "@/lib/queries/rfq";
import { quoteAroundMid, quotePairProblem } from "@/lib/rfq/rfq-math";
import { safeMicros } from "@/lib/format";

/** "0.42" from micro-dollars on the cent grid. */
function dollarsText(micros: number): string {
  return (micros / 1_000_000).toFixed(2);
}

/** Parses a bid typed as dollars ("0.42", ".42", "0"); undefined when malformed or off the cent grid. */
function parseBid(text: string): number | undefined {
  if (!/^(0?\.\d{1,2}|0|1(\.0{1,2})?)$/.test(text.trim())) return undefined;
  const micros = safeMicros(text.trim().startsWith(".") ? `0${text.trim()}` : text.trim());
  return micros !== undefined && micros % ONE_CENT === 0 ? micros : undefined;
}

export function QuoteForm(props: { rfqId: string; initial?: { yes: string; no: string } }) {
  const rfq = useQuery(rfqOptions(props.rfqId));
  const book = useBookQuote(rfq.data?.market_ticker ?? null);
  const [yes, setYes] = useState(props.initial?.yes ?? "");
  const [no, setNo] = useState(props.initial?.no ?? "");
  const [spread, setSpread] = useState("0.04");
  const [rest, setRest] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: (body: { yes_bid: string; no_bid: string }) =>
      fetchApi<{ id: string }>("/api/quotes", {
        json: { rfq_id: props.rfqId, ...body, rest_remainder: rest },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rfqKeys.all }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const yesBid = parseBid(yes);
    const noBid = parseBid(no);
    const why =
      yesBid === undefined || noBid === undefined
        ? "Bids are dollars on the cent grid, like 0.42 (0 declines a side)."
        : quotePairProblem(yesBid, noBid);
    setProblem(why);
    if (why || yesBid === undefined || noBid === undefined) return;
    send.mutate({ yes_bid: dollarsText(yesBid), no_bid: dollarsText(noBid) });
  };

  const aroundMid = () => {
    const width = parseBid(spread) ?? 0;
    if (book.mid === undefined) {
      setProblem("No mid: the book has no bid or no ask.");
      return;
    }
    const bids = quoteAroundMid(book.mid, width);
    setYes(dollarsText(bids.yesBid));
    setNo(dollarsText(bids.noBid));
    setProblem(null);
  };

  return (
    <form onSubmit={submit} aria-label="Quote" className="flex flex-col gap-3 text-sm">
      {rfq.data ? (
        <div className="flex flex-wrap items-start gap-2">
          <span className="min-w-0 flex-1">
            <RfqMarketLabel rfq={rfq.data} />
          </span>
          <span className="font-mono text-xs">{rfqSize(rfq.data)}</span>
        </div>
      ) : (
        <p className="text-ink-muted">Loading RFQ…</p>
      )}
      <p className="font-mono text-xs text-ink-muted">
        Book: bid <span className="text-yes">{cents(book.yesBid)}</span> · mid {cents(book.mid)} ·
        ask <span className="text-no">{cents(book.yesAsk)}</span>
      </p>
      <div className="grid grid-cols-2 gap-2">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-yes">Yes bid ($)</span>
          <input
            className={`${inputClass} font-mono`}
            inputMode="decimal"
            value={yes}
            onChange={(e) => setYes(e.target.value)}
            placeholder="0.45"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-no">No bid ($)</span>
          <input
            className={`${inputClass} font-mono`}
            inputMode="decimal"
            value={no}
            onChange={(e) => setNo(e.target.value)}
            placeholder="0.50"
          />
        </label>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-ink-muted">Spread ($)</span>
          <input
            className={`${inputClass} w-20 font-mono`}
            inputMode="decimal"
            value={spread}
            onChange={(e) => setSpread(e.target.value)}
          />
        </label>
        <button type="button" className={buttonClass} onClick={aroundMid}>
          Quote around mid
        </button>
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={rest} onChange={(e) => setRest(e.target.checked)} />
          Rest remainder
        </label>
      </div>
      <button type="submit" className={primaryButtonClass} disabled={send.isPending}>
        {send.isPending ? "Sending…" : "Send quote"}
      </button>
      {problem ? (
        <p role="alert" className="text-xs text-no">
          {problem}
        </p>
      ) : null}
      {send.error ? (
        <p role="alert" className="text-xs text-no">
          {send.error.message}
        </p>
      ) : null}
      {send.isSuccess && !problem ? (
        <p role="status" className="text-xs text-yes">
          Quote sent.
        </p>
      ) : null}
    </form>
  );
}
