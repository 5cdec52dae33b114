"use client";
/**
 * The filter controls the RFQ lists share: segmented tabs, and the market-kind
 * filter (single markets or combos) both the requester's and the maker's
 * lists offer.
 */
import { isComboTicker } from "@/lib/rfq/rfq-math";

/** Segmented radio tabs for a small fixed set of values. */
export function FilterTabs<T extends string>(props: {
  label: string;
  value: T;
  onChange: (value: T) => void;
  options: ReadonlyArray<readonly [T, string]>;
}) {
  return (
    <div role="radiogroup" aria-label={props.label} className="flex rounded border border-line">
      {props.options.map(([value, label]) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={props.value === value}
          onClick={() => props.onChange(value)}
          className={`px-2 py-1 ${props.value === value ? "bg-accent/20 text-accent" : "text-ink-muted hover:text-ink"}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

export type MarketKind = "all" | "single" | "combo";

/** Whether an RFQ on `ticker` passes the market-kind filter. */
export function matchesKind(kind: MarketKind, ticker: string): boolean {
  return kind === "all" || (kind === "combo") === isComboTicker(ticker);
}

/** All / Single / Combo. */
export function MarketKindTabs(props: {
  label: string;
  value: MarketKind;
  onChange: (value: MarketKind) => void;
}) {
  return (
    <FilterTabs
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      options={[
        ["all", "All"],
        ["single", "Single"],
        ["combo", "Combo"],
      ]}
    />
  );
}
