// Shown while the RFQ desk loads.
export default function Loading() {
  return (
    <main className="mx-auto max-w-7xl px-4 py-6" aria-busy>
      <div className="h-6 w-40 animate-pulse rounded bg-panel-raised" />
      <div className="mt-4 grid gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <div className="h-64 animate-pulse rounded-lg bg-panel" />
        <div className="h-64 animate-pulse rounded-lg bg-panel" />
      </div>
    </main>
  );
}
