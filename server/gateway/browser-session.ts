/**
 * One browser socket: its topics, its flood limits (a token bucket and
 * strikes), its catch-up state while lagging, and its credential lookup.
 */
import type { WebSocket } from "ws";
import type { GatewayErrorCode } from "@/lib/gateway/protocol";
import type { ActiveCredential, UpgradeIdentity } from "@/server/gateway/authenticate";
import type { GatewayLimits } from "@/server/gateway/options";
import type { Topic } from "@/server/gateway/topic";

/** What a user's credential lookup found. */
export type CredentialLookup =
  | { kind: "ok"; credential: ActiveCredential }
  | { kind: "none" }
  | { kind: "unreadable"; message: string }
  | { kind: "failed" };

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

  constructor(
    readonly ws: WebSocket,
    readonly identity: UpgradeIdentity | null,
    private readonly limits: GatewayLimits,
  ) {
    this.tokens = limits.frameBurst;
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

  sendJson(frame: Record<string, unknown>): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  sendError(
    code: GatewayErrorCode,
    message: string,
    extra: { topic?: string; field?: string } = {},
  ): void {
    this.sendJson({ type: "error", code, message, ...extra });
  }
}
