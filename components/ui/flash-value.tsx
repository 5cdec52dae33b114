"use client";

import { useEffect, useRef } from "react";

/**
 * A value that flashes briefly when it changes: green background when `rank`
 * went up, red when down. The flash is a Web Animation on the element, so a
 * tick costs no extra React render.
 */
export function FlashValue({
  text,
  rank,
  className = "",
  title,
}: {
  text: string;
  /** A number to compare successive values by (e.g. micro-dollars); undefined = no direction. */
  rank?: number;
  className?: string;
  title?: string;
}) {
  const ref = useRef<HTMLSpanElement>(null);
  const previous = useRef<{ text: string; rank?: number } | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = { text, rank };
    const element = ref.current;
    if (!before || before.text === text || !element || typeof element.animate !== "function")
      return;
    const up = rank !== undefined && before.rank !== undefined && rank > before.rank;
    const down = rank !== undefined && before.rank !== undefined && rank < before.rank;
    const color = up
      ? "rgb(34 197 94 / 0.35)"
      : down
        ? "rgb(244 63 94 / 0.35)"
        : "rgb(96 165 250 / 0.3)";
    element.animate([{ backgroundColor: color }, { backgroundColor: "transparent" }], {
      duration: 700,
      easing: "ease-out",
    });
  }, [text, rank]);
  return (
    <span ref={ref} className={`rounded-sm px-0.5 ${className}`} title={title}>
      {text}
    </span>
  );
}
