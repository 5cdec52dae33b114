import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatCloseTime } from "@/lib/format";
import type { ExchangeStatus } from "@/lib/schemas/market";

/** The exchange's state in a word, with the resume time when Kalshi announced one. */
export function ExchangeStatusBadge({ status }: { status: ExchangeStatus }) {
  const { label, tone } = describeStatus(status);
  const resume = status.exchange_estimated_resume_time;
  const text =
    resume && !status.trading_active ? `${label} · resumes ${formatCloseTime(resume)}` : label;
  return (
    // role="status" gives the badge an accessible name that tests and screen readers can find.
    <Badge role="status" aria-label={`Exchange status: ${text}`} tone={tone} dot>
      {text}
    </Badge>
  );
}

function describeStatus(status: ExchangeStatus): { label: string; tone: BadgeTone } {
  if (!status.exchange_active) return { label: "Exchange closed", tone: "negative" };
  if (!status.trading_active) return { label: "Trading paused", tone: "warning" };
  return { label: "Trading open", tone: "positive" };
}
