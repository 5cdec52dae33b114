"use client";
/** The events of one series, as links: the series → events step of the /markets drill-down. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { seriesEventsOptions } from "@/lib/queries/markets";

export function SeriesEvents({ series, onClear }: { series: string; onClear: () => void }) {
  const events = useQuery(seriesEventsOptions(series));
  return (
    <section
      aria-label={`Events of ${series}`}
      className="mb-3 rounded-lg border border-line bg-panel p-2"
    >
      <div className="mb-1 flex items-center gap-2 text-xs text-ink-muted">
        <span>
          Series <span className="font-mono text-ink">{series}</span> — events
        </span>
        <button
          type="button"
          onClick={onClear}
          className="ml-auto hover:text-ink"
          aria-label="Clear series filter"
        >
          ×
        </button>
      </div>
      <ul className="flex flex-wrap gap-1.5">
        {(events.data?.events ?? []).map((event) => (
          <li key={event.event_ticker}>
            <Link
              href={`/events/${encodeURIComponent(event.event_ticker)}`}
              className="inline-block rounded border border-line px-2 py-0.5 text-xs hover:border-accent hover:text-accent"
            >
              {event.sub_title || event.title}
            </Link>
          </li>
        ))}
        {events.isPending ? <li className="text-xs text-ink-faint">Loading events…</li> : null}
      </ul>
    </section>
  );
}
