/**
 * The service's own upstream connection, for processes without a gateway
 * (`next start`, a serverless app whose gateway runs elsewhere): the same
 * UpstreamConnection class the gateway uses, holding the feed channels for
 * every market and forwarding everything to the service's tap.
 */
import type { MarketTap } from "@/server/gateway/gateway";
import { DEFAULT_TIMERS } from "@/server/gateway/options";
import {
  ALL_MARKETS,
  UpstreamConnection,
  type UpstreamCredential,
} from "@/server/gateway/upstream";

import type { MarketDataLog } from "./service";

export function startOwnFeed(options: {
  url: string;
  credential: UpstreamCredential;
  tap: MarketTap;
  log: MarketDataLog;
}): UpstreamConnection {
  const { tap } = options;
  const connection = new UpstreamConnection({
    label: "market-data-service",
    url: options.url,
    credential: options.credential,
    timers: DEFAULT_TIMERS,
    log: options.log,
    listener: {
      onConnection: (state) => tap.onConnection(state),
      onSubscribed: (channel, markets) => {
        if (markets.includes(ALL_MARKETS)) tap.onSubscribed(channel);
      },
      onResync: (channel, markets) => {
        if (markets.includes(ALL_MARKETS)) tap.onResync(channel);
      },
      onData: (channel, type, msg) => tap.onData(channel, type, msg),
      onRejected: (channel, _markets, code, message) =>
        options.log("error", { msg: "market-data feed refused", channel, code, message }),
      onRefused: (status) =>
        options.log("error", { msg: "market-data feed credential refused", status }),
    },
  });
  for (const channel of tap.channels) connection.want(channel, ALL_MARKETS);
  return connection;
}
