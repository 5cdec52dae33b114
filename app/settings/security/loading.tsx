// Shown while the security settings load.
export default function Loading() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-6" aria-busy>
      <div className="h-6 w-32 animate-pulse rounded bg-panel-raised" />
      <div className="mt-6 h-24 animate-pulse rounded bg-panel" />
    </main>
  );
}
