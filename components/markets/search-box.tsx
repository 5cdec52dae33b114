"use client";
/**
 * Instant search over series, events and markets (GET /api/search), driven
 * by the keyboard: "/" focuses it from anywhere, ↑/↓ move through the hits,
 * Enter opens one, Escape closes the list (and clears on a second press).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

import { Badge } from "@/components/ui/badge";
import { searchOptions } from "@/lib/queries/markets";
import type { SearchHit } from "@/lib/schemas/search";

/** Typing pause before asking the server; short enough to feel instant. */
const DEBOUNCE_MS = 120;

const kindLabel: Record<SearchHit["kind"], string> = {
  series: "Series",
  event: "Event",
  market: "Market",
};

export function SearchBox({
  initialQuery = "",
  onQueryChange,
  autoFocus = false,
}: {
  initialQuery?: string;
  /** Called with the debounced text (e.g. to keep it in the URL). */
  onQueryChange?: (q: string) => void;
  autoFocus?: boolean;
}) {
  const router = useRouter();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initialQuery);
  const [debounced, setDebounced] = useState(initialQuery.trim());
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const onQueryChangeRef = useRef(onQueryChange);
  useEffect(() => {
    onQueryChangeRef.current = onQueryChange;
  });

  useEffect(() => {
    const timer = setTimeout(() => {
      const q = text.trim();
      setDebounced(q);
      setActive(0);
      onQueryChangeRef.current?.(q);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  // "/" focuses the search box unless the user is typing somewhere else.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))
        return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const { data, isFetching, isError } = useQuery({
    ...searchOptions(debounced),
    placeholderData: keepPreviousData,
  });
  const hits = debounced ? (data?.hits ?? []) : [];
  const showList = open && debounced.length > 0;

  const go = (hit: SearchHit | undefined) => {
    if (!hit) return;
    setOpen(false);
    router.push(hit.href);
  };

  return (
    <div className="relative w-full max-w-xl">
      <label htmlFor={`${listId}-input`} className="sr-only">
        Search markets
      </label>
      <input
        ref={inputRef}
        id={`${listId}-input`}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && hits[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        placeholder="Search series, events, markets or tickers   /"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            setOpen(true);
            setActive((i) => Math.min(i + 1, Math.max(hits.length - 1, 0)));
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (event.key === "Enter") {
            if (showList && hits[active]) {
              event.preventDefault();
              go(hits[active]);
            }
          } else if (event.key === "Escape") {
            if (showList) setOpen(false);
            else setText("");
          }
        }}
        className="w-full rounded-md border border-line bg-panel px-3 py-1.5 text-sm placeholder:text-ink-faint focus:border-accent focus:outline-none"
      />
      {showList ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Search results"
          className="absolute top-full right-0 left-0 z-30 mt-1 max-h-96 overflow-y-auto rounded-md border border-line bg-panel-raised py-1 shadow-xl"
        >
          {hits.length === 0 ? (
            <li className="px-3 py-2 text-sm text-ink-muted" role="presentation">
              {isError
                ? "Search is unavailable right now."
                : isFetching
                  ? "Searching…"
                  : "No matches."}
            </li>
          ) : (
            hits.map((hit, index) => (
              <li
                key={`${hit.kind}:${hit.ticker}`}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => {
                  event.preventDefault();
                  go(hit);
                }}
                onMouseEnter={() => setActive(index)}
                className={`flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm ${
                  index === active ? "bg-accent/15" : ""
                }`}
              >
                <Badge tone={hit.kind === "market" ? "info" : "neutral"}>
                  {kindLabel[hit.kind]}
                </Badge>
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-ink">{hit.title}</span>
                  <span className="block truncate font-mono text-xs text-ink-muted">
                    {hit.ticker}
                    {hit.subtitle ? ` · ${hit.subtitle}` : ""}
                  </span>
                </span>
                {hit.status && hit.status !== "active" ? (
                  <span className="text-xs text-ink-faint">{hit.status}</span>
                ) : null}
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
