/**
 * The pages of one history list (live tier, then Kalshi's historical tier
 * past `GET /historical/cutoff`) as the single list the trader scrolls:
 * records in page order, each once, with one marker where the historical
 * tier begins. A record can reach both tiers when the cutoff advances while
 * the trader scrolls (it was read live, then archived before the list got to
 * the historical tier); its second copy is dropped. Pure and browser-safe.
 */
import type { HistoryKind, HistoryPage } from "@/lib/schemas/portfolio-history";

export type HistoryRow =
  { type: "item"; item: unknown; key: string } | { type: "tier"; key: "tier-boundary" };

/** A record's identity: Kalshi's id, or for settlements (which have none) market, time and account. */
export function historyKey(kind: HistoryKind, item: unknown): string {
  const record = item as Record<string, unknown>;
  const id =
    kind === "fills"
      ? record.fill_id
      : kind === "orders"
        ? record.order_id
        : kind === "transfers"
          ? record.transfer_id
          : undefined;
  if (typeof id === "string" && id !== "") return `${kind}:${id}`;
  return `${kind}:${String(record.ticker)}:${String(record.settled_time)}:${String(record.subaccount_number ?? "")}`;
}

export function historyRows(kind: HistoryKind, pages: readonly HistoryPage[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const seen = new Set<string>();
  let sawLive = false;
  let marked = false;
  for (const page of pages) {
    for (const item of page.items) {
      let key = historyKey(kind, item);
      if (seen.has(key)) {
        // A settlement without an id repeated in one list: two real records, keep both.
        if (kind !== "settlements") continue;
        let n = 2;
        while (seen.has(`${key}#${n}`)) n += 1;
        key = `${key}#${n}`;
      }
      seen.add(key);
      if (page.tier === "live") sawLive = true;
      else if (sawLive && !marked) {
        rows.push({ type: "tier", key: "tier-boundary" });
        marked = true;
      }
      rows.push({ type: "item", item, key });
    }
  }
  return rows;
}
