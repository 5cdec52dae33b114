"use client";
/**
 * "Add to combo" for an event's markets: shown only when the event belongs
 * to an open collection; each market offers its yes and no side as a leg of
 * the combo slip. Loaded lazily (lazy-combo-picker.tsx) after the page is
 * interactive, so event and market pages keep their first-load JS.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { collectionsOptions } from "@/lib/queries/rfq";
import { toggleLeg, useComboSlip } from "@/lib/rfq/combo-slip";

export interface PickableMarket {
  ticker: string;
  label: string;
  live: boolean;
}

export default function ComboPicker(props: { eventTicker: string; markets: PickableMarket[] }) {
  const collections = useQuery(collectionsOptions(props.eventTicker));
  const slip = useComboSlip();
  const [note, setNote] = useState<string | null>(null);
  const collection = collections.data?.[0];
  if (!collection) return null;
  // The collection's own rules, so the slip never holds a leg the exchange would refuse.
  const yesOnly =
    collection.associated_events.find((e) => e.ticker === props.eventTicker)?.is_yes_only ?? false;
  const markets = props.markets.filter((m) => m.live);
  if (markets.length === 0) return null;
  const inSlip = (ticker: string, side: "yes" | "no") =>
    slip.collection_ticker === collection.collection_ticker &&
    slip.legs.some((l) => l.market_ticker === ticker && l.side === side);
  const count = slip.collection_ticker === collection.collection_ticker ? slip.legs.length : 0;

  return (
    <section
      aria-labelledby={`combo-${props.eventTicker}`}
      className="rounded-lg border border-line bg-panel p-3 text-sm"
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2
          id={`combo-${props.eventTicker}`}
          className="flex-1 text-xs font-medium tracking-wide text-ink-muted uppercase"
        >
          Add to combo · {collection.title}
        </h2>
        <Link href="/rfq" className="text-xs text-accent hover:underline">
          Combo slip ({count})
        </Link>
      </div>
      <ul className="flex flex-col gap-1">
        {markets.map((market) => (
          <li key={market.ticker} className="flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate">{market.label}</span>
            {(["yes", "no"] as const).map((side) => {
              const picked = inSlip(market.ticker, side);
              const refused = side === "no" && yesOnly;
              return (
                <button
                  key={side}
                  type="button"
                  aria-pressed={picked}
                  aria-label={`${picked ? "Remove" : "Add"} ${market.label} ${side} leg`}
                  disabled={refused}
                  title={refused ? "This event takes only the yes side in combos" : undefined}
                  onClick={() => {
                    const result = toggleLeg(
                      collection.collection_ticker,
                      {
                        market_ticker: market.ticker,
                        event_ticker: props.eventTicker,
                        side,
                        label: market.label,
                      },
                      { sizeMax: collection.size_max },
                    );
                    setNote(
                      result === "full"
                        ? `The slip is full: ${collection.title} combos take at most ${collection.size_max} legs. Remove one first.`
                        : null,
                    );
                  }}
                  className={`rounded border px-2 py-0.5 text-xs font-medium disabled:cursor-not-allowed disabled:opacity-40 ${
                    picked
                      ? side === "yes"
                        ? "border-yes bg-yes/15 text-yes"
                        : "border-no bg-no/15 text-no"
                      : "border-line text-ink-muted hover:border-accent"
                  }`}
                >
                  {picked ? "✓ " : "+ "}
                  {side === "yes" ? "Yes" : "No"}
                </button>
              );
            })}
          </li>
        ))}
      </ul>
      {note ? (
        <p role="status" className="mt-2 text-xs text-warn">
          {note}
        </p>
      ) : null}
    </section>
  );
}
