"use client";
/** The requester's RFQs, open and past, filtered by status and market; picking one opens its board. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import {
  FilterTabs,
  MarketKindTabs,
  matchesKind,
  type MarketKind,
} from "@/components/rfq/rfq-filters";
import { RfqMarketLabel, rfqSize } from "@/components/rfq/rfq-label";
import { ageOf, inputClass, useNow } from "@/components/rfq/rfq-ui";
import { myRfqsOptions } from "@/lib/queries/rfq";

type StatusFilter = "open" | "closed" | "all";

export function MyRfqs(props: {
  selected: string | null;
  onSelect: (rfqId: string) => void;
  poll: number | false;
}) {
  const [status, setStatus] = useState<StatusFilter>("open");
  const [kind, setKind] = useState<MarketKind>("all");
  const [text, setText] = useState("");
  const rfqs = useQuery({ ...myRfqsOptions(status), refetchInterval: props.poll });
  const now = useNow(1_000);
  const shown = (rfqs.data ?? []).filter(
    (rfq) =>
      matchesKind(kind, rfq.market_ticker) &&
      (text === "" || rfq.market_ticker.toLowerCase().includes(text.toLowerCase())),
  );

  return (
    <div className="flex flex-col gap-2 text-sm">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <FilterTabs
          label="Status"
          value={status}
          onChange={setStatus}
          options={[
            ["open", "Open"],
            ["closed", "Past"],
            ["all", "All"],
          ]}
        />
        <MarketKindTabs label="Kind" value={kind} onChange={setKind} />
        <input
          aria-label="Filter by market"
          className={`${inputClass} max-w-40 py-1 text-xs`}
          placeholder="Market…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <ul
        aria-label="My RFQs"
        className="flex max-h-80 flex-col divide-y divide-line/60 overflow-y-auto"
      >
        {rfqs.isPending ? <li className="py-2 text-ink-muted">Loading…</li> : null}
        {!rfqs.isPending && shown.length === 0 ? (
          <li className="py-2 text-ink-muted">No RFQs here yet.</li>
        ) : null}
        {shown.map((rfq) => (
          <li key={rfq.id}>
            <button
              type="button"
              onClick={() => props.onSelect(rfq.id)}
              aria-current={props.selected === rfq.id ? "true" : undefined}
              className={`flex w-full items-start gap-2 px-1 py-1.5 text-left hover:bg-panel-raised ${props.selected === rfq.id ? "bg-panel-raised" : ""}`}
            >
              <span className="min-w-0 flex-1">
                <RfqMarketLabel rfq={rfq} />
              </span>
              <span className="shrink-0 text-right text-xs">
                <span className="block font-mono">{rfqSize(rfq)}</span>
                <span className={`block ${rfq.status === "open" ? "text-yes" : "text-ink-faint"}`}>
                  {rfq.status} · {ageOf(rfq.created_ts, now)}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {rfqs.error ? (
        <p role="alert" className="text-xs text-no">
          {rfqs.error.message}
        </p>
      ) : null}
    </div>
  );
}
