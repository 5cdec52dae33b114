/**
 * Opens a persistent simulated exchange on `dataDir`: restores the latest
 * snapshot (if any), replays the journal written since, then journals
 * everything that follows. Files (docs/simulator-persistence.md):
 *
 * - `journal.jsonl`: a header line, then one record per operation since the
 *   snapshot the header names (or since genesis);
 * - `snapshot-<generation>.bin`: the exchange's whole state at one point;
 * - `history/`: orders, fills and trades that left memory (retention.ts).
 *
 * Without a snapshot the exchange is rebuilt from its genesis: the header
 * keeps the seed, time scale and the clock time the seed data was built at,
 * so the catalog, the seeded history and every id come out as the first
 * time. The clock then continues from now: the first housekeeping tick after
 * start-up processes whatever should have happened while the simulator was
 * down (markets that closed, expired orders), as it would after any pause.
 *
 * Compaction: every `snapshotEvery` records (between operations, never in
 * the middle of one) the state is written to a new snapshot and the journal
 * starts over with a header naming it. The header is the one source of truth
 * — each step is durable before the next, so a crash at any point leaves
 * either the old snapshot and the whole old journal, or the new snapshot and
 * a new (possibly empty) journal. Files the header does not name are
 * leftovers and removed on open.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Clock } from "@/server/sim/clock";
import { systemClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { HistoryStore } from "@/server/sim/historical/history-store";
import { lockDataDir } from "@/server/sim/persistence/dir-lock";
import { JournalFile, readJournal } from "@/server/sim/persistence/journal-file";
import { Recorder, type JournalRecord } from "@/server/sim/persistence/recorder";
import { ReplayClock } from "@/server/sim/persistence/replay-clock";
import {
  captureExchange,
  readSnapshot,
  restoreExchange,
  syncDirectory,
  writeSnapshot,
} from "@/server/sim/persistence/snapshot";
import { DEFAULT_RETENTION, type RetentionLimits } from "@/server/sim/retention";

export const JOURNAL_FILE = "journal.jsonl";
export const HISTORY_DIR = "history";
/** Header version written; version 1 (no snapshots, no stored caps) is still read. */
const FORMAT_VERSION = 2;
/** Journal records between two snapshots by default (SIM_SNAPSHOT_EVERY). */
export const DEFAULT_SNAPSHOT_EVERY = 100_000;
const SNAPSHOT_FILE = /^snapshot-(\d+)\.bin(\.tmp)?$/;

export interface JournalHeader {
  k: "header";
  v: number;
  seed: number;
  timeScale: number;
  /** Clock time the seed data was built at. */
  genesis: number;
  seedData: boolean;
  /** Memory caps the exchange runs with (eviction must be the same on replay); absent in version 1. */
  retention?: RetentionLimits;
  /** The snapshot this journal continues from (a file in the directory), or null: genesis. */
  snapshot?: string | null;
  /** Snapshots taken so far in this directory (names the next one). */
  generation?: number;
  /** Operations behind the snapshot since genesis. */
  records?: number;
}

export interface PersistentExchangeOptions {
  dataDir: string;
  /** Start fresh: the journal, snapshots and history on disk are deleted first (SIM_RESET=1). */
  reset?: boolean;
  /** Only for a new journal; an existing one keeps the seed it was created with. */
  seed?: number;
  timeScale?: number;
  clock?: Clock;
  seedData?: boolean;
  /** Only for a new journal, like the seed (an existing one keeps its caps). */
  retention?: Partial<RetentionLimits>;
  /** fsync after every journal write (SIM_FSYNC=1): survives power loss, costs a disk flush per write. */
  fsync?: boolean;
  /** Journal records between snapshots (default DEFAULT_SNAPSHOT_EVERY); 0 = never. */
  snapshotEvery?: number;
}

