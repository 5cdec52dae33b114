"use client";
/**
 * /rfq: ask for quotes on a market or a combo and follow them live. Left:
 * a new RFQ and the combo slip; right: my RFQs and the selected RFQ's quote
 * board. The gateway's `rfq` topic refreshes everything as quotes arrive.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { ComboSlipPanel } from "@/components/rfq/combo-slip-panel";
import { MyRfqs } from "@/components/rfq/my-rfqs";
import { QuoteBoard } from "@/components/rfq/quote-board";
import { RfqForm } from "@/components/rfq/rfq-form";
import { Panel } from "@/components/rfq/rfq-ui";
import { ToastStack, useToasts } from "@/components/rfq/toasts";
import { useRfqLive } from "@/components/rfq/use-rfq-live";
import { myRfqsOptions } from "@/lib/queries/rfq";

export function RequesterDesk({ initialMarket }: { initialMarket: string }) {
  const [selected, setSelected] = useState<string | null>(null);
  const { toasts, push } = useToasts();
  const poll = useRfqLive((event) => {
    if (event.kind === "quote_created" && event.msg.rfq_id === selected)
      push("New quote on your RFQ");
  });
  const open = useQuery({ ...myRfqsOptions("open"), refetchInterval: poll });
  const current = selected ?? open.data?.[0]?.id ?? null;

  return (
    <div className="grid gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
      <div className="flex min-w-0 flex-col gap-4">
        <Panel title="New RFQ" id="new-rfq-heading">
          <RfqForm
            initialMarket={initialMarket}
            openCount={open.data?.length}
            onCreated={setSelected}
          />
        </Panel>
        <ComboSlipPanel onCreated={setSelected} />
      </div>
      <div className="flex min-w-0 flex-col gap-4">
        <Panel title="Quotes" id="quote-board-heading">
          {current ? (
            <QuoteBoard rfqId={current} poll={poll} />
          ) : (
            <p className="text-sm text-ink-muted">
              Send an RFQ to see makers&apos; quotes here as they arrive.
            </p>
          )}
        </Panel>
        <Panel title="My RFQs" id="my-rfqs-heading">
          <MyRfqs selected={current} onSelect={setSelected} poll={poll} />
        </Panel>
      </div>
      <ToastStack toasts={toasts} />
    </div>
  );
}
