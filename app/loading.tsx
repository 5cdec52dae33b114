const placeholderRows = Array.from({ length: 12 }, (_, index) => index);

// Shown while the home page fetches markets.
export default function Loading() {
  return (
    <main className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p className="sr-only" role="status">
        Loading markets…
      </p>
      <div className="mb-4 h-7 w-48 animate-pulse rounded bg-panel-raised" />
      <div className="divide-y divide-line/60 rounded-lg border border-line bg-panel">
        {placeholderRows.map((row) => (
          <div key={row} className="flex items-center gap-4 px-3 py-2.5">
            <div className="h-3 w-40 animate-pulse rounded bg-panel-raised" />
            <div className="h-3 flex-1 animate-pulse rounded bg-panel-raised" />
            <div className="h-3 w-24 animate-pulse rounded bg-panel-raised" />
          </div>
        ))}
      </div>
    </main>
  );
}
