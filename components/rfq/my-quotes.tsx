"use client";
/**
 * The maker's quotes with their status. An accepted quote shows the
 * confirmation window counting down and a Confirm button that takes focus
 * (the desk also toasts); open quotes can be cancelled or replaced.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { QuoteTimeline } from "@/components/rfq/quote-timeline";
import {
  ageOf,
  buttonClass,
  cents,
  duration,
  micros,
  primaryButtonClass,
  useNow,
} from "@/components/rfq/rfq-ui";
import { fetchApi } from "@/lib/queries/fetch-api";
import { inFlightInterval, myQuotesOptions, rfqKeys, type Quote } from "@/lib/queries/rfq";
import { confirmationWindowMs } from "@/lib/rfq/rfq-math";

export function MyQuotes(props: { poll: number | false; onReplace: (quote: Quote) => void }) {
  const quotes = useQuery({
    ...myQuotesOptions(),
    refetchInterval: (query) => inFlightInterval(query.state.data, props.poll),
  });
  const now = useNow(250);
  const list = quotes.data ?? [];
  return (
    <ul aria-label="My quotes" className="flex flex-col gap-2 text-sm">
      {quotes.isPending ? <li className="text-ink-muted">Loading…</li> : null}
      {!quotes.isPending && list.length === 0 ? (
        <li className="text-ink-muted">No quotes yet: pick an RFQ from the feed.</li>
      ) : null}
      {list.map((quote) => (
        <QuoteRow key={quote.id} quote={quote} now={now} onReplace={props.onReplace} />
      ))}
    </ul>
  );
}

function QuoteRow({
  quote,
  now,
  onReplace,
}: {
  quote: Quote;
  now: number;
  onReplace: (q: Quote) => void;
}) {
  const queryClient = useQueryClient();
  const done = () => queryClient.invalidateQueries({ queryKey: rfqKeys.all });
  const confirm = useMutation({
    mutationFn: () => fetchApi(`/api/quotes/${encodeURIComponent(quote.id)}/confirm`, { json: {} }),
    onSuccess: done,
  });
  const cancel = useMutation({
    mutationFn: () => fetchApi(`/api/quotes/${encodeURIComponent(quote.id)}`, { method: "DELETE" }),
    onSuccess: done,
  });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const accepted = quote.status === "accepted";
  useEffect(() => {
    if (accepted) confirmRef.current?.focus();
  }, [accepted]);
  const acceptedAt = typeof quote.accepted_ts === "string" ? Date.parse(quote.accepted_ts) : NaN;
  const left =
    accepted && Number.isFinite(acceptedAt)
      ? acceptedAt + confirmationWindowMs(quote.market_ticker) - now
      : 0;

  return (
    <li
      data-quote-id={quote.id}
      className={`rounded border p-2 ${accepted ? "border-warn bg-warn/5" : "border-line"}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="min-w-0 flex-1 truncate font-mono text-xs">{quote.market_ticker}</span>
        <span className="font-mono text-xs">
          <span className="text-yes">{cents(micros(quote.yes_bid_dollars))}</span> /{" "}
          <span className="text-no">{cents(micros(quote.no_bid_dollars))}</span> ×{" "}
          {quote.contracts_fp}
        </span>
        <span className="text-xs text-ink-muted">
          {quote.status} · {ageOf(quote.created_ts, now)}
        </span>
      </div>
      {accepted ? (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm text-warn" aria-live="polite">
            Accepted {String(quote.accepted_side ?? "").toUpperCase()} ·{" "}
            {left > 0 ? `${duration(left)} to confirm` : "window closing…"}
          </span>
          <button
            ref={confirmRef}
            type="button"
            className={primaryButtonClass}
            onClick={() => confirm.mutate()}
            disabled={confirm.isPending}
          >
            Confirm
          </button>
        </div>
      ) : null}
      {quote.status === "open" ? (
        <div className="mt-2 flex gap-2">
          <button type="button" className={buttonClass} onClick={() => onReplace(quote)}>
            Replace
          </button>
          <button
            type="button"
            className={buttonClass}
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
          >
            Cancel quote
          </button>
        </div>
      ) : null}
      {quote.accepted_ts ? (
        <div className="mt-2">
          <QuoteTimeline quote={quote} now={now} />
        </div>
      ) : null}
      {confirm.error || cancel.error ? (
        <p role="alert" className="mt-1 text-xs text-no">
          {(confirm.error ?? cancel.error)?.message}
        </p>
      ) : null}
    </li>
  );
}
