"use client";
/**
 * The maker's feed: every open RFQ on the exchange, newest first, filtered
 * by category, series, and combo or single market. New RFQs arrive over the
 * gateway (the desk beeps and toasts); picking one opens the quote form.
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { MarketKindTabs, matchesKind, type MarketKind } from "@/components/rfq/rfq-filters";
import { RfqMarketLabel, rfqSize } from "@/components/rfq/rfq-label";
import { ageOf, useNow } from "@/components/rfq/rfq-ui";
import { seriesOfTicker } from "@/lib/queries/browse-filters";
import { seriesOptions } from "@/lib/queries/markets";
import { openRfqsOptions } from "@/lib/queries/rfq";

export function RfqFeed(props: {
  selected: string | null;
  onSelect: (rfqId: string) => void;
  poll: number | false;
  myQuotedRfqs: ReadonlySet<string>;
}) {
  const rfqs = useQuery({ ...openRfqsOptions(), refetchInterval: props.poll });
  const [kind, setKind] = useState<MarketKind>("all");
  const [category, setCategory] = useState("");
  const [series, setSeries] = useState("");
  const now = useNow(1_000);
  const list = useMemo(() => rfqs.data ?? [], [rfqs.data]);
  const seriesTickers = useMemo(
    () => [...new Set(list.map((rfq) => seriesOfTicker(rfq.market_ticker)))].sort(),
    [list],
  );
  const seriesInfo = useQueries({
    queries: seriesTickers.map((ticker) => ({ ...seriesOptions(ticker), retry: false })),
  });
  const categoryOf = new Map(
    seriesTickers.map((ticker, i) => [ticker, seriesInfo[i]?.data?.category ?? ""]),
  );
  const categories = [...new Set([...categoryOf.values()].filter(Boolean))].sort();
  const shown = list.filter((rfq) => {
    const s = seriesOfTicker(rfq.market_ticker);
    return (
      matchesKind(kind, rfq.market_ticker) &&
      (series === "" || s === series) &&
      (category === "" || categoryOf.get(s) === category)
    );
  });

  return (
    <div className="flex flex-col gap-2 text-sm">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <MarketKindTabs label="Market kind" value={kind} onChange={setKind} />
        <select
          aria-label="Category"
          className="rounded border border-line bg-surface px-2 py-1 text-xs text-ink"
          value={category}
          onChange={(e) => setCategory(e.target.value)}
        >
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select
          aria-label="Series"
          className="rounded border border-line bg-surface px-2 py-1 text-xs text-ink"
          value={series}
          onChange={(e) => setSeries(e.target.value)}
        >
          <option value="">All series</option>
          {seriesTickers.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <span className="ml-auto text-ink-faint">{shown.length} open</span>
      </div>
      <ul
        aria-label="Open RFQs"
        className="flex max-h-96 flex-col divide-y divide-line/60 overflow-y-auto"
      >
        {rfqs.isPending ? <li className="py-2 text-ink-muted">Loading…</li> : null}
        {!rfqs.isPending && shown.length === 0 ? (
          <li className="py-2 text-ink-muted">No open RFQs match.</li>
        ) : null}
        {shown.map((rfq) => (
          <li key={rfq.id} data-rfq-id={rfq.id}>
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
                <span className="block text-ink-faint">
                  {props.myQuotedRfqs.has(rfq.id) ? "quoted · " : ""}
                  {ageOf(rfq.created_ts, now)}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
