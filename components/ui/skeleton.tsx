/** A grey placeholder block for loading states. */
export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-panel-raised ${className}`} />;
}

/** A loading page: a status line for screen readers and `rows` placeholder rows. */
export function PageSkeleton({ label, rows = 12 }: { label: string; rows?: number }) {
  return (
    <main className="mx-auto max-w-[1800px] px-4 py-6" aria-busy="true">
      <p className="sr-only" role="status">
        {label}
      </p>
      <Skeleton className="mb-4 h-7 w-56" />
      <div className="divide-y divide-line/60 rounded-lg border border-line bg-panel">
        {Array.from({ length: rows }, (_, row) => (
          <div key={row} className="flex items-center gap-4 px-3 py-2.5">
            <Skeleton className="h-3 w-40" />
            <Skeleton className="h-3 flex-1" />
            <Skeleton className="h-3 w-24" />
          </div>
        ))}
      </div>
    </main>
  );
}

/** A loading detail page (market or event): a status line for screen readers, a heading and two panels. */
export function DetailPageSkeleton({ label }: { label: string }) {
  return (
    <main className="mx-auto max-w-[1800px] px-4 py-6" aria-busy="true">
      <p className="sr-only" role="status">
        {label}
      </p>
      <Skeleton className="mb-2 h-4 w-40" />
      <Skeleton className="mb-4 h-7 w-2/3" />
      <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <Skeleton className="h-96" />
        <Skeleton className="h-96" />
      </div>
    </main>
  );
}
