/** Placeholder: routes registered by the module owner. */
import type { RegisterRoutes } from "@/server/sim/http/env";

export const registerMarketDataRoutes: RegisterRoutes = (app, exchange) => {
  void app;
  void exchange;
};
