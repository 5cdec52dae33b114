/** Placeholder: sim-only routes (accounts bootstrap, pauses). */
import type { Hono } from "hono";
import type { SimExchange } from "@/server/sim/exchange";

export function registerSimAdminRoutes(app: Hono, exchange: SimExchange): void {
  void app;
  void exchange;
}
