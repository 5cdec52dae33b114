"use client";
/** The trader's position in one market, shown once an RFQ trade executed. */
import { useQuery } from "@tanstack/react-query";

import { formatCount, parseCount } from "@/lib/fixed-point";
import { apiPath, fetchApi } from "@/lib/queries/fetch-api";
import type { Positions } from "@/lib/schemas/portfolio";

export function PositionLine({ ticker }: { ticker: string }) {
  const positions = useQuery({
    queryKey: ["rfq", "position", ticker],
    queryFn: ({ signal }) =>
      fetchApi<Positions>(apiPath("/api/portfolio/positions", { ticker }), { signal }),
  });
  const row = positions.data?.market_positions.find((p) => p.ticker === ticker);
  if (!row) return null;
  let count = 0;
  try {
    count = parseCount(row.position_fp, { signed: true });
  } catch {
    return null;
  }
  const side = count >= 0 ? "YES" : "NO";
  return (
    <p className="text-xs" data-testid="rfq-position">
      Your position:{" "}
      <strong className="font-mono">
        {formatCount(Math.abs(count))} {side}
      </strong>{" "}
      <span className="font-mono text-ink-faint">{ticker}</span>
    </p>
  );
}
