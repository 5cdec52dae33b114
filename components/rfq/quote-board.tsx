"use client";
/**
 * One RFQ as its requester sees it: every quote with its yes and no bid,
 * what each means against the book (best bid/ask, mid), size, age, and the
 * best quote per side highlighted; accepting a side opens a preview (cost,
 * fee, balance after, max payout) first; once accepted, a timeline follows
 * the quote through confirmed and executed, or says why it stopped.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { RfqMarketLabel, rfqSize } from "@/components/rfq/rfq-label";
import { QuoteTimeline } from "@/components/rfq/quote-timeline";
import {
  ageOf,
  buttonClass,
  centis,
  cents,
  micros,
  primaryButtonClass,
  usd,
  useBookQuote,
  useNow,
} from "@/components/rfq/rfq-ui";
import type { FeeType } from "@/lib/fees";
import { fetchApi } from "@/lib/queries/fetch-api";
import { seriesOfTicker } from "@/lib/queries/browse-filters";
import { seriesOptions } from "@/lib/queries/markets";
import {
  balanceOptions,
  inFlightInterval,
  quotesOnOptions,
  rfqKeys,
  rfqOptions,
  type Quote,
} from "@/lib/queries/rfq";
import { acceptPreview, bestQuotes, edgeVsBook, type Side } from "@/lib/rfq/rfq-math";
import { safeMicros } from "@/lib/format";

export function QuoteBoard({ rfqId, poll }: { rfqId: string; poll: number | false }) {
  const rfq = useQuery({ ...rfqOptions(rfqId), refetchInterval: poll });
  const quotes = useQuery({
    ...quotesOnOptions(rfqId),
    refetchInterval: (query) => inFlightInterval(query.state.data, poll),
  });
  const book = useBookQuote(rfq.data?.market_ticker ?? null);
  const now = useNow(500);
  const [pending, setPending] = useState<{ quote: Quote; side: Side } | null>(null);
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => fetchApi(`/api/rfqs/${encodeURIComponent(rfqId)}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rfqKeys.all }),
  });

  if (!rfq.data) {
    return (
      <p className="text-sm text-ink-muted">{rfq.error ? rfq.error.message : "Loading RFQ…"}</p>
    );
  }
  const list = quotes.data ?? [];
  const best = bestQuotes(list, (d) => safeMicros(d));
  const followed = list.find(
    (q) => q.status !== "open" && (q.accepted_side || q.status !== "cancelled"),
  );
  const open = rfq.data.status === "open";

  return (
    <div className="flex flex-col gap-3 text-sm">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <RfqMarketLabel rfq={rfq.data} />
          <p className="text-xs text-ink-muted">
            {rfqSize(rfq.data)} · {rfq.data.status}
            {rfq.data.cancellation_reason ? ` (${rfq.data.cancellation_reason})` : ""} · asked{" "}
            {ageOf(rfq.data.created_ts, now)} ago
          </p>
        </div>
        <dl className="grid grid-cols-3 gap-3 text-right font-mono text-xs">
          <div>
            <dt className="text-ink-faint">Best bid</dt>
            <dd className="text-yes">{cents(book.yesBid)}</dd>
          </div>
          <div>
            <dt className="text-ink-faint">Mid</dt>
            <dd>{cents(book.mid)}</dd>
          </div>
          <div>
            <dt className="text-ink-faint">Best ask</dt>
            <dd className="text-no">{cents(book.yesAsk)}</dd>
          </div>
        </dl>
        {open ? (
          <button
            type="button"
            className={buttonClass}
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
          >
            Cancel RFQ
          </button>
        ) : null}
      </div>
      {cancel.error ? (
        <p role="alert" className="text-xs text-no">
          {cancel.error.message}
        </p>
      ) : null}

      <div className="overflow-x-auto rounded border border-line">
        <table className="w-full border-collapse text-xs" aria-label="Quotes">
          <thead className="bg-panel-raised text-left text-ink-muted">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Maker
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                Yes bid
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                No bid
              </th>
              <th scope="col" className="hidden px-2 py-1.5 text-right font-medium md:table-cell">
                vs book
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                Size
              </th>
              <th scope="col" className="hidden px-2 py-1.5 text-right font-medium sm:table-cell">
                Age
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Status
              </th>
              <th scope="col" className="px-2 py-1.5">
                <span className="sr-only">Accept</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line/60">
            {list.length === 0 ? (
              <tr>
                <td colSpan={8} className="px-2 py-3 text-center text-ink-muted">
                  {open ? "Waiting for quotes…" : "No quotes."}
                </td>
              </tr>
            ) : null}
            {list.map((quote) => {
              const yes = micros(quote.yes_bid_dollars) ?? 0;
              const no = micros(quote.no_bid_dollars) ?? 0;
              const yesEdge = yes > 0 ? edgeVsBook("yes", yes, book) : undefined;
              const noEdge = no > 0 ? edgeVsBook("no", no, book) : undefined;
              const canAccept = open && quote.status === "open" && !followed;
              return (
                <tr
                  key={quote.id}
                  data-quote-id={quote.id}
                  data-yes-bid={quote.yes_bid_dollars}
                  data-no-bid={quote.no_bid_dollars}
                >
                  <td className="px-2 py-1.5 font-mono text-ink-muted">
                    {String(quote.creator_id ?? "").slice(0, 6) || "—"}
                  </td>
                  <td
                    className={`px-2 py-1.5 text-right font-mono ${best.yes === quote.id ? "bg-yes/15 font-semibold text-yes" : ""}`}
                    aria-label={best.yes === quote.id ? "best yes bid" : undefined}
                  >
                    {yes ? cents(yes) : "—"}
                  </td>
                  <td
                    className={`px-2 py-1.5 text-right font-mono ${best.no === quote.id ? "bg-no/15 font-semibold text-no" : ""}`}
                    aria-label={best.no === quote.id ? "best no bid" : undefined}
                  >
                    {no ? cents(no) : "—"}
                  </td>
                  <td className="hidden px-2 py-1.5 text-right font-mono md:table-cell">
                    <span title="Selling YES at the yes bid vs the book's best bid">
                      {edge(yesEdge)}
                    </span>
                    {" / "}
                    <span title="Buying YES at $1 − no bid vs the book's best ask">
                      {edge(noEdge)}
                    </span>
                  </td>
                  <td className="px-2 py-1.5 text-right font-mono">{quote.contracts_fp}</td>
                  <td className="hidden px-2 py-1.5 text-right font-mono sm:table-cell">
                    {ageOf(quote.created_ts, now)}
                  </td>
                  <td className="px-2 py-1.5">{quote.status}</td>
                  <td className="px-2 py-1.5 whitespace-nowrap">
                    {canAccept ? (
                      <span className="flex gap-1">
                        {yes > 0 ? (
                          <button
                            type="button"
                            className="rounded border border-yes/40 px-1.5 py-0.5 text-yes hover:bg-yes/10"
                            onClick={() => setPending({ quote, side: "yes" })}
                          >
                            Accept yes
                          </button>
                        ) : null}
                        {no > 0 ? (
                          <button
                            type="button"
                            className="rounded border border-no/40 px-1.5 py-0.5 text-no hover:bg-no/10"
                            onClick={() => setPending({ quote, side: "no" })}
                          >
                            Accept no
                          </button>
                        ) : null}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {pending && !followed ? (
        <AcceptPreviewPanel
          quote={pending.quote}
          side={pending.side}
          eventTicker={rfq.data.market_ticker}
          onDone={() => setPending(null)}
        />
      ) : null}
      {followed ? <QuoteTimeline quote={followed} now={now} /> : null}
    </div>
  );
}

function edge(value: number | undefined): string {
  if (value === undefined) return "—";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  return `${sign}${cents(Math.abs(value))}`;
}

function AcceptPreviewPanel(props: {
  quote: Quote;
  side: Side;
  eventTicker: string;
  onDone: () => void;
}) {
  const { quote, side } = props;
  const balance = useQuery(balanceOptions());
  const series = useQuery(seriesOptions(seriesOfTicker(props.eventTicker)));
  const queryClient = useQueryClient();
  const accept = useMutation({
    mutationFn: () =>
      fetchApi(`/api/quotes/${encodeURIComponent(quote.id)}/accept`, {
        json: { accepted_side: side },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rfqKeys.all });
      props.onDone();
    },
  });
  const bid = micros(side === "yes" ? quote.yes_bid_dollars : quote.no_bid_dollars) ?? 0;
  const count = centis(
    side === "yes"
      ? (quote.yes_contracts_fp ?? quote.contracts_fp)
      : (quote.no_contracts_fp ?? quote.contracts_fp),
  );
  const preview = acceptPreview({
    side,
    bid,
    count,
    feeType: (series.data?.fee_type as FeeType | undefined) ?? "quadratic",
    feeMultiplier: Number(series.data?.fee_multiplier ?? 1) || 1,
    balance: balance.data ? balance.data.balance * 10_000 : undefined,
  });
  return (
    <section
      aria-label="Accept preview"
      className="rounded border border-accent/40 bg-accent/5 p-3 text-sm"
    >
      <p className="mb-2">
        Accept{" "}
        <strong className={side === "yes" ? "text-yes" : "text-no"}>{side.toUpperCase()}</strong> at{" "}
        {cents(bid)}: you sell {side.toUpperCase()} and hold{" "}
        <strong>
          {(count / 100).toFixed(2)} {preview.holds.toUpperCase()}
        </strong>{" "}
        at {cents(preview.pricePaid)} each.
      </p>
      <dl className="mb-3 grid grid-cols-2 gap-x-4 gap-y-1 font-mono text-xs sm:grid-cols-4">
        <div>
          <dt className="text-ink-faint">Cost</dt>
          <dd>{usd(preview.cost)}</dd>
        </div>
        <div>
          <dt className="text-ink-faint">Fee</dt>
          <dd>{usd(preview.fee)}</dd>
        </div>
        <div>
          <dt className="text-ink-faint">Balance after</dt>
          <dd
            className={
              preview.balanceAfter !== undefined && preview.balanceAfter < 0 ? "text-no" : ""
            }
          >
            {usd(preview.balanceAfter)}
          </dd>
        </div>
        <div>
          <dt className="text-ink-faint">Max payout</dt>
          <dd>{usd(preview.maxPayout)}</dd>
        </div>
      </dl>
      <div className="flex gap-2">
        <button
          type="button"
          className={primaryButtonClass}
          onClick={() => accept.mutate()}
          disabled={accept.isPending}
        >
          {accept.isPending ? "Accepting…" : `Confirm accept ${side}`}
        </button>
        <button type="button" className={buttonClass} onClick={props.onDone}>
          Back
        </button>
      </div>
      {accept.error ? (
        <p role="alert" className="mt-2 text-xs text-no">
          {accept.error.message}
        </p>
      ) : null}
    </section>
  );
}
