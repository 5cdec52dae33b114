/**
 * The history tier on disk: orders, fills and trades that left memory
 * (retention.ts), under `<dir>/history/`. Per kind, an append-only data file
 * and a block index:
 *
 * - `<kind>.jsonl`: a header line naming the fields, then one JSON array of
 *   field values per record (no keys: about half the size of the objects),
 *   record n of the file being the kind's n-th evicted record;
 * - `<kind>.blocks.jsonl`: one line per block of BLOCK_RECORDS records: its
 *   byte range, time range, users and tickers (and first/last order id), so
 *   a reader skips blocks that cannot match and finds an order by id with a
 *   binary search. Only the index (a few hundred bytes per block) is held in
 *   memory, never the records.
 *
 * Appends are synchronous and batched (one write per eviction sweep). A torn
 * last line (a process killed mid-write) is cut off on open and the blocks
 * after the last indexed one are re-indexed from the data, like the journal.
 * Handing over records the file already has (a replay re-evicts them) is a
 * no-op, so the files never hold a record twice.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { FillRecord, OrderRecord, TradeRecord } from "@/server/sim/model";
import type {
  HistoryBlockSummary,
  HistoryKind,
  HistoryRecordOf,
  HistoryTier,
} from "@/server/sim/retention";

/** Records per block: small enough that reading one block for a page is cheap. */
export const BLOCK_RECORDS = 1024;
const FORMAT_VERSION = 1;
const NEWLINE = 0x0a;

type AnyRecord = OrderRecord | FillRecord | TradeRecord;

/** Field order of the stored arrays (the header repeats it, so older files stay readable). */
const FIELDS: Record<HistoryKind, readonly string[]> = {
  orders: [
    "orderId",
    "userId",
    "subaccount",
    "ticker",
    "clientOrderId",
    "side",
    "price",
    "initialCount",
    "remainingCount",
    "fillCount",
    "status",
    "timeInForce",
    "expirationTime",
    "postOnly",
    "reduceOnly",
    "selfTradePrevention",
    "cancelOnPause",
    "orderGroupId",
    "takerFillCost",
    "makerFillCost",
    "takerFees",
    "makerFees",
    "feeAccumulator",
    "reserved",
    "coveredRemaining",
    "createdTime",
    "lastUpdateTime",
    "sequence",
  ] satisfies ReadonlyArray<keyof OrderRecord>,
  fills: [
    "fillId",
    "tradeId",
    "orderId",
    "userId",
    "subaccount",
    "ticker",
    "side",
    "price",
    "count",
    "isTaker",
    "fee",
    "clientOrderId",
    "postPosition",
    "createdTime",
  ] satisfies ReadonlyArray<keyof FillRecord>,
  trades: [
    "tradeId",
    "ticker",
    "price",
    "count",
    "takerSide",
    "isBlockTrade",
    "createdTime",
    "seq",
  ] satisfies ReadonlyArray<keyof TradeRecord>,
};

interface Header {
  k: "history";
  v: number;
  kind: HistoryKind;
  fields: string[];
}

/** One block's summary as stored in the index file. */
interface BlockLine {
  first: number;
  count: number;
  start: number;
  end: number;
  minTime: number;
  maxTime: number;
  users: string[];
  tickers: string[];
  firstId: string;
  lastId: string;
}

class Block implements HistoryBlockSummary {
  first: number;
  count = 0;
  /** Byte range of its lines in the data file. */
  start: number;
  end: number;
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;
  readonly users = new Set<string>();
  readonly tickers = new Set<string>();
  /** First and last record id (orders: order ids, in eviction = creation order). */
  firstId = "";
  lastId = "";

  constructor(first: number, start: number) {
    this.first = first;
    this.start = start;
    this.end = start;
  }

  static fromLine(line: BlockLine): Block {
    const block = new Block(line.first, line.start);
    block.count = line.count;
    block.end = line.end;
    block.minTime = line.minTime;
    block.maxTime = line.maxTime;
    for (const user of line.users) block.users.add(user);
    for (const ticker of line.tickers) block.tickers.add(ticker);
    block.firstId = line.firstId;
    block.lastId = line.lastId;
    return block;
  }

  add(record: AnyRecord | null, id: string, bytes: number): void {
    if (record) {
      this.minTime = Math.min(this.minTime, record.createdTime);
      this.maxTime = Math.max(this.maxTime, record.createdTime);
      if ("userId" in record) this.users.add(record.userId);
      this.tickers.add(record.ticker);
      if (this.count === 0 || this.firstId === "") this.firstId = id;
      if (id !== "") this.lastId = id;
    }
    this.count += 1;
    this.end += bytes;
  }

  toLine(): BlockLine {
    return {
      first: this.first,
      count: this.count,
      start: this.start,
      end: this.end,
      minTime: this.minTime,
      maxTime: this.maxTime,
      users: [...this.users],
      tickers: [...this.tickers],
      firstId: this.firstId,
      lastId: this.lastId,
    };
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  hasTicker(ticker: string): boolean {
    return this.tickers.has(ticker);
  }
}

/** One kind's files and index. */
class KindFile {
  private readonly fd: number;
  private readonly indexFd: number;
  /** Complete blocks, oldest first, then the open one (possibly empty). */
  private readonly blocks: Block[] = [];
  private fields: readonly string[];
  private dirty = false;
  /** Gaps (records evicted while the files were missing) already reported. */
  private reportedGap = false;

