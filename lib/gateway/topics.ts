/**
 * Gateway topic names (protocols kgw.v1 and v2): which topics exist, how they are
 * spelled and which are private. Kept free of validators so that pages can
 * name topics on first load without pulling in lib/gateway/protocol.ts.
 */

/** A Kalshi market ticker as it appears in topics ("KXHIGHNY-26JAN01-B45.5"). */
const TICKER_RE = /^[A-Z0-9][A-Z0-9._-]{0,99}$/;

/** Topics about one market; anyone may subscribe. */
export const MARKET_TOPIC_KINDS = ["book", "ticker", "trades"] as const;
export type MarketTopicKind = (typeof MARKET_TOPIC_KINDS)[number];

/** Topics that are not about one market. `lifecycle` is public; the rest are the caller's own. */
export const GLOBAL_TOPICS = [
  "lifecycle",
  "fills",
  "orders",
  "positions",
  "rfq",
  "order-groups",
] as const;
export type GlobalTopic = (typeof GLOBAL_TOPICS)[number];

/** Topics that need a signed-in user with a Kalshi credential. */
export const PRIVATE_TOPICS: ReadonlySet<string> = new Set<GlobalTopic>([
  "fills",
  "orders",
  "positions",
  "rfq",
  "order-groups",
]);

export type ParsedTopic =
  { kind: MarketTopicKind; ticker: string } | { kind: GlobalTopic; ticker?: undefined };

/** Parses `book:TICKER`, `ticker:TICKER`, `trades:TICKER` or a global topic; null when malformed. */
export function parseTopic(topic: string): ParsedTopic | null {
  const colon = topic.indexOf(":");
  if (colon === -1) {
    return (GLOBAL_TOPICS as readonly string[]).includes(topic)
      ? { kind: topic as GlobalTopic }
      : null;
  }
  const kind = topic.slice(0, colon);
  const ticker = topic.slice(colon + 1);
  if (!(MARKET_TOPIC_KINDS as readonly string[]).includes(kind) || !TICKER_RE.test(ticker))
    return null;
  return { kind: kind as MarketTopicKind, ticker };
}

export function isPrivateTopic(topic: string): boolean {
  return PRIVATE_TOPICS.has(topic);
}

export const bookTopic = (ticker: string) => `book:${ticker}` as const;
export const tickerTopic = (ticker: string) => `ticker:${ticker}` as const;
export const tradesTopic = (ticker: string) => `trades:${ticker}` as const;
