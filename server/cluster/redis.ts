/**
 * The Redis side of a multi-instance deployment (REDIS_URL): one command
 * connection and one subscriber connection per instance, an instance id, and
 * a channel multiplexer over the subscriber. Everything else in
 * server/cluster builds on this.
 */
import { randomBytes } from "node:crypto";

import { Redis } from "ioredis";

export interface Cluster {
  /** This instance's id (random per process start). */
  readonly id: string;
  /** Key prefix of everything this deployment stores ("kd:"). */
  readonly prefix: string;
  /** Commands (never used for blocking calls or subscriptions). */
  readonly redis: Redis;
  /** Calls `handler` for every message on `channel`; returns the unsubscribe. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  publish(channel: string, message: string): Promise<void>;
  close(): Promise<void>;
  /** Drops both connections without any goodbye, as a killed process would (tests). */
  crashForTests(): void;
}

export async function connectCluster(
  url: string,
  options: { prefix?: string; id?: string } = {},
): Promise<Cluster> {
  const redisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true };
  const redis = new Redis(url, redisOptions);
  const sub = new Redis(url, redisOptions);
  // Errors surface through the commands that fail; reconnects are ioredis's own.
  redis.on("error", () => undefined);
  sub.on("error", () => undefined);
  await Promise.all([redis.connect(), sub.connect()]);
  const handlers = new Map<string, Set<(message: string) => void>>();
  sub.on("message", (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });
  let crashed = false;
  return {
    id: options.id ?? `${process.pid.toString(36)}-${randomBytes(4).toString("hex")}`,
    prefix: options.prefix ?? "kd:",
    redis,
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await sub.subscribe(channel);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(channel);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(channel);
          if (!crashed) await sub.unsubscribe(channel).catch(() => undefined);
        }
      };
    },
    async publish(channel, message) {
      if (crashed) return;
      await redis.publish(channel, message);
    },
    async close() {
      if (crashed) return;
      crashed = true;
      handlers.clear();
      await Promise.allSettled([redis.quit(), sub.quit()]);
    },
    crashForTests() {
      crashed = true;
      handlers.clear();
      redis.disconnect(false);
      sub.disconnect(false);
    },
  };
}
