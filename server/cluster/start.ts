/**
 * Several app instances on one Redis (REDIS_URL). server/main.ts calls
 * `startCluster` before the gateway starts and hands the gateway what it
 * returns:
 *
 * - `connectionFactory`: every upstream connection (market data, and one per
 *   user credential) becomes a SharedUpstream: one real connection across the
 *   cluster, owned by one instance (Redis lock, taken over when it lapses),
 *   its messages relayed to every instance that wants them.
 * - `marketTap`: the market-data service's channels; the service itself is fed
 *   by ClusterMarketData (leader loads and publishes, followers apply, a new
 *   instance starts from the leader's snapshot).
 * - `claimTicket`: gateway tickets are single-use across instances.
 * - Session revocations and credential changes reach the other instances'
 *   gateways (sockets of a signed-out session close everywhere).
 *
 * Sessions need nothing more: they are signed cookies checked against the
 * shared database on any instance.
 */
import { z } from "zod";

import {
  emitSessionsRevokedLocally,
  setSessionRevocationRelay,
} from "@/server/auth/session-events";
import {
  notifyCredentialChangeLocally,
  setCredentialChangeRelay,
} from "@/server/credentials/credential-events";
import type { MarketTap } from "@/server/gateway/gateway";
import type { FeedConnectionFactory } from "@/server/gateway/upstream";
import type { MarketDataLog, MarketDataService } from "@/server/market-data/service";

import { ClusterMarketData } from "./market-data";
import { connectCluster, type Cluster } from "./redis";
import { SharedUpstream } from "./shared-upstream";

export interface ClusterRuntime {
  cluster: Cluster;
  connectionFactory: FeedConnectionFactory;
  /** The gateway's market tap (undefined when the market-data service is off). */
  marketTap: MarketTap | undefined;
  marketData: ClusterMarketData | null;
  claimTicket(jti: string, expiresAt: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  url: string;
  service: MarketDataService | null;
  log: MarketDataLog;
  /** Lock lifetime and heartbeat of shared connections (tests shorten them). */
  ttlMs?: number;
  heartbeatMs?: number;
  /** Key prefix (tests isolate runs). */
  prefix?: string;
}

const EventWire = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("sessions"),
    from: z.string(),
    userId: z.string(),
    revoked: z.union([
      z.object({ all: z.literal(true) }),
      z.object({ all: z.literal(false), sessionIds: z.array(z.string()) }),
    ]),
  }),
  z.object({ kind: z.literal("credential"), from: z.string(), userId: z.string() }),
]);

export async function startCluster(options: ClusterOptions): Promise<ClusterRuntime> {
  const cluster = await connectCluster(options.url, { prefix: options.prefix });
  const marketData = options.service
    ? new ClusterMarketData(cluster, options.service, options.log)
    : null;

  const connectionFactory: FeedConnectionFactory = (spec) => {
    const isMarketData = spec.key === "market-data";
    const shared = new SharedUpstream({
      cluster,
      spec,
      ttlMs: options.ttlMs,
      heartbeatMs: options.heartbeatMs,
      ...(isMarketData && marketData ? marketData.hooks() : {}),
    });
    if (isMarketData) marketData?.attach(shared);
    return shared;
  };

  // Revocations and credential changes made here reach the other instances.
  const events = `${cluster.prefix}events`;
  setSessionRevocationRelay((userId, revoked) => {
    void cluster.publish(
      events,
      JSON.stringify({ kind: "sessions", from: cluster.id, userId, revoked }),
    );
  });
  setCredentialChangeRelay((userId) => {
    void cluster.publish(events, JSON.stringify({ kind: "credential", from: cluster.id, userId }));
  });
  const stopEvents = await cluster.subscribe(events, (text) => {
    let event: z.infer<typeof EventWire>;
    try {
      event = EventWire.parse(JSON.parse(text));
    } catch {
      return;
    }
    if (event.from === cluster.id) return;
    if (event.kind === "sessions") emitSessionsRevokedLocally(event.userId, event.revoked);
    else notifyCredentialChangeLocally(event.userId);
  });

  return {
    cluster,
    connectionFactory,
    marketTap: marketData?.tap,
    marketData,
    async claimTicket(jti, expiresAt) {
      const ttl = Math.max(1, expiresAt - Date.now());
      const set = await cluster.redis
        .set(`${cluster.prefix}ticket:${jti}`, "1", "PX", ttl, "NX")
        .catch(() => null);
      return set === "OK";
    },
    async close() {
      setSessionRevocationRelay(null);
      setCredentialChangeRelay(null);
      await stopEvents().catch(() => undefined);
      await cluster.close();
    },
  };
}
