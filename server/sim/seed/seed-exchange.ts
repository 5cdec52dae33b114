/** Placeholder until the seeded data module lands: an exchange with no markets. */
import type { SimExchange } from "@/server/sim/exchange";

export function seedExchange(exchange: SimExchange): void {
  void exchange;
}
