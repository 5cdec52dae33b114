"use client";
/**
 * A market's trade tape: recent trades over REST, then every new trade from
 * the gateway's trades topic on top, newest first.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { useTrades } from "@/lib/gateway/hooks";
import { EMPTY_VALUE, formatClockTime, formatCount, formatPriceCents } from "@/lib/format";
import { tradesOptions } from "@/lib/queries/markets";

const MAX_ROWS = 60;

interface TapeRow {
  id: string;
  epochMs: number;
  yesPrice: string;
  count: string;
  taker: string;
}

export function TradeTape({ ticker, live }: { ticker: string; live: boolean }) {
  const history = useQuery(tradesOptions(ticker));
  const stream = useTrades(live ? ticker : null);
  const rows = useMemo(() => {
    const seen = new Set<string>();
    const out: TapeRow[] = [];
    for (const event of stream.trades) {
      const msg = event.msg;
      const id = String(msg.trade_id ?? `${event.seq}`);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        id,
        epochMs:
          typeof msg.ts_ms === "number"
            ? msg.ts_ms
            : typeof msg.ts === "number"
              ? msg.ts * 1000
              : 0,
        yesPrice: String(msg.yes_price_dollars ?? ""),
        count: String(msg.count_fp ?? ""),
        taker: String(msg.taker_outcome_side ?? msg.taker_side ?? ""),
      });
    }
    for (const trade of history.data?.trades ?? []) {
      if (seen.has(trade.trade_id)) continue;
      seen.add(trade.trade_id);
      out.push({
        id: trade.trade_id,
        epochMs: Date.parse(trade.created_time),
        yesPrice: trade.yes_price_dollars,
        count: trade.count_fp,
        taker: trade.taker_outcome_side ?? "",
      });
    }
    return out.sort((a, b) => b.epochMs - a.epochMs).slice(0, MAX_ROWS);
  }, [stream.trades, history.data]);

  return (
    <section aria-labelledby="tape-heading" className="rounded-lg border border-line bg-panel">
      <h2
        id="tape-heading"
        className="flex items-center border-b border-line px-3 py-2 text-xs font-medium tracking-wide text-ink-muted uppercase"
      >
        Trades
        {live ? (
          <span
            className={`ml-auto text-[10px] normal-case ${stream.status === "live" ? "text-yes" : "text-warn"}`}
          >
            {stream.status === "live"
              ? "● live"
              : stream.status === "loading"
                ? "connecting…"
                : "stale"}
          </span>
        ) : null}
      </h2>
      <div className="max-h-80 overflow-y-auto">
        <table className="w-full text-xs">
          <caption className="sr-only">Recent trades</caption>
          <thead className="sticky top-0 bg-panel text-ink-faint">
            <tr>
              <th scope="col" className="px-3 py-1 text-left font-normal">
                Time (UTC)
              </th>
              <th scope="col" className="px-3 py-1 text-right font-normal">
                Yes price
              </th>
              <th scope="col" className="px-3 py-1 text-right font-normal">
                Contracts
              </th>
              <th scope="col" className="px-3 py-1 text-right font-normal">
                Taker
              </th>
            </tr>
          </thead>
          <tbody className="font-mono tabular-nums">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-4 text-center text-ink-muted">
                  {history.isPending ? "Loading trades…" : "No trades yet."}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-3 py-0.5 text-ink-muted">{formatClockTime(row.epochMs)}</td>
                  <td
                    className={`px-3 py-0.5 text-right ${row.taker === "yes" ? "text-yes" : row.taker === "no" ? "text-no" : ""}`}
                  >
                    {formatPriceCents(row.yesPrice)}
                  </td>
                  <td className="px-3 py-0.5 text-right">{formatCount(row.count)}</td>
                  <td className="px-3 py-0.5 text-right text-ink-muted">
                    {row.taker || EMPTY_VALUE}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
