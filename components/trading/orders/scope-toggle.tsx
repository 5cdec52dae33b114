"use client";
/** "This market" / "All markets": what a blotter lists. */

export type BlotterScope = "market" | "all";

export function ScopeToggle(props: {
  /** Names the group for assistive technology ("Orders shown"). */
  label: string;
  value: BlotterScope;
  onChange(value: BlotterScope): void;
}) {
  return (
    <div role="radiogroup" aria-label={props.label} className="flex gap-1">
      {(["market", "all"] as const).map((value) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={props.value === value}
          onClick={() => props.onChange(value)}
          className={`rounded border px-1.5 py-0.5 ${props.value === value ? "border-accent text-ink" : "border-line text-ink-muted"}`}
        >
          {value === "market" ? "This market" : "All markets"}
        </button>
      ))}
    </div>
  );
}
