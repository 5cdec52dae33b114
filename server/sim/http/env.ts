/** Hono typing shared by the simulator's route modules. */
import type { Hono } from "hono";
import type { Authenticated } from "@/server/sim/auth/signature";
import type { SimExchange } from "@/server/sim/exchange";

export interface SimEnv {
  Variables: {
    /** Set by the auth middleware on private routes. */
    auth: Authenticated;
  };
}

export type SimApp = Hono<SimEnv>;

/** Every route module registers itself with this signature. */
export type RegisterRoutes = (app: SimApp, exchange: SimExchange) => void;
