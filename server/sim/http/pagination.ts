/**
 * Cursor pagination as Kalshi exposes it: an opaque `cursor` string, empty when
 * there is nothing more. Ours encodes the offset into the filtered list, which
 * is stable because simulator lists only grow at the end or are re-sorted
 * deterministically.
 */
import { simErrors } from "@/server/sim/errors";

export interface Page<T> {
  items: T[];
  cursor: string;
}

export function paginate<T>(all: readonly T[], cursor: string | undefined, limit: number): Page<T> {
  const start = cursor ? decodeCursor(cursor) : 0;
  const items = all.slice(start, start + limit);
  const next = start + items.length;
  return { items, cursor: next < all.length ? encodeCursor(next) : "" };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^o:(\d+)$/.exec(text);
  if (!match) throw simErrors.invalidParameters("cursor: not a cursor returned by this endpoint");
  return Number(match[1]);
}
