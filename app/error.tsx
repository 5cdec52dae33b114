"use client";

import { SegmentError } from "@/components/ui/segment-error";

// Error boundary for the home segment: says what failed and offers a retry.
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load markets" error={error} retry={retry} />;
}
