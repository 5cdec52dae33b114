/**
 * The journal on disk: one JSON object per line, appended with a synchronous
 * write before the operation it describes is acknowledged. A line only counts
 * once its newline is on disk, so a process killed mid-write leaves at most
 * one torn last line; opening the file drops it (truncates back to the last
 * whole record) so new records never follow garbage.
 *
 * Writes reach the kernel (they survive the process being killed) but are not
 * fsync'ed per write: a power loss may drop the last moments. SIM_FSYNC=1
 * (`fsync` option) syncs after every write for those who need that.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";

export interface JournalLine {
  /** Byte offset just past this line's newline. */
  end: number;
  value: unknown;
}

export interface ReadResult {
  lines: JournalLine[];
  /** Bytes of whole records; anything after (a torn or corrupt tail) is cut off on open. */
  validBytes: number;
  /** Size of the dropped tail, 0 when the file ended cleanly. */
  droppedBytes: number;
}

const NEWLINE = 0x0a;

/** Reads whole lines from `path` up to the first torn or unparsable one. */
export function readJournal(path: string, fromOffset = 0): ReadResult {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { lines: [], validBytes: 0, droppedBytes: 0 };
    }
    throw error;
  }
  const lines: JournalLine[] = [];
  let start = fromOffset;
  while (start < buffer.length) {
    const newline = buffer.indexOf(NEWLINE, start);
    if (newline < 0) break; // torn: no newline yet
    let value: unknown;
    try {
      value = JSON.parse(buffer.toString("utf8", start, newline));
    } catch {
      break; // corrupt: stop here, as if the file ended
    }
    lines.push({ end: newline + 1, value });
    start = newline + 1;
  }
  return { lines, validBytes: start, droppedBytes: buffer.length - start };
}

export class JournalFile {
  private fd: number | null;
  private bytes: number;

  /** Opens `path` for appending after cutting it to `validBytes` (creates it when missing). */
  constructor(
    readonly path: string,
    validBytes: number,
    private readonly fsync = false,
  ) {
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // created below
    }
    if (size > validBytes) truncateSync(path, validBytes);
    this.fd = openSync(path, "a");
    this.bytes = Math.min(size, validBytes);
  }

  /** Appends one record; returns once the kernel has it. */
  append(record: unknown): void {
    this.appendText(`${JSON.stringify(record)}\n`);
  }

  /** Appends whole lines (a batch of records) with one write; returns once the kernel has them. */
  appendText(lines: string): void {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    const buffer = Buffer.from(lines);
    let written = 0;
    while (written < buffer.length) written += writeSync(this.fd, buffer, written);
    this.bytes += written;
    if (this.fsync) fsyncSync(this.fd);
  }

  /** Bytes in the file (records appended so far included). */
  get size(): number {
    return this.bytes;
  }

  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
