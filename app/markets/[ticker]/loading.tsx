import { DetailPageSkeleton } from "@/components/ui/skeleton";

// Shown while a market page prefetches the market, its event and series.
export default function Loading() {
  return <DetailPageSkeleton label="Loading market…" />;
}
