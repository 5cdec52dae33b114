"use client";

import { useEffect } from "react";

/**
 * The body of a segment's error.tsx: what failed, the server log reference,
 * and a retry that re-renders the segment.
 */
export function SegmentError({
  title,
  error,
  retry,
}: {
  title: string;
  error: unknown;
  retry: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  // Production hides server error messages; the digest matches the server log line.
  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string"
      ? error.digest
      : undefined;
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-ink-muted">
        The exchange did not answer as expected. It may be restarting or briefly unavailable.
      </p>
      {digest ? <p className="mt-1 font-mono text-xs text-ink-faint">Reference {digest}</p> : null}
      <button
        type="button"
        onClick={() => retry()}
        className="mt-6 rounded-md border border-line bg-panel-raised px-4 py-1.5 text-sm font-medium hover:border-accent hover:text-accent"
      >
        Try again
      </button>
    </main>
  );
}
