import { PageSkeleton } from "@/components/ui/skeleton";

// Shown while the home page fetches markets.
export default function Loading() {
  return <PageSkeleton label="Loading markets…" />;
}
