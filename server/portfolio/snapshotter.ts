/**
 * The equity curve's recorder. Every `intervalMs` it snapshots every trader
 * with an active key; every `watchMs` it asks each trader's newest fill,
 * settlement and transfer and snapshots at once when one of them changed, so
 * the curve steps at each fill and settlement and survives restarts (the
 * record is the database, not memory).
 *
 * Config (read once): PORTFOLIO_SNAPSHOT_INTERVAL_SECONDS (default 300),
 * PORTFOLIO_SNAPSHOT_WATCH_SECONDS (default 10); 0 turns either off.
 */
import { isNotNull } from "drizzle-orm";
import { z } from "zod";

import type { SnapshotReason } from "@/lib/schemas/portfolio-history";
import type { ActiveCredential } from "@/server/auth/trader-route";
import { loadActiveCredential } from "@/server/credentials/store";
import { getDb, type Database } from "@/server/db/client";
import { userSettings } from "@/server/db/schema";
import { createKalshiClient } from "@/server/kalshi/client";

import { takeSnapshot } from "./take-snapshot";

const SnapshotEnv = z.object({
  /** Five minutes: a smooth day curve for a few reads per trader per hour. */
  PORTFOLIO_SNAPSHOT_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Ten seconds: a fill shows on the curve about as soon as a trader looks. */
  PORTFOLIO_SNAPSHOT_WATCH_SECONDS: z.coerce.number().int().min(0).default(10),
});

export interface SnapshotterOptions {
  intervalMs: number;
  watchMs: number;
  db?: () => Promise<Database>;
  now?: () => Date;
}

export function snapshotterOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SnapshotterOptions {
  const parsed = SnapshotEnv.parse({
    PORTFOLIO_SNAPSHOT_INTERVAL_SECONDS: env.PORTFOLIO_SNAPSHOT_INTERVAL_SECONDS || undefined,
    PORTFOLIO_SNAPSHOT_WATCH_SECONDS: env.PORTFOLIO_SNAPSHOT_WATCH_SECONDS || undefined,
  });
  return {
    intervalMs: parsed.PORTFOLIO_SNAPSHOT_INTERVAL_SECONDS * 1000,
    watchMs: parsed.PORTFOLIO_SNAPSHOT_WATCH_SECONDS * 1000,
  };
}

/** What was newest last time we looked, per credential. */
interface Watermark {
  fill: string;
  settlement: string;
  transfer: string;
}

export interface Snapshotter {
  /** One interval pass now (tests). */
  snapshotAll(reason?: SnapshotReason): Promise<void>;
  /** One watch pass now (tests): snapshots traders whose newest fill/settlement/transfer changed. */
  watchOnce(): Promise<void>;
  stop(): void;
}

function log(fields: Record<string, unknown>): void {
  console.warn(JSON.stringify({ level: "warn", at: "server/portfolio/snapshotter", ...fields }));
}

async function activeTraders(
  db: Database,
): Promise<Array<{ userId: string; credential: ActiveCredential }>> {
  const rows = await db
    .select({ userId: userSettings.userId })
    .from(userSettings)
    .where(isNotNull(userSettings.activeCredentialId));
  const traders = [];
  for (const { userId } of rows) {
    try {
      const credential = await loadActiveCredential(db, userId);
      if (credential) traders.push({ userId, credential });
    } catch (error) {
      // An unreadable key or an unconnected environment: that trader is skipped, nobody else.
      log({
        what: "credential skipped",
        userId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return traders;
}

export function createSnapshotter(options: SnapshotterOptions): Snapshotter {
  const openDb = options.db ?? getDb;
  const now = options.now ?? (() => new Date());
  const marks = new Map<string, Watermark>();
  /** Credentials some pass has recorded since start: a trader new since then gets a baseline at first sight. */
  const recorded = new Set<string>();
  let running = false;

  const snapshotOne = async (
    db: Database,
    trader: { userId: string; credential: ActiveCredential },
    reason: SnapshotReason,
  ) => {
    try {
      await takeSnapshot(db, { ...trader, reason, now: now() });
    } catch (error) {
      log({
        what: "snapshot failed",
        userId: trader.userId,
        reason,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const snapshotAll = async (reason: SnapshotReason = "interval") => {
    const db = await openDb();
    for (const trader of await activeTraders(db)) {
      await snapshotOne(db, trader, reason);
      recorded.add(trader.credential.id);
    }
  };

  const watchOnce = async () => {
    const db = await openDb();
    for (const trader of await activeTraders(db)) {
      try {
        const client = createKalshiClient(trader.credential);
        const [fills, settlements, transfers] = await Promise.all([
          client.listFills({ limit: 1 }),
          client.listSettlements({ limit: 1 }),
          client.listSubaccountTransfers({ limit: 1 }).catch(() => ({ transfers: [], cursor: "" })),
        ]);
        const next: Watermark = {
          fill: fills.fills[0]?.fill_id ?? "",
          settlement: settlements.settlements[0]
            ? `${settlements.settlements[0].ticker}@${settlements.settlements[0].settled_time}`
            : "",
          transfer: transfers.transfers[0]?.transfer_id ?? "",
        };
        const seen = marks.get(trader.credential.id);
        marks.set(trader.credential.id, next);
        // The first look sets the watermark. A trader the interval pass has not recorded yet
        // (signed up, or added a key, since start) gets a baseline now rather than up to one
        // interval later: their first fills may already be behind this watermark.
        if (!seen) {
          if (!recorded.has(trader.credential.id)) {
            await snapshotOne(db, trader, "interval");
            recorded.add(trader.credential.id);
          }
          continue;
        }
        const reason: SnapshotReason | null =
          next.settlement !== seen.settlement
            ? "settlement"
            : next.fill !== seen.fill
              ? "fill"
              : next.transfer !== seen.transfer
                ? "transfer"
                : null;
        if (reason) await snapshotOne(db, trader, reason);
      } catch (error) {
        log({
          what: "watch failed",
          userId: trader.userId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  };

  /** Passes never overlap: a slow pass delays the next instead of stacking. */
  const guarded = (pass: () => Promise<void>) => () => {
    if (running) return;
    running = true;
    pass().finally(() => {
      running = false;
    });
  };

  const timers: NodeJS.Timeout[] = [];
  if (options.intervalMs > 0) {
    const tick = guarded(() => snapshotAll("interval"));
    timers.push(setInterval(tick, options.intervalMs));
    // A first pass soon after start, so a restarted server's curve resumes at once.
    timers.push(setTimeout(tick, Math.min(options.intervalMs, 5_000)));
  }
  if (options.watchMs > 0) timers.push(setInterval(guarded(watchOnce), options.watchMs));
  // Never keeps the process alive on its own.
  for (const timer of timers) timer.unref();

  return {
    snapshotAll,
    watchOnce,
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}

/** Started from server/main.ts: the recorder with its environment configuration. */
export function startPortfolioSnapshotter(): Snapshotter {
  return createSnapshotter(snapshotterOptionsFromEnv());
}
