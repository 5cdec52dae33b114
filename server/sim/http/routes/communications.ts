/** Placeholder: routes registered by the module owner (simulator part 2). */
import type { RegisterRoutes } from "@/server/sim/http/env";

export const registerCommunicationsRoutes: RegisterRoutes = (app, exchange) => {
  void app;
  void exchange;
};
