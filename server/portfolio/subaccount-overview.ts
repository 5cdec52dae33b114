/**
 * The subaccounts page's table: for the primary account and each numbered
 * subaccount, cash, portfolio value, open positions, resting orders and
 * netting, read from the exchange in parallel.
 */
import { MAX_SUBACCOUNTS, type SubaccountOverview } from "@/lib/schemas/subaccount";
import type { KalshiClient } from "@/server/kalshi/client";

import { subaccountNumbers } from "./take-snapshot";

export async function subaccountOverview(
  client: KalshiClient,
  signal?: AbortSignal,
): Promise<SubaccountOverview> {
  const [numbers, netting] = await Promise.all([
    subaccountNumbers(client),
    client.getSubaccountNetting(signal).catch(() => null),
  ]);
  const rows = await Promise.all(
    numbers.map(async (n) => {
      const sub = { subaccount: n };
      const [balance, positions, orders] = await Promise.all([
        client.getBalance(sub, signal),
        client.getPositions({ ...sub, count_filter: "position", limit: 1000 }, signal),
        client.listOrders({ ...sub, status: "resting", limit: 1000 }, signal),
      ]);
      return {
        subaccount_number: n,
        balance_cents: balance.balance,
        portfolio_value_cents: balance.portfolio_value,
        positions_count: positions.market_positions.length,
        resting_orders_count: orders.orders.length,
        netting_enabled:
          netting?.netting_configs.find((c) => c.subaccount_number === n)?.enabled ?? null,
      };
    }),
  );
  return { subaccounts: rows, max_subaccounts: MAX_SUBACCOUNTS };
}
