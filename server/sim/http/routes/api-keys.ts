/** Placeholder: routes registered by the module owner. */
import type { RegisterRoutes } from "@/server/sim/http/env";

export const registerApiKeyRoutes: RegisterRoutes = (app, exchange) => {
  void app;
  void exchange;
};
