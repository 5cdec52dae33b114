import { DetailPageSkeleton } from "@/components/ui/skeleton";

// Shown while an event page prefetches the event and its markets.
export default function Loading() {
  return <DetailPageSkeleton label="Loading event…" />;
}