export interface RestoreOutcome {
  /** Operations behind the restored state since genesis (the snapshot's and the journal's). */
  records: number;
  /** Journal records replayed on top of the snapshot (all of them without one). */
  replayed: number;
  /** Records that failed differently from the first time (should be 0; logged). */
  mismatches: number;
  droppedBytes: number;
  /** The snapshot restored, if any: its file and the operations it covered. */
  snapshot: { file: string; records: number } | null;
  /** Wall time of the whole start-up restore (snapshot + replay), ms. */
  ms: number;
}

export interface SnapshotOutcome {
  file: string;
  records: number;
  bytes: number;
  ms: number;
}

export interface PersistentExchange {
  exchange: SimExchange;
  /** Its `close()` flushes the journal and releases the directory. */
  journal: Recorder;
  /**
   * Replays the journal through `fetch` (the exchange's HTTP app, which the
   * caller builds from `exchange`). Must run once before anything else uses
   * the exchange.
   */
  replay(fetch: (request: Request) => Promise<Response>): Promise<RestoreOutcome>;
  /** Takes a snapshot now and starts a new journal (between operations only). */
  snapshot(): SnapshotOutcome;
  /** Takes a snapshot when `snapshotEvery` records were journaled since the last and nothing runs. */
  maybeSnapshot(): SnapshotOutcome | null;
  /** Flushes and closes the journal and history, releases the directory. */
  close(): void;
}

function isHeader(value: unknown): value is JournalHeader {
  const header = value as Partial<JournalHeader> | null;
  return (
    typeof header === "object" &&
    header !== null &&
    header.k === "header" &&
    typeof header.seed === "number" &&
    typeof header.genesis === "number"
  );
}

