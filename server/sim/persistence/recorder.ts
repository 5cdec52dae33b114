/**
 * The journal of a persistent exchange (docs/simulator-persistence.md). The
 * engine is deterministic given its seed, the ordered inputs and the clock
 * times, so the journal records inputs, not state:
 *
 * - every state-changing HTTP request that succeeded (method, path, body, the
 *   API key it was authenticated with), written after the handler ran and
 *   before the response leaves — a client never sees an acknowledgement the
 *   disk does not have;
 * - calls into the engine, the RFQ desk and account creation made outside any
 *   request (the bots), recorded before the call runs;
 * - housekeeping ticks that changed something (expiry, market lifecycle).
 *
 * Records of calls and ticks are buffered and written in one batch at the end
 * of the event-loop turn (or before the next request's record, or every
 * BATCH_RECORDS), so a bot storm costs one write per turn instead of one per
 * order; nobody was acknowledged anything for them, and a kill -9 loses at
 * most the current turn's. A request's record is written with everything
 * buffered before it, in order, before its response is released.
 *
 * Each record carries the clock time and the id and random generators' state
 * at its start, so a replay reproduces the same ids and draws even if
 * something unrecorded drew from them in between.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { SimExchange } from "@/server/sim/exchange";
import { SimError } from "@/server/sim/errors";
import type { JournalFile } from "@/server/sim/persistence/journal-file";
import type { OperationJournal, PemKeyPair } from "@/server/sim/persistence/operation-journal";
import type { ReplayClock } from "@/server/sim/persistence/replay-clock";
import {
  applyCall,
  DESK_OPERATIONS,
  ENGINE_OPERATIONS,
  methodOf,
} from "@/server/sim/persistence/replay-table";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";

/** Where every record starts: clock time, ids drawn, random generator state. */
interface Stamp {
  t: number;
  n: number;
  r: number;
}

export interface CallRecord extends Stamp {
  k: string;
  a: unknown[];
}

export interface HttpRecord extends Stamp {
  k: "http";
  /** Method. */
  m: string;
  /** Path and query. */
  u: string;
  /** Body text, absent when empty. */
  b?: string;
  /** API key id the request was authenticated with, null on unauthenticated (/sim/v1) routes. */
  key: string | null;
  /** Public keys the request generated (POST /sim/v1/accounts, /api_keys/generate). */
  tape?: string[];
}

export interface TickRecord extends Stamp {
  k: "tick";
}

export type JournalRecord = CallRecord | HttpRecord | TickRecord;

/** What an HTTP request looks like to the journal (http-journal.ts adapts Hono's context). */
export interface RecordedRequest {
  method: string;
  pathAndQuery: string;
  body: string;
}

interface RequestScope {
  /** False once the request finished: timers it started are not part of it. */
  open: boolean;
  tape: string[];
}

export interface ReplayOutcome {
  records: number;
  /** Records that failed differently from the first time (should be 0; logged). */
  mismatches: number;
}

/** Buffered records written at once, at the latest. */
const BATCH_RECORDS = 512;

export class Recorder implements OperationJournal {
  private depth = 0;
  private replaying = false;
  private replayScope: { key: string | null; tape: string[] } | null = null;
  private readonly requests = new AsyncLocalStorage<RequestScope>();
  /** Lines recorded but not written yet (see the module comment). */
  private buffered: string[] = [];
  private flushScheduled = false;
  /** HTTP requests running now (a snapshot waits for none). */
  private inFlight = 0;
  /** Records appended since this process opened the journal. */
  appended = 0;

  constructor(
    private readonly exchange: SimExchange,
    private file: JournalFile,
    private readonly clock: ReplayClock,
    private readonly release: () => void = () => {},
  ) {}

  /** True when no operation or request is running: the state is whole (snapshots wait for this). */
  get idle(): boolean {
    return this.depth === 0 && this.inFlight === 0 && !this.replaying;
  }

  /** Writes every buffered record. */
  flush(): void {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join("");
    this.buffered = [];
    this.file.appendText(text);
  }

  /** Continues in `file` (a new journal after a snapshot); everything buffered is flushed first. */
  switchFile(file: JournalFile): void {
    this.flush();
    const old = this.file;
    this.file = file;
    old.close();
  }

  /** Routes the engine's, the desk's and the exchange's state-changing entry points through the journal. */
  install(): void {
    const { engine, rfqDesk } = this.exchange;
    for (const name of ENGINE_OPERATIONS) this.wrap(engine, `engine.${name}`, name);
    for (const name of DESK_OPERATIONS) this.wrap(rfqDesk, `rfq.${name}`, name);
    const tick = methodOf(this.exchange, "tick").bind(this.exchange);
    Object.defineProperty(this.exchange, "tick", {
      value: () => this.tick(() => tick()),
      configurable: true,
      writable: true,
    });
    this.exchange.state.journal = this;
  }

  private wrap(target: object, kind: string, name: string): void {
    const original = methodOf(target, name);
    Object.defineProperty(target, name, {
      value: (...args: unknown[]) => this.call(kind, args, () => original.apply(target, args)),
      configurable: true,
      writable: true,
    });
  }

  private get recording(): boolean {
    return !this.replaying && this.depth === 0 && this.requests.getStore()?.open !== true;
  }

  private stamp(): Stamp {
    const { state } = this.exchange;
    return { t: state.now(), n: state.ids.drawn, r: state.random.snapshot() };
  }

