"use client";

import { SegmentError } from "@/components/ui/segment-error";

// Error boundary for /portfolio/subaccounts: retry re-fetches the server render, then re-renders.
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load subaccounts" error={error} retry={retry} />;
}
