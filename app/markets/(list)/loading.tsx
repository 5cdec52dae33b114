import { PageSkeleton } from "@/components/ui/skeleton";

// Shown while /markets prefetches its first page.
export default function Loading() {
  return <PageSkeleton label="Loading markets…" />;
}
