/**
 * Where a gateway running in this process offers its cached order books to
 * the BFF's orderbook route (GET /api/markets/{ticker}/orderbook), so a book
 * a browser already watches is served without asking the exchange. Kept on
 * globalThis for the same reason as health-registry.ts (server/main's module
 * graph and the Next.js bundle's are two copies of this module).
 */
import type { Level } from "@/lib/gateway/order-book";

export type BookSource = (ticker: string) => { bids: Level[]; asks: Level[] } | null;

const SOURCE = Symbol.for("kalshi-dashboard.gateway-books");
type GlobalWithSource = typeof globalThis & { [SOURCE]?: BookSource };

/** Called by server/gateway/start.ts; returns the unregister. */
export function registerGatewayBooks(source: BookSource): () => void {
  const store = globalThis as GlobalWithSource;
  store[SOURCE] = source;
  return () => {
    if (store[SOURCE] === source) delete store[SOURCE];
  };
}

/** The gateway's live book of `ticker` (bids and asks best first), or null. */
export function readGatewayBook(ticker: string): { bids: Level[]; asks: Level[] } | null {
  return (globalThis as GlobalWithSource)[SOURCE]?.(ticker) ?? null;
}
