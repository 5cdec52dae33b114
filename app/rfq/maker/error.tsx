"use client";

// Shown when the RFQ desk fails to render; the error's details stay out of the page.
export default function RfqError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-3xl px-4 py-6">
      <h1 className="text-lg font-semibold">The RFQ desk is unavailable</h1>
      <p className="mt-2 text-sm text-ink-muted">Something went wrong loading RFQs and quotes.</p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md border border-line px-3 py-1.5 text-sm"
      >
        Try again
      </button>
    </main>
  );
}
