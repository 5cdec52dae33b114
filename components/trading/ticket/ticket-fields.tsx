"use client";
/** Small presentational parts of the order ticket: toggles, stepped inputs, field errors. */
import type { ReactNode } from "react";

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-[11px] leading-snug text-no">
      {message}
    </p>
  );
}

export function Toggle<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string; tone?: string }>;
  onChange(value: T): void;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="grid grid-flow-col gap-1">
      {options.map((option) => {
        const selected = option.value === value;
        return (
          <button
            key={option.value}
            type="button"
            role="radio"
            aria-checked={selected}
            onClick={() => onChange(option.value)}
            className={`rounded-md border px-2 py-1 text-xs font-semibold ${
              selected
                ? (option.tone ?? "border-accent bg-accent/15 text-ink")
                : "border-line text-ink-muted hover:text-ink"
            }`}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}

export function SteppedInput({
  id,
  label,
  value,
  onChange,
  onStep,
  suffix,
  error,
  inputMode = "decimal",
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  onStep(direction: "up" | "down"): void;
  suffix?: ReactNode;
  error?: string;
  inputMode?: "decimal" | "numeric";
}) {
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="mb-0.5 block text-[11px] text-ink-muted">
        {label}
      </label>
      <div
        className={`flex items-stretch rounded-md border bg-surface ${error ? "border-no" : "border-line focus-within:border-accent"}`}
      >
        <button
          type="button"
          aria-label={`${label} down`}
          onClick={() => onStep("down")}
          className="px-2 text-ink-muted hover:text-ink"
        >
          −
        </button>
        <input
          id={id}
          value={value}
          inputMode={inputMode}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "ArrowUp" || event.key === "ArrowDown") {
              event.preventDefault();
              onStep(event.key === "ArrowUp" ? "up" : "down");
            }
          }}
          className="w-full min-w-0 bg-transparent py-1 text-center font-mono text-sm tabular-nums outline-none"
        />
        {suffix ? <span className="self-center pr-1 text-xs text-ink-muted">{suffix}</span> : null}
        <button
          type="button"
          aria-label={`${label} up`}
          onClick={() => onStep("up")}
          className="px-2 text-ink-muted hover:text-ink"
        >
          +
        </button>
      </div>
      <FieldError id={errorId} message={error} />
    </div>
  );
}

export function Check({
  id,
  label,
  checked,
  onChange,
  error,
  title,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  error?: string;
  title?: string;
}) {
  return (
    <div title={title}>
      <label htmlFor={id} className="flex items-center gap-1.5 text-xs">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-describedby={error ? `${id}-error` : undefined}
          className="accent-accent"
        />
        {label}
      </label>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export const selectClass =
  "w-full rounded-md border border-line bg-surface px-1.5 py-1 text-xs outline-none focus:border-accent";