export function openPersistentExchange(options: PersistentExchangeOptions): PersistentExchange {
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  try {
    return open(options, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Everything this module keeps in `dir` (what SIM_RESET deletes). */
function removeStoredState(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name === JOURNAL_FILE || name === `${JOURNAL_FILE}.tmp` || SNAPSHOT_FILE.test(name)) {
      rmSync(path.join(dir, name), { force: true });
    }
  }
  rmSync(path.join(dir, HISTORY_DIR), { recursive: true, force: true });
}

/** Removes snapshot files other than `keep` (older generations, interrupted writes). */
function removeOtherSnapshots(dir: string, keep: string | null): void {
  for (const name of readdirSync(dir)) {
    if (SNAPSHOT_FILE.test(name) && name !== keep) rmSync(path.join(dir, name), { force: true });
  }
  rmSync(path.join(dir, `${JOURNAL_FILE}.tmp`), { force: true });
}

function open(options: PersistentExchangeOptions, unlock: () => void): PersistentExchange {
  const started = performance.now();
  const { dataDir } = options;
  const journalPath = path.join(dataDir, JOURNAL_FILE);
  if (options.reset) removeStoredState(dataDir);

  const read = readJournal(journalPath);
  const first = read.lines[0]?.value;
  let header: JournalHeader;
  let records: JournalRecord[] = [];
  let validBytes = read.validBytes;
  const clock = new ReplayClock(options.clock ?? systemClock);
  if (isHeader(first)) {
    if (first.v !== 1 && first.v !== FORMAT_VERSION) {
      throw new Error(
        `${journalPath} is journal format ${first.v}, this simulator reads 1 and ${FORMAT_VERSION}; start with SIM_RESET=1`,
      );
    }
    header = first;
    records = read.lines.slice(1).map((line) => line.value as JournalRecord);
  } else {
    // New (or unreadable from its first line: nothing to keep).
    removeStoredState(dataDir);
    header = {
      k: "header",
      v: FORMAT_VERSION,
      seed: options.seed ?? 42,
      timeScale: options.timeScale ?? 1,
      genesis: clock.now(),
      seedData: options.seedData ?? true,
      retention: { ...DEFAULT_RETENTION, ...options.retention },
      snapshot: null,
      generation: 0,
      records: 0,
    };
    validBytes = 0;
  }
  // Version 1 journals predate stored caps: they run with the caps asked for now.
  const retention = header.retention ?? { ...DEFAULT_RETENTION, ...options.retention };
  removeOtherSnapshots(dataDir, header.snapshot ?? null);

  const history = new HistoryStore(path.join(dataDir, HISTORY_DIR));
  let exchange: SimExchange;
  let snapshotRecords = 0;
  try {
    if (header.snapshot) {
      const snapshotPath = path.join(dataDir, header.snapshot);
      let snapshot: ReturnType<typeof readSnapshot>;
      try {
        snapshot = readSnapshot(snapshotPath);
      } catch (error) {
        throw new Error(
          `${journalPath} continues from ${header.snapshot}, which cannot be read (${String(error)}); start with SIM_RESET=1`,
        );
      }
      exchange = new SimExchange({
        seed: header.seed,
        clock,
        timeScale: header.timeScale,
        seedData: false,
        retention,
      });
      restoreExchange(exchange, snapshot.payload);
      snapshotRecords = snapshot.header.records;
    } else {
      // Seed data is built at the genesis time, in this run as in every replay.
      clock.pin(header.genesis);
      exchange = new SimExchange({
        seed: header.seed,
        clock,
        timeScale: header.timeScale,
        seedData: header.seedData,
        retention,
        history,
      });
      clock.unpin();
    }
    exchange.state.retention.history = history;
  } catch (error) {
    history.close();
    throw error;
  }

  let file = new JournalFile(journalPath, validBytes, options.fsync ?? false);
  if (validBytes === 0) file.append(header);
  const journal = new Recorder(exchange, file, clock, () => {
    history.close();
    unlock();
  });
  journal.install();

  const snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  /** Records in the journal file now (replayed at open + appended since). */
  const journalRecords = () => records.length + journal.appended;
  let generation = header.generation ?? 0;
  /** After a failed snapshot, the journal size at which to try again. */
  let retryAfter = 0;

  const snapshot = (): SnapshotOutcome => {
    const began = performance.now();
    journal.flush();
    history.sync();
    const total = snapshotRecords + journalRecords();
    generation += 1;
    const name = `snapshot-${generation}.bin`;
    const payload = captureExchange(exchange);
    writeSnapshot(path.join(dataDir, name), payload, {
      records: total,
      takenAt: exchange.state.now(),
    });
    // The new journal names the snapshot; once it replaces the old one, the old snapshot is a leftover.
    const next: JournalHeader = {
      ...header,
      v: FORMAT_VERSION,
      retention,
      snapshot: name,
      generation,
      records: total,
    };
    const temporary = `${journalPath}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(next)}\n`, { flush: true });
    renameSync(temporary, journalPath);
    syncDirectory(dataDir);
    header = next;
    file = new JournalFile(journalPath, Number.MAX_SAFE_INTEGER, options.fsync ?? false);
    journal.switchFile(file);
    records = [];
    journal.appended = 0;
    snapshotRecords = total;
    removeOtherSnapshots(dataDir, name);
    return { file: name, records: total, bytes: payload.length, ms: performance.now() - began };
  };

  return {
    exchange,
    journal,
    async replay(fetch) {
      const outcome = await journal.replay(records, fetch);
      return {
        records: snapshotRecords + outcome.records,
        replayed: outcome.records,
        mismatches: outcome.mismatches,
        droppedBytes: read.droppedBytes,
        snapshot: header.snapshot ? { file: header.snapshot, records: snapshotRecords } : null,
        ms: performance.now() - started,
      };
    },
    snapshot,
    maybeSnapshot() {
      if (snapshotEvery <= 0 || journalRecords() < snapshotEvery || !journal.idle) return null;
      if (journalRecords() < retryAfter) return null;
      try {
        const taken = snapshot();
        retryAfter = 0;
        return taken;
      } catch (error) {
        // Not again on the next tick (a full disk would make every tick pay for a capture).
        retryAfter = journalRecords() + Math.max(1_000, Math.ceil(snapshotEvery / 10));
        throw error;
      }
    },
    close() {
      journal.close();
    },
  };
}
