import { Skeleton } from "@/components/ui/skeleton";

// Shown while an event page prefetches the event and its markets.
export default function Loading() {
  return (
    <main className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p className="sr-only" role="status">
        Loading event…
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
