/** Placeholder until the WebSocket module lands. */
import type { Server } from "node:http";
import type { SimExchange } from "@/server/sim/exchange";

export const WS_PATH = "/trade-api/ws/v2";

export function attachSimWebSocket(server: Server, exchange: SimExchange): { close(): Promise<void> } {
  void server;
  void exchange;
  return { close: async () => {} };
}
