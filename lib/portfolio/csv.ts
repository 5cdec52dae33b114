/**
 * CSV for the portfolio exports: one column per Kalshi field, values exactly
 * as the API sent them (dollar and count strings untouched), so a row of the
 * file and a record of the API are the same thing. RFC 4180 quoting.
 */
import type { ExportKind } from "@/lib/schemas/portfolio-history";

export const CSV_COLUMNS: Record<ExportKind, readonly string[]> = {
  fills: [
    "fill_id",
    "created_time",
    "ticker",
    "outcome_side",
    "book_side",
    "count_fp",
    "yes_price_dollars",
    "no_price_dollars",
    "fee_cost",
    "is_taker",
    "order_id",
    "trade_id",
    "subaccount_number",
  ],
  orders: [
    "order_id",
    "created_time",
    "last_update_time",
    "ticker",
    "outcome_side",
    "book_side",
    "status",
    "yes_price_dollars",
    "initial_count_fp",
    "fill_count_fp",
    "remaining_count_fp",
    "taker_fees_dollars",
    "maker_fees_dollars",
    "client_order_id",
    "subaccount_number",
  ],
  settlements: [
    "settled_time",
    "ticker",
    "event_ticker",
    "market_result",
    "yes_count_fp",
    "yes_total_cost_dollars",
    "no_count_fp",
    "no_total_cost_dollars",
    "revenue",
    "fee_cost",
  ],
  transfers: ["transfer_id", "created_ts", "from_subaccount", "to_subaccount", "amount_cents"],
  positions: [
    "ticker",
    "position_fp",
    "market_exposure_dollars",
    "realized_pnl_dollars",
    "fees_paid_dollars",
    "total_traded_dollars",
    "last_updated_ts",
    "subaccount_number",
  ],
};

/** One CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV line (with CRLF) of `record`'s `columns`. */
export function csvLine(columns: readonly string[], record: Record<string, unknown>): string {
  return `${columns.map((column) => csvField(record[column])).join(",")}\r\n`;
}

export function csvHeader(columns: readonly string[]): string {
  return `${columns.join(",")}\r\n`;
}

/** Parses CSV text back into records (tests, and anyone re-importing an export). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""])));
}
