/**
 * Opens a persistent simulated exchange on `dataDir`: replays the journal
 * there (if any) into a new exchange, then journals everything that follows.
 * Files: `journal.jsonl` (a header line, then one record per operation); see
 * docs/simulator-persistence.md.
 *
 * The exchange is rebuilt from its genesis: the header keeps the seed, time
 * scale and the clock time the seed data was built at, so the catalog, the
 * seeded history and every id come out as the first time. The clock then
 * continues from now: the first housekeeping tick after start-up processes
 * whatever should have happened while the simulator was down (markets that
 * closed, expired orders), as it would after any pause.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Clock } from "@/server/sim/clock";
import { systemClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { lockDataDir } from "@/server/sim/persistence/dir-lock";
import { JournalFile, readJournal } from "@/server/sim/persistence/journal-file";
import { Recorder, type JournalRecord } from "@/server/sim/persistence/recorder";
import { ReplayClock } from "@/server/sim/persistence/replay-clock";
import type { RetentionLimits } from "@/server/sim/retention";

export const JOURNAL_FILE = "journal.jsonl";
const FORMAT_VERSION = 1;

export interface JournalHeader {
  k: "header";
  v: number;
  seed: number;
  timeScale: number;
  /** Clock time the seed data was built at. */
  genesis: number;
  seedData: boolean;
}

export interface PersistentExchangeOptions {
  dataDir: string;
  /** Start fresh: the journal on disk is deleted first (SIM_RESET=1). */
  reset?: boolean;
  /** Only for a new journal; an existing one keeps the seed it was created with. */
  seed?: number;
  timeScale?: number;
  clock?: Clock;
  seedData?: boolean;
  retention?: Partial<RetentionLimits>;
  /** fsync after every record (SIM_FSYNC=1): survives power loss, costs a disk flush per operation. */
  fsync?: boolean;
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
  replay(fetch: (request: Request) => Promise<Response>): Promise<{
    records: number;
    mismatches: number;
    droppedBytes: number;
  }>;
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

function open(options: PersistentExchangeOptions, unlock: () => void): PersistentExchange {
  const journalPath = path.join(options.dataDir, JOURNAL_FILE);
  if (options.reset) rmSync(journalPath, { force: true });

  const read = readJournal(journalPath);
  const first = read.lines[0]?.value;
  let header: JournalHeader;
  let records: JournalRecord[] = [];
  let validBytes = read.validBytes;
  const clock = new ReplayClock(options.clock ?? systemClock);
  if (isHeader(first)) {
    if (first.v !== FORMAT_VERSION) {
      throw new Error(
        `${journalPath} is journal format ${first.v}, this simulator reads ${FORMAT_VERSION}; start with SIM_RESET=1`,
      );
    }
    header = first;
    records = read.lines.slice(1).map((line) => line.value as JournalRecord);
  } else {
    // New (or unreadable from its first line: nothing to keep).
    header = {
      k: "header",
      v: FORMAT_VERSION,
      seed: options.seed ?? 42,
      timeScale: options.timeScale ?? 1,
      genesis: clock.now(),
      seedData: options.seedData ?? true,
    };
    validBytes = 0;
  }

  // Seed data is built at the genesis time, in this run as in every replay.
  clock.pin(header.genesis);
  const exchange = new SimExchange({
    seed: header.seed,
    clock,
    timeScale: header.timeScale,
    seedData: header.seedData,
    retention: options.retention,
  });
  clock.unpin();

  const file = new JournalFile(journalPath, validBytes, options.fsync ?? false);
  if (validBytes === 0) file.append(header);
  const journal = new Recorder(exchange, file, clock, unlock);
  journal.install();

  return {
    exchange,
    journal,
    async replay(fetch) {
      const outcome = await journal.replay(records, fetch);
      return { ...outcome, droppedBytes: read.droppedBytes };
    },
  };
}
