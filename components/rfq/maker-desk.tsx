"use client";
/**
 * /rfq/maker: the open RFQ feed (beep and toast on new ones, mutable), a
 * quote form for the picked RFQ, and my quotes with the confirm step.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { beep } from "@/components/rfq/beep";
import { MyQuotes } from "@/components/rfq/my-quotes";
import { QuoteForm } from "@/components/rfq/quote-form";
import { RfqFeed } from "@/components/rfq/rfq-feed";
import { micros, Panel } from "@/components/rfq/rfq-ui";
import { ToastStack, useToasts } from "@/components/rfq/toasts";
import { useRfqLive } from "@/components/rfq/use-rfq-live";
import { formatDollars } from "@/lib/fixed-point";
import { myQuotesOptions, type Quote } from "@/lib/queries/rfq";

export function MakerDesk() {
  const [selected, setSelected] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<{ yes: string; no: string } | undefined>();
  const [muted, setMuted] = useState(false);
  const { toasts, push } = useToasts();
  const queryClient = useQueryClient();
  const poll = useRfqLive((event) => {
    if (event.kind === "rfq_created") {
      if (!muted) beep();
      push(`New RFQ: ${String(event.msg.market_ticker ?? "")}`);
    } else if (event.kind === "quote_accepted") {
      // The exchange's own message: show the Confirm step at once instead of
      // after a refetch (the combo window is only 3 s); the refetch follows.
      const id = event.msg.quote_id;
      const side = event.msg.accepted_side;
      queryClient.setQueryData(myQuotesOptions().queryKey, (list) =>
        list?.map((q) =>
          q.id === id && q.status === "open"
            ? {
                ...q,
                status: "accepted",
                accepted_side: side === "no" ? "no" : "yes",
                accepted_ts: new Date().toISOString(),
              }
            : q,
        ),
      );
      push("A requester accepted your quote: confirm it now", "warning");
    }
  });
  const quotes = useQuery({ ...myQuotesOptions(), refetchInterval: poll });
  const quotedRfqs = new Set(
    (quotes.data ?? []).filter((q) => q.status !== "cancelled").map((q) => q.rfq_id),
  );

  const replace = (quote: Quote) => {
    setSelected(quote.rfq_id);
    setReplacing({
      yes: formatDollars(micros(quote.yes_bid_dollars) ?? 0, 2),
      no: formatDollars(micros(quote.no_bid_dollars) ?? 0, 2),
    });
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <div className="flex min-w-0 flex-col gap-4">
        <Panel
          title="RFQ feed"
          id="rfq-feed-heading"
          actions={
            <button
              type="button"
              aria-pressed={muted}
              onClick={() => setMuted((m) => !m)}
              className="rounded border border-line px-2 py-0.5 text-xs text-ink-muted hover:text-ink"
            >
              {muted ? "Sound off" : "Sound on"}
            </button>
          }
        >
          <RfqFeed
            selected={selected}
            onSelect={(id) => {
              setSelected(id);
              setReplacing(undefined);
            }}
            poll={poll}
            myQuotedRfqs={quotedRfqs}
          />
        </Panel>
        <Panel title="My quotes" id="my-quotes-heading">
          <MyQuotes poll={poll} onReplace={replace} />
        </Panel>
      </div>
      <Panel title="Quote" id="quote-form-heading" className="self-start">
        {selected ? (
          <QuoteForm
            key={`${selected}-${replacing?.yes ?? ""}`}
            rfqId={selected}
            initial={replacing}
          />
        ) : (
          <p className="text-sm text-ink-muted">Pick an RFQ from the feed to quote it.</p>
        )}
      </Panel>
      <ToastStack toasts={toasts} />
    </div>
  );
}