  /** Buffers a record; it reaches the disk at the end of this turn at the latest. */
  private append(record: JournalRecord): void {
    this.buffered.push(`${JSON.stringify(record)}\n`);
    this.appended += 1;
    if (this.buffered.length >= BATCH_RECORDS) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Buffers a record and writes it now, with everything before it. */
  private appendNow(record: JournalRecord): void {
    this.buffered.push(`${JSON.stringify(record)}\n`);
    this.appended += 1;
    this.flush();
  }

  call<T>(kind: string, args: readonly unknown[], apply: () => T): T {
    if (!this.recording) return apply();
    const stamp = this.stamp();
    this.append({ k: kind, ...stamp, a: [...args] });
    const held = this.clock.hold(stamp.t);
    this.depth += 1;
    try {
      return apply();
    } finally {
      this.depth -= 1;
      if (held) this.clock.unpin();
    }
  }

  /** A housekeeping tick; recorded only when it changed something (most ticks do nothing). */
  private tick(run: () => void): void {
    if (!this.recording) {
      run();
      return;
    }
    const before = this.fingerprint();
    const stamp = this.stamp();
    const held = this.clock.hold(stamp.t);
    this.depth += 1;
    try {
      run();
    } finally {
      this.depth -= 1;
      if (held) this.clock.unpin();
      if (this.fingerprint() !== before) this.append({ k: "tick", ...stamp });
    }
  }

  /** Changes whenever a tick published an event, drew an id or a random number, or touched portfolios. */
  private fingerprint(): string {
    const { state } = this.exchange;
    return `${state.bus.published}|${state.ids.drawn}|${state.random.snapshot()}|${state.userDataTimestamp}`;
  }

  /**
   * Runs one HTTP request and, when it succeeded and could have changed
   * something, journals it before its response is released. `authKeyId` is
   * read after the handler ran (the auth middleware sets it).
   */
  async request(
    request: RecordedRequest,
    run: () => Promise<void>,
    outcome: () => { status: number; authKeyId: string | null },
  ): Promise<void> {
    if (this.replaying) {
      await run();
      return;
    }
    const stamp = this.stamp();
    const scope: RequestScope = { open: true, tape: [] };
    const held = this.clock.hold(stamp.t);
    this.inFlight += 1;
    try {
      await this.requests.run(scope, run);
    } finally {
      this.inFlight -= 1;
      scope.open = false;
      if (held) this.clock.unpin();
    }
    const { status, authKeyId } = outcome();
    // A refused request changed nothing (bad input changes nothing): no record.
    if (status >= 400) return;
    const record: HttpRecord = {
      k: "http",
      ...stamp,
      m: request.method,
      u: request.pathAndQuery,
      key: authKeyId,
    };
    if (request.body !== "") record.b = request.body;
    if (scope.tape.length > 0) record.tape = scope.tape;
    // On disk before the response is released.
    this.appendNow(record);
  }

  keyPair(generate: () => PemKeyPair): PemKeyPair {
    if (this.replaying) {
      const publicKeyPem = this.replayScope?.tape.shift();
      if (publicKeyPem === undefined)
        throw new Error("journal: replayed request generated an extra key");
      return { publicKeyPem, privateKeyPem: "" };
    }
    const pair = generate();
    this.requests.getStore()?.tape.push(pair.publicKeyPem);
    return pair;
  }

  replayKeyId(): string | null | undefined {
    if (!this.replaying) return undefined;
    return this.replayScope?.key ?? null;
  }

  /**
   * Applies `records` in order with the clock pinned to each one's time.
   * `fetch` is the exchange's HTTP app (requests replay through the same
   * routes, with the recorded identity instead of a signature).
   */
  async replay(
    records: readonly JournalRecord[],
    fetch: (request: Request) => Promise<Response>,
  ): Promise<ReplayOutcome> {
    const { state } = this.exchange;
    const limiter = rateLimiter(state);
    const limiterWasOn = limiter.enabled;
    limiter.enabled = false;
    this.replaying = true;
    let mismatches = 0;
    try {
      for (const record of records) {
        this.clock.pin(record.t);
        state.ids.restore(record.n);
        state.random.restore(record.r);
        if (record.k === "http") {
          const http = record as HttpRecord;
          this.replayScope = { key: http.key, tape: [...(http.tape ?? [])] };
          const headers: Record<string, string> = {};
          if (http.b !== undefined) headers["content-type"] = "application/json";
          const response = await fetch(
            new Request(`http://journal.replay${http.u}`, {
              method: http.m,
              headers,
              body: http.b,
            }),
          );
          this.replayScope = null;
          if (response.status >= 400) {
            mismatches += 1;
            console.error(
              JSON.stringify({
                at: "sim.journal",
                what: "replayed request failed",
                method: http.m,
                path: http.u.split("?")[0],
                status: response.status,
              }),
            );
          }
        } else if (record.k === "tick") {
          this.exchange.tick();
        } else {
          try {
            applyCall(this.exchange, record.k, (record as CallRecord).a);
          } catch (error) {
            // The first run was refused the same way (a bot's order against a paused market...).
            if (!(error instanceof SimError)) {
              mismatches += 1;
              console.error(
                JSON.stringify({
                  at: "sim.journal",
                  what: "replayed operation failed",
                  kind: record.k,
                  error: String(error),
                }),
              );
            }
          }
        }
      }
    } finally {
      this.replaying = false;
      this.replayScope = null;
      limiter.enabled = limiterWasOn;
      this.clock.unpin();
    }
    return { records: records.length, mismatches };
  }

  close(): void {
    this.flush();
    this.file.close();
    this.release();
  }
}
