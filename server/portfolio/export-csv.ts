/**
 * CSV exports streamed from the exchange: a ReadableStream that pulls one
 * upstream page at a time as the client reads, so a long history is never
 * held in memory and a slow download slows the paging, not the server.
 */
import { csvHeader, csvLine, CSV_COLUMNS } from "@/lib/portfolio/csv";
import type { ExportKind, HistoryQuery } from "@/lib/schemas/portfolio-history";
import type { KalshiClient } from "@/server/kalshi/client";
import { eachHistoryItem } from "@/server/portfolio/history";
import { subaccountNumbers } from "@/server/portfolio/take-snapshot";

async function* records(
  client: KalshiClient,
  kind: ExportKind,
  query: Omit<HistoryQuery, "cursor" | "limit">,
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>> {
  if (kind !== "positions") {
    yield* eachHistoryItem(client, kind, query, signal);
    return;
  }
  // Kalshi's positions default to the primary account: the whole account is every subaccount's.
  const subaccounts =
    query.subaccount !== undefined ? [query.subaccount] : await subaccountNumbers(client);
  for (const subaccount of subaccounts) {
    let cursor: string | undefined;
    do {
      const page = await client.getPositions(
        { limit: 1000, cursor, ticker: query.ticker, subaccount },
        signal,
      );
      // The record as sent, with its account named when Kalshi left it out.
      for (const position of page.market_positions)
        yield { subaccount_number: subaccount, ...position };
      cursor = page.cursor || undefined;
    } while (cursor);
  }
}

/**
 * A text/csv stream of `kind`. The first record is read before the stream is
 * returned, so a refused key or bad filter still answers as the one error
 * shape; a failure further on errors the stream (the download fails rather
 * than ending short without a word).
 */
export async function csvStream(
  client: KalshiClient,
  kind: ExportKind,
  query: Omit<HistoryQuery, "cursor" | "limit">,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const columns = CSV_COLUMNS[kind];
  const encoder = new TextEncoder();
  const source = records(client, kind, query, signal);
  let pending: IteratorResult<Record<string, unknown>> | null = await source.next();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let lines = headerSent ? "" : csvHeader(columns);
      headerSent = true;
      // Up to one upstream page per pull: enough to keep the pipe busy, bounded memory.
      for (let i = 0; i < 200; i += 1) {
        const next = pending ?? (await source.next());
        pending = null;
        if (next.done) {
          if (lines) controller.enqueue(encoder.encode(lines));
          controller.close();
          return;
        }
        lines += csvLine(columns, next.value);
      }
      controller.enqueue(encoder.encode(lines));
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}

export function csvFilename(kind: ExportKind, subaccount: number | undefined): string {
  const date = new Date().toISOString().slice(0, 10);
  return `kalshi-${kind}${subaccount === undefined ? "" : `-sub${subaccount}`}-${date}.csv`;
}