  constructor(
    readonly kind: HistoryKind,
    private readonly dataPath: string,
    private readonly indexPath: string,
  ) {
    this.fields = FIELDS[kind];
    let data: Buffer | null = null;
    try {
      data = readFileSync(dataPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    let dataEnd = 0;
    if (data && data.length > 0) {
      const headerEnd = data.indexOf(NEWLINE);
      const header = headerEnd < 0 ? null : parseLine(data, 0, headerEnd);
      if (isHeader(header, kind)) {
        this.fields = header.fields;
        dataEnd = headerEnd + 1;
      }
    }
    if (dataEnd === 0) {
      // New (or unreadable from its first line): start the file over.
      data = null;
      truncateIfLonger(dataPath, 0);
      truncateIfLonger(indexPath, 0);
    }
    this.fd = openSync(dataPath, "a+");
    if (dataEnd === 0) {
      const header: Header = { k: "history", v: FORMAT_VERSION, kind, fields: [...this.fields] };
      dataEnd = writeSync(this.fd, `${JSON.stringify(header)}\n`);
    }
    // The index: whole lines whose blocks follow one another and lie inside the data.
    let indexBytes = 0;
    let next = { first: 0, start: dataEnd };
    const validData = data ? lastNewline(data) : dataEnd;
    try {
      const index = readFileSync(indexPath);
      let start = 0;
      while (start < index.length) {
        const newline = index.indexOf(NEWLINE, start);
        if (newline < 0) break;
        const line = parseLine(index, start, newline) as BlockLine | undefined;
        if (!line || line.first !== next.first || line.start !== next.start) break;
        if (line.end > validData) break;
        this.blocks.push(Block.fromLine(line));
        next = { first: line.first + line.count, start: line.end };
        start = newline + 1;
        indexBytes = start;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    truncateIfLonger(indexPath, indexBytes);
    this.indexFd = openSync(indexPath, "a");
    // Records after the last indexed block: re-index them (and cut a torn tail).
    let open = new Block(next.first, next.start);
    let offset = next.start;
    if (data) {
      while (offset < data.length) {
        const newline = data.indexOf(NEWLINE, offset);
        if (newline < 0) break;
        const value = parseLine(data, offset, newline);
        if (value === undefined) break;
        const record = value === null ? null : this.decode(value);
        open.add(record, record ? idOf(kind, record) : "", newline + 1 - offset);
        offset = newline + 1;
        if (open.count === BLOCK_RECORDS) {
          this.closeBlock(open);
          open = new Block(open.first + open.count, open.end);
        }
      }
      truncateIfLonger(dataPath, offset);
    }
    this.blocks.push(open);
  }

  get count(): number {
    const last = this.blocks[this.blocks.length - 1] as Block;
    return last.first + last.count;
  }

  append(records: readonly AnyRecord[], firstIndex: number): void {
    const have = this.count;
    let from = have - firstIndex;
    if (from >= records.length) return; // a replay handing over what is on disk already
    const lines: string[] = [];
    const kept: Array<AnyRecord | null> = [];
    if (from < 0) {
      // Records evicted while these files were away (deleted by hand): keep the numbering.
      if (!this.reportedGap) {
        this.reportedGap = true;
        console.error(
          JSON.stringify({
            at: "sim.history",
            what: "history files miss records; those are gone",
            kind: this.kind,
            missing: -from,
          }),
        );
      }
      for (let i = from; i < 0; i += 1) {
        lines.push("null\n");
        kept.push(null);
      }
      from = 0;
    }
    for (let i = from; i < records.length; i += 1) {
      const record = records[i] as AnyRecord;
      lines.push(`${JSON.stringify(this.encode(record))}\n`);
      kept.push(record);
    }
    // One write per block's share of the batch; its byte count is what the block needs.
    let open = this.blocks[this.blocks.length - 1] as Block;
    let at = 0;
    while (at < lines.length) {
      const take = Math.min(BLOCK_RECORDS - open.count, lines.length - at);
      const bytes = writeSync(this.fd, lines.slice(at, at + take).join(""));
      for (let i = at; i < at + take; i += 1) {
        const record = kept[i] ?? null;
        open.add(record, record ? idOf(this.kind, record) : "", 0);
      }
      open.end += bytes;
      at += take;
      if (open.count === BLOCK_RECORDS) {
        this.closeBlock(open);
        open = new Block(open.first + open.count, open.end);
        this.blocks.push(open);
      }
    }
    this.dirty = true;
  }

  /** Writes a full block's index line (the block object is already in `blocks`, or is pushed). */
  private closeBlock(block: Block): void {
    writeSync(this.indexFd, `${JSON.stringify(block.toLine())}\n`);
    if (this.blocks[this.blocks.length - 1] !== block) this.blocks.push(block);
  }

  *newestFirst(
    before: number,
    mayMatch: (block: HistoryBlockSummary) => boolean,
  ): Generator<[number, AnyRecord]> {
    for (let b = this.blocks.length - 1; b >= 0; b -= 1) {
      const block = this.blocks[b] as Block;
      if (block.count === 0 || block.first >= before || !mayMatch(block)) continue;
      const records = this.readBlock(block);
      for (let i = records.length - 1; i >= 0; i -= 1) {
        const index = block.first + i;
        const record = records[i];
        if (index >= before || !record) continue;
        yield [index, record];
      }
    }
  }

  /** Binary search over blocks by id (orders are evicted in id order). */
  findById(id: string): AnyRecord | undefined {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid] as Block;
      // The open block may be empty (it is the last); a block of lost records only opens a file.
      if (block.count === 0) {
        hi = mid - 1;
        continue;
      }
      if (block.firstId === "") {
        lo = mid + 1;
        continue;
      }
      if (id < block.firstId) hi = mid - 1;
      else if (id > block.lastId) lo = mid + 1;
      else {
        const found = this.readBlock(block).find(
          (record) => record !== null && idOf(this.kind, record) === id,
        );
        return found ?? undefined;
      }
    }
    return undefined;
  }

  private readBlock(block: Block): Array<AnyRecord | null> {
    const length = block.end - block.start;
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, buffer, read, length - read, block.start + read);
      if (n === 0) break;
      read += n;
    }
    const out: Array<AnyRecord | null> = [];
    let start = 0;
    while (start < read) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline < 0) break;
      const value = parseLine(buffer, start, newline);
      out.push(value == null ? null : this.decode(value));
      start = newline + 1;
    }
    return out;
  }

  private encode(record: AnyRecord): unknown[] {
    const values = record as unknown as Record<string, unknown>;
    const out: unknown[] = new Array(this.fields.length);
    for (let i = 0; i < this.fields.length; i += 1)
      out[i] = values[this.fields[i] as string] ?? null;
    return out;
  }

  private decode(value: unknown): AnyRecord | null {
    if (!Array.isArray(value)) return null;
    const out: Record<string, unknown> = {};
    this.fields.forEach((field, i) => {
      out[field] = value[i];
    });
    return out as unknown as AnyRecord;
  }

  sync(): void {
    if (!this.dirty) return;
    fsyncSync(this.fd);
    fsyncSync(this.indexFd);
    this.dirty = false;
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
    closeSync(this.indexFd);
  }
}

