"use client";
/**
 * "+Y / +N" on a market row of the browse pages: adds the market's yes or
 * no side to the combo slip when its event belongs to an open collection
 * (the same slip and rules as the event page's picker, combo-picker.tsx).
 * One list of open collections (cached a minute) serves every row. Loaded
 * lazily (LazyComboRowButtons) after the page is interactive.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { collectionsOptions } from "@/lib/queries/rfq";
import { toggleLeg, useComboSlip } from "@/lib/rfq/combo-slip";

export interface ComboRowButtonsProps {
  marketTicker: string;
  eventTicker: string;
  /** What the leg is called in the slip. */
  label: string;
}

export default function ComboRowButtons(props: ComboRowButtonsProps) {
  const collections = useQuery(collectionsOptions(null));
  const slip = useComboSlip();
  const [full, setFull] = useState<string | null>(null);
  const collection = collections.data?.find((c) =>
    c.associated_events.some((e) => e.ticker === props.eventTicker),
  );
  if (!collection) return null;
  const yesOnly =
    collection.associated_events.find((e) => e.ticker === props.eventTicker)?.is_yes_only ?? false;
  const picked = (side: "yes" | "no") =>
    slip.collection_ticker === collection.collection_ticker &&
    slip.legs.some((l) => l.market_ticker === props.marketTicker && l.side === side);

  return (
    <span
      className="ml-1 inline-flex items-center gap-0.5 align-middle"
      title={full ?? `Add to a ${collection.title} combo`}
    >
      {(["yes", "no"] as const).map((side) => {
        const on = picked(side);
        const refused = side === "no" && yesOnly;
        return (
          <button
            key={side}
            type="button"
            aria-pressed={on}
            aria-label={`${on ? "Remove" : "Add"} ${props.label} ${side} leg (combo)`}
            disabled={refused}
            onClick={() => {
              const result = toggleLeg(
                collection.collection_ticker,
                {
                  market_ticker: props.marketTicker,
                  event_ticker: props.eventTicker,
                  side,
                  label: props.label,
                },
                { sizeMax: collection.size_max },
              );
              setFull(
                result === "full"
                  ? `Combo slip full: at most ${collection.size_max} legs in ${collection.title}`
                  : null,
              );
            }}
            className={`rounded border px-1 text-[10px] leading-4 font-medium disabled:cursor-not-allowed disabled:opacity-40 ${
              on
                ? side === "yes"
                  ? "border-yes bg-yes/15 text-yes"
                  : "border-no bg-no/15 text-no"
                : full
                  ? "border-warn text-warn"
                  : "border-line text-ink-faint hover:border-accent hover:text-ink"
            }`}
          >
            {on ? "✓" : "+"}
            {side === "yes" ? "Y" : "N"}
          </button>
        );
      })}
    </span>
  );
}
