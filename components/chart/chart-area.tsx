import type { RefObject } from "react";

/** What a chart is doing: drawing (`ready`) or not yet, and why. */
export type ChartStatus = "loading" | "ready" | "empty" | "error";

/**
 * The box a chart draws into (`containerRef`), `className` sizing it, with a
 * status line laid over it until the chart is ready: `loading`, `empty` and
 * `error` are the texts for those states.
 */
export function ChartArea({
  containerRef,
  className,
  status,
  loading,
  empty,
  error,
}: {
  containerRef: RefObject<HTMLDivElement | null>;
  className: string;
  status: ChartStatus;
  loading: string;
  empty: string;
  error: string;
}) {
  return (
    <div className={`relative ${className}`}>
      <div ref={containerRef} className="absolute inset-0" />
      {status !== "ready" ? (
        <p
          role="status"
          className="absolute inset-0 flex items-center justify-center text-sm text-ink-muted"
        >
          {status === "loading" ? loading : status === "empty" ? empty : error}
        </p>
      ) : null}
    </div>
  );
}
