/**
 * Reads and writes the equity curve's snapshots (portfolio_snapshots). One
 * snapshot pass takes every subaccount of a credential at one instant, so the
 * whole-account curve is the sum of the rows sharing a `taken_at`.
 */
import { and, asc, desc, eq, gte, lt } from "drizzle-orm";

import type {
  EquityRange,
  EquitySeries,
  EquitySnapshotView,
  SnapshotReason,
} from "@/lib/schemas/portfolio-history";
import type { Database } from "@/server/db/client";
import { portfolioSnapshots } from "@/server/db/schema";

export interface SubaccountReading {
  subaccount: number;
  cashCents: number;
  positionsCents: number;
  /** Transfers into (+) / out of (−) this subaccount since the previous pass. */
  cashFlowCents: number;
}

/** Stores one pass (all subaccounts at `at`). */
export async function recordSnapshot(
  db: Database,
  input: {
    userId: string;
    credentialId: string;
    at: Date;
    reason: SnapshotReason;
    readings: readonly SubaccountReading[];
  },
): Promise<void> {
  if (input.readings.length === 0) return;
  await db.insert(portfolioSnapshots).values(
    input.readings.map((reading) => ({
      userId: input.userId,
      credentialId: input.credentialId,
      subaccount: reading.subaccount,
      takenAt: input.at,
      cashCents: reading.cashCents,
      positionsCents: reading.positionsCents,
      cashFlowCents: reading.cashFlowCents,
      reason: input.reason,
    })),
  );
}

/** When this credential was last snapshotted (the start of the next pass's transfer window). */
export async function lastSnapshotAt(db: Database, credentialId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: portfolioSnapshots.takenAt })
    .from(portfolioSnapshots)
    .where(eq(portfolioSnapshots.credentialId, credentialId))
    .orderBy(desc(portfolioSnapshots.takenAt))
    .limit(1);
  return row?.at ?? null;
}

const RANGE_MS: Record<EquityRange, number | null> = {
  "1D": 86_400_000,
  "1W": 7 * 86_400_000,
  "1M": 30 * 86_400_000,
  ALL: null,
};
/** Enough points for a chart's width; more is downsampled (the last point of each bucket kept). */
const MAX_POINTS = 600;

/** The curve of one subaccount, or of the whole account when `subaccount` is null. */
export async function equitySeries(
  db: Database,
  input: {
    userId: string;
    credentialId: string;
    range: EquityRange;
    subaccount: number | null;
    now: number;
  },
): Promise<EquitySeries> {
  const span = RANGE_MS[input.range];
  const from = span === null ? null : new Date(input.now - span);
  const scope = and(
    eq(portfolioSnapshots.userId, input.userId),
    eq(portfolioSnapshots.credentialId, input.credentialId),
    input.subaccount === null ? undefined : eq(portfolioSnapshots.subaccount, input.subaccount),
  );
  const rows = await db
    .select()
    .from(portfolioSnapshots)
    .where(and(scope, from ? gte(portfolioSnapshots.takenAt, from) : undefined))
    .orderBy(asc(portfolioSnapshots.takenAt), asc(portfolioSnapshots.subaccount));
  // The last pass before the range opens the line at the left edge.
  let before: typeof rows = [];
  if (from) {
    const [last] = await db
      .select({ at: portfolioSnapshots.takenAt })
      .from(portfolioSnapshots)
      .where(and(scope, lt(portfolioSnapshots.takenAt, from)))
      .orderBy(desc(portfolioSnapshots.takenAt))
      .limit(1);
    if (last) {
      before = await db
        .select()
        .from(portfolioSnapshots)
        .where(and(scope, eq(portfolioSnapshots.takenAt, last.at)));
    }
  }
  const points = new Map<number, EquitySnapshotView>();
  for (const row of [...before, ...rows]) {
    const at = row.takenAt.getTime();
    const point = points.get(at) ?? {
      at,
      cashCents: 0,
      positionsCents: 0,
      totalCents: 0,
      cashFlowCents: 0,
      reason: row.reason as EquitySnapshotView["reason"],
    };
    point.cashCents += row.cashCents;
    point.positionsCents += row.positionsCents;
    point.totalCents += row.cashCents + row.positionsCents;
    // Whole account: a transfer between two of its subaccounts nets to zero, as it should.
    point.cashFlowCents += row.cashFlowCents;
    points.set(at, point);
  }
  return {
    range: input.range,
    subaccount: input.subaccount,
    points: downsample([...points.values()]),
  };
}

/** At most MAX_POINTS, keeping each bucket's last point and summing cash flows into it. */
function downsample(points: EquitySnapshotView[]): EquitySnapshotView[] {
  if (points.length <= MAX_POINTS) return points;
  const size = Math.ceil(points.length / MAX_POINTS);
  const out: EquitySnapshotView[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    const last = bucket[bucket.length - 1] as EquitySnapshotView;
    out.push({ ...last, cashFlowCents: bucket.reduce((sum, p) => sum + p.cashFlowCents, 0) });
  }
  return out;
}