function idOf(kind: HistoryKind, record: AnyRecord): string {
  if (kind === "orders") return (record as OrderRecord).orderId;
  if (kind === "fills") return (record as FillRecord).fillId;
  return (record as TradeRecord).tradeId;
}

function parseLine(buffer: Buffer, start: number, end: number): unknown {
  try {
    return JSON.parse(buffer.toString("utf8", start, end)) as unknown;
  } catch {
    return undefined;
  }
}

function lastNewline(buffer: Buffer): number {
  return buffer.lastIndexOf(NEWLINE) + 1;
}

function truncateIfLonger(file: string, length: number): void {
  try {
    if (statSync(file).size > length) truncateSync(file, length);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function isHeader(value: unknown, kind: HistoryKind): value is Header {
  const header = value as Partial<Header> | null | undefined;
  return (
    typeof header === "object" &&
    header !== null &&
    header.k === "history" &&
    header.v === FORMAT_VERSION &&
    header.kind === kind &&
    Array.isArray(header.fields)
  );
}

/** The history tier of a persistent exchange, in `<dataDir>/history`. */
export class HistoryStore implements HistoryTier {
  private readonly files: Record<HistoryKind, KindFile>;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const open = (kind: HistoryKind) =>
      new KindFile(kind, path.join(dir, `${kind}.jsonl`), path.join(dir, `${kind}.blocks.jsonl`));
    this.files = { orders: open("orders"), fills: open("fills"), trades: open("trades") };
  }

  evict(kind: "orders", records: readonly OrderRecord[], firstIndex: number): void;
  evict(kind: "fills", records: readonly FillRecord[], firstIndex: number): void;
  evict(kind: "trades", records: readonly TradeRecord[], firstIndex: number): void;
  evict(kind: HistoryKind, records: readonly AnyRecord[], firstIndex: number): void {
    this.files[kind].append(records, firstIndex);
  }

  count(kind: HistoryKind): number {
    return this.files[kind].count;
  }

  newestFirst<K extends HistoryKind>(
    kind: K,
    before: number,
    mayMatch: (block: HistoryBlockSummary) => boolean,
  ): Iterable<[number, HistoryRecordOf[K]]> {
    // Each kind's file holds only that kind's records (written through the same map).
    return this.files[kind].newestFirst(before, mayMatch) as Iterable<[number, HistoryRecordOf[K]]>;
  }

  findOrder(orderId: string): OrderRecord | undefined {
    return this.files.orders.findById(orderId) as OrderRecord | undefined;
  }

  sync(): void {
    for (const file of Object.values(this.files)) file.sync();
  }

  close(): void {
    for (const file of Object.values(this.files)) file.close();
  }
}
