/**
 * Snapshots of a whole simulated exchange: the state (records, books,
 * positions, users and keys, counters, id and random generators, retention),
 * its persistent parts (market data, lifecycle, order groups, subaccounts,
 * combos...) and the RFQ desk, so a restart restores it and replays only the
 * journal written since (docs/simulator-persistence.md).
 *
 * File: one JSON header line (`{"k":"snapshot",...,"bytes":n,"sha256":...}`)
 * then the payload, `v8.serialize` of the graph `snapshot-codec.ts` prepared.
 * It is written to a temporary name, fsynced, then renamed, so a snapshot
 * file is always whole; the checksum catches anything else.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { ClientOrderIds } from "@/server/sim/client-order-ids";
import { BookSideLevels, OrderBook } from "@/server/sim/engine/order-book";
import type { SimExchange } from "@/server/sim/exchange";
import { LifecycleSchedule } from "@/server/sim/lifecycle/lifecycle-schedule";
import { MarketCandles, PeriodSeries } from "@/server/sim/market-data/candles";
import { MarketDataStore, RollingVolume } from "@/server/sim/market-data/market-data";
import { ComboStore } from "@/server/sim/combos/combo-store";
import { IdGenerator } from "@/server/sim/ids";
import { OrderTable } from "@/server/sim/order-table";
import {
  decodeGraph,
  encodeGraph,
  type EncodedGraph,
  type SnapshotClass,
} from "@/server/sim/persistence/snapshot-codec";
import { SeededRandom } from "@/server/sim/random";
import { Retention } from "@/server/sim/retention";
import type { RfqDeskState } from "@/server/sim/rfq/rfq-desk";

const FORMAT_VERSION = 1;
const NEWLINE = 0x0a;

/** Every class that occurs in exchange state, by a name that stays stable across versions. */
const CLASSES: readonly SnapshotClass[] = [
  { name: "Retention", prototype: Retention.prototype, transient: ["history"] },
  { name: "IdGenerator", prototype: IdGenerator.prototype, transient: ["headOf", "head"] },
  { name: "ClientOrderIds", prototype: ClientOrderIds.prototype },
  { name: "OrderTable", prototype: OrderTable.prototype },
  { name: "SeededRandom", prototype: SeededRandom.prototype },
  { name: "OrderBook", prototype: OrderBook.prototype },
  { name: "BookSideLevels", prototype: BookSideLevels.prototype },
  { name: "MarketDataStore", prototype: MarketDataStore.prototype, transient: ["unsubscribe"] },
  { name: "RollingVolume", prototype: RollingVolume.prototype },
  { name: "MarketCandles", prototype: MarketCandles.prototype },
  { name: "PeriodSeries", prototype: PeriodSeries.prototype },
  { name: "LifecycleSchedule", prototype: LifecycleSchedule.prototype },
  { name: "ComboStore", prototype: ComboStore.prototype },
];

/** What the payload holds. */
interface SnapshotRoot {
  state: Record<string, unknown>;
  parts: Array<[string, unknown]>;
  rfqDesk: RfqDeskState;
}

/** Live objects state records point at: stored as names, bound to the new process's objects. */
function liveObjects(exchange: SimExchange): Array<[object, string]> {
  return [
    [exchange, "exchange"],
    [exchange.state, "state"],
    [exchange.engine, "engine"],
    [exchange.rfqDesk, "rfqDesk"],
  ];
}

/** The exchange as a snapshot payload (a pure read of its state). */
export function captureExchange(exchange: SimExchange): Buffer {
  const root: SnapshotRoot = {
    state: exchange.state.snapshotFields(),
    parts: exchange.state.persistentParts(),
    rfqDesk: exchange.rfqDesk.exportState(),
  };
  return serialize(encodeGraph(root, CLASSES, new Map(liveObjects(exchange))));
}

/**
 * Restores a payload into `exchange`, a fresh one built without seed data on
 * the snapshot's seed (its clock, bus, engine and desk are this process's).
 * The caller re-attaches anything runtime (the history tier, the journal).
 */
export function restoreExchange(exchange: SimExchange, payload: Buffer): void {
  const refs = new Map(liveObjects(exchange).map(([object, name]) => [name, object]));
  const root = decodeGraph(deserialize(payload) as EncodedGraph, CLASSES, refs) as SnapshotRoot;
  exchange.state.restoreFields(root.state);
  exchange.state.restoreParts(root.parts);
  exchange.rfqDesk.importState(root.rfqDesk);
  exchange.engine.rebuildIndexes();
}

export interface SnapshotHeader {
  k: "snapshot";
  v: number;
  /** Operations (journal records) behind this state since genesis. */
  records: number;
  /** Clock time it was taken at. */
  takenAt: number;
  bytes: number;
  sha256: string;
}

/** Writes `payload` to `file` whole or not at all (temporary name, fsync, rename, fsync dir). */
export function writeSnapshot(
  file: string,
  payload: Buffer,
  meta: { records: number; takenAt: number },
): SnapshotHeader {
  const header: SnapshotHeader = {
    k: "snapshot",
    v: FORMAT_VERSION,
    records: meta.records,
    takenAt: meta.takenAt,
    bytes: payload.length,
    sha256: createHash("sha256").update(payload).digest("hex"),
  };
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeAll(fd, Buffer.from(`${JSON.stringify(header)}\n`));
    writeAll(fd, payload);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  syncDirectory(path.dirname(file));
  return header;
}

/** Reads and checks a snapshot file; throws naming what is wrong with it. */
export function readSnapshot(file: string): { header: SnapshotHeader; payload: Buffer } {
  const data = readFileSync(file);
  const newline = data.indexOf(NEWLINE);
  const header = (
    newline < 0 ? null : JSON.parse(data.toString("utf8", 0, newline))
  ) as SnapshotHeader | null;
  if (!header || header.k !== "snapshot" || header.v !== FORMAT_VERSION) {
    throw new Error(`${file} is not a snapshot this simulator reads`);
  }
  const payload = data.subarray(newline + 1);
  const sha256 = createHash("sha256").update(payload).digest("hex");
  if (payload.length !== header.bytes || sha256 !== header.sha256) {
    throw new Error(`${file} is damaged (its checksum does not match)`);
  }
  return { header, payload };
}

function writeAll(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written);
}

/** Makes a rename in `dir` durable. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
