import type { RefObject } from "react";

/** What a chart is doing: drawing (`ready`) or not yet, and why. */
export type ChartStatus = "loading" | "ready" | "empty" | "error";

/**
 * The box a chart draws into (`containerRef`), `className` sizing it, with a
 * status line laid over it until the chart is ready: `loading`, `empty` and
 * `error` are the texts for those states. An error also shows `detail` (what
 * went wrong) and, given `onRetry`, a Retry button.
 */
export function ChartArea({
  containerRef,
  className,
  status,
  loading,
  empty,
  error,
  detail,
  onRetry,
}: {
  containerRef: RefObject<HTMLDivElement | null>;
  className: string;
  status: ChartStatus;
  loading: string;
  empty: string;
  error: string;
  detail?: string | null;
  onRetry?: () => void;
}) {
  return (
    <div className={`relative ${className}`}>
      {/* `isolate`: the chart's canvases carry z-indexes of their own; kept inside this box,
          the status text laid over it stays on top. */}
      <div ref={containerRef} className="absolute inset-0 isolate" />
      {status === "error" ? (
        <div
          role="alert"
          className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-2 px-4 text-center text-sm text-ink-muted"
        >
          <p>
            {error}
            {detail ? <span className="block text-xs">{detail}</span> : null}
          </p>
          {onRetry ? <RetryButton onRetry={onRetry} /> : null}
        </div>
      ) : status !== "ready" ? (
        <p
          role="status"
          className="absolute inset-0 z-10 flex items-center justify-center text-sm text-ink-muted"
        >
          {status === "loading" ? loading : empty}
        </p>
      ) : null}
    </div>
  );
}

/** The one Retry button of chart errors. */
export function RetryButton({ onRetry }: { onRetry: () => void }) {
  return (
    <button
      type="button"
      onClick={onRetry}
      className="rounded border border-line px-2 py-0.5 text-xs text-ink hover:border-accent hover:text-accent"
    >
      Retry
    </button>
  );
}
