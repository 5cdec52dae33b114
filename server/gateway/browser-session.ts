/**
 * One browser socket: its topics, its flood limits (a token bucket and
 * strikes), its catch-up state while lagging, its credential lookup, and
 * its outgoing batch.
 *
 * Batching (protocol kgw.v2 only): a frame goes out at once when the socket
 * sent nothing in the last `batchWindowMs`; frames that follow within the
 * window wait and leave together as one JSON array at its end. A quiet
 * market's update is never delayed; a busy one costs the browser one
 * message per window instead of one per book delta (each message is a task,
 * an IPC hop and a parse on the page's main thread). Order is kept: every
 * frame to the socket goes through the same queue.
 */
import type { WebSocket } from "ws";
import type { GatewayErrorCode } from "@/lib/gateway/protocol";
import type { ActiveCredential, UpgradeIdentity } from "@/server/gateway/authenticate";
import type { GatewayLimits } from "@/server/gateway/options";
import { TEXT_FRAME, type Topic } from "@/server/gateway/topic";

/** What a user's credential lookup found. */
export type CredentialLookup =
  | { kind: "ok"; credential: ActiveCredential }
  | { kind: "none" }
  | { kind: "unreadable"; message: string }
  | { kind: "failed" };

const OPEN_BRACKET = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE_BRACKET = Buffer.from("]");

export class BrowserSession {
  readonly topics = new Map<string, Topic<BrowserSession>>();
  /** Conflatable topics skipped while lagging; caught up with their latest frame. */
  dirty: Set<Topic<BrowserSession>> | null = null;
  laggingSince = 0;
  alive = true;
  closed = false;
  private tokens: number;
  private lastRefill = Date.now();
  private strikes = 0;
  private strikeWindowStart = Date.now();
  /** Frames are handled one after another (subscribes may wait for a credential lookup). */
  queue: Promise<void> = Promise.resolve();
  /** The user's credential lookup, shared by this socket's subscribes until a change or re-check. */
  credential: Promise<CredentialLookup> | null = null;

  private pending: Array<Buffer | string> = [];
  private pendingBytes = 0;
  private lastWrite = -Infinity;
  private flushTimer: NodeJS.Timeout | null = null;

  /** `batchWindowMs` 0: one WebSocket message per frame (kgw.v1). */
  constructor(
    readonly ws: WebSocket,
    readonly identity: UpgradeIdentity | null,
    private readonly limits: GatewayLimits,
    private readonly batchWindowMs = 0,
  ) {
    this.tokens = limits.frameBurst;
  }

  /** Bytes written but not yet sent: the socket's buffer plus the open batch. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount + this.pendingBytes;
  }

  /**
   * Sends one serialized frame, batched as described above. `urgent` (errors,
   * pongs, the greeting) flushes the batch with it, still in order.
   */
  write(frame: Buffer | string, urgent = false): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const now = performance.now();
    if (
      this.batchWindowMs <= 0 ||
      (this.pending.length === 0 && now - this.lastWrite >= this.batchWindowMs)
    ) {
      this.lastWrite = now;
      this.ws.send(frame, TEXT_FRAME);
      return;
    }
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    if (urgent) this.flush();
    else
      this.flushTimer ??= setTimeout(
        () => this.flush(),
        Math.max(0, this.lastWrite + this.batchWindowMs - now),
      );
  }

  /** Sends the open batch now: one frame as itself, several as a JSON array. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const frames = this.pending;
    if (frames.length === 0) return;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.lastWrite = performance.now();
    if (frames.length === 1) {
      this.ws.send(frames[0]!, TEXT_FRAME);
      return;
    }
    const parts: Buffer[] = [OPEN_BRACKET];
    frames.forEach((frame, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(typeof frame === "string" ? Buffer.from(frame) : frame);
    });
    parts.push(CLOSE_BRACKET);
    this.ws.send(Buffer.concat(parts), TEXT_FRAME);
  }

  /** Drops the open batch (the socket is closing). */
  discard(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Token bucket; false when this frame is over the rate. */
  takeToken(now: number): boolean {
    this.tokens = Math.min(
      this.limits.frameBurst,
      this.tokens + ((now - this.lastRefill) / 1000) * this.limits.framesPerSecond,
    );
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Counts a refused frame; true when the socket has flooded enough to be closed. */
  strike(now: number): boolean {
    if (now - this.strikeWindowStart > 10_000) {
      this.strikeWindowStart = now;
      this.strikes = 0;
    }
    this.strikes += 1;
    return this.strikes > this.limits.floodStrikes;
  }

  /** A control frame (greeting, pong, error): sent now, after anything batched before it. */
  sendJson(frame: Record<string, unknown>): void {
    this.write(JSON.stringify(frame), true);
  }

  sendError(
    code: GatewayErrorCode,
    message: string,
    extra: { topic?: string; field?: string } = {},
  ): void {
    this.sendJson({ type: "error", code, message, ...extra });
  }
}
