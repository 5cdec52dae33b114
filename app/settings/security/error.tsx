"use client";

// Shown when the key list cannot be loaded; nothing about the error reaches the page.
export default function KeysError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-3xl px-4 py-6">
      <h1 className="text-lg font-semibold">API keys are unavailable</h1>
      <p className="mt-2 text-sm text-ink-muted">Something went wrong loading your keys.</p>
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
