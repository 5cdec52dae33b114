/**
 * "Which stream events have I handled?" for consumers that act once per
 * event (the chart's live candle). A topic's `seq` restarts when the gateway
 * recreates the topic, so the position is (epoch, seq), not seq alone.
 */
import type { TopicEvent } from "@/lib/gateway/topic-state";

export interface EventCursor {
  epoch: string | null;
  seq: number;
}

/**
 * The events of `events` (newest first, as TopicState holds them) not yet
 * handled at `cursor`, newest first, and the cursor after them. With a null
 * cursor (first look) everything present counts as history.
 */
export function eventsSince<E extends Pick<TopicEvent, "epoch" | "seq">>(
  events: readonly E[],
  cursor: EventCursor | null,
): { fresh: E[]; cursor: EventCursor } {
  const newest = events[0];
  const next: EventCursor = newest
    ? { epoch: newest.epoch ?? null, seq: newest.seq }
    : (cursor ?? { epoch: null, seq: 0 });
  if (cursor === null) return { fresh: [], cursor: next };
  const fresh: E[] = [];
  for (const event of events) {
    if ((event.epoch ?? null) === cursor.epoch && event.seq <= cursor.seq) break;
    fresh.push(event);
  }
  return { fresh, cursor: next };
}
