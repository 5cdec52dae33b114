/**
 * One snapshot pass for one trader: every subaccount's cash and portfolio
 * value as the exchange reports them, plus the transfers since the previous
 * pass as cash flows, stored in one go.
 */
import type { SnapshotReason } from "@/lib/schemas/portfolio-history";
import type { ActiveCredential } from "@/server/auth/trader-route";
import type { Database } from "@/server/db/client";
import { createKalshiClient, type KalshiClient } from "@/server/kalshi/client";
import { KalshiError } from "@/server/kalshi/errors";
import { lastSnapshotAt, recordSnapshot, type SubaccountReading } from "./equity-store";

/** Subaccount numbers of the account: 0, plus any numbered ones (none below the Advanced tier). */
export async function subaccountNumbers(client: KalshiClient): Promise<number[]> {
  try {
    const answer = await client.getSubaccountBalances();
    const numbers = answer.subaccount_balances.map((row) => row.subaccount_number);
    return numbers.includes(0) ? numbers.sort((a, b) => a - b) : [0, ...numbers];
  } catch (error) {
    if (error instanceof KalshiError && error.status < 500) return [0];
    throw error;
  }
}

/** Net transfers per subaccount created after `since` (cents). */
async function transferFlows(
  client: KalshiClient,
  since: Date | null,
): Promise<Map<number, number>> {
  const flows = new Map<number, number>();
  if (!since) return flows; // the first pass is the baseline: nothing before it is a flow
  const sinceSeconds = Math.floor(since.getTime() / 1000);
  let cursor: string | undefined;
  // Newest first: stop at the first transfer at or before the previous pass.
  for (let page = 0; page < 20; page += 1) {
    const answer = await client.listSubaccountTransfers({ limit: 200, cursor });
    for (const transfer of answer.transfers) {
      if (transfer.created_ts < sinceSeconds) return flows;
      flows.set(
        transfer.from_subaccount,
        (flows.get(transfer.from_subaccount) ?? 0) - transfer.amount_cents,
      );
      flows.set(
        transfer.to_subaccount,
        (flows.get(transfer.to_subaccount) ?? 0) + transfer.amount_cents,
      );
    }
    if (!answer.cursor) break;
    cursor = answer.cursor;
  }
  return flows;
}

export async function takeSnapshot(
  db: Database,
  input: { userId: string; credential: ActiveCredential; reason: SnapshotReason; now?: Date },
): Promise<void> {
  const client = createKalshiClient(input.credential);
  const at = input.now ?? new Date();
  const [numbers, previous] = await Promise.all([
    subaccountNumbers(client),
    lastSnapshotAt(db, input.credential.id),
  ]);
  // A transfer stamped in the same second as the previous pass may be counted by both; the
  // window starts one second after it to count each once.
  const flows = await transferFlows(
    client,
    previous ? new Date(Math.floor(previous.getTime() / 1000) * 1000 + 1000) : null,
  );
  const readings: SubaccountReading[] = await Promise.all(
    numbers.map(async (subaccount) => {
      const balance = await client.getBalance({ subaccount });
      return {
        subaccount,
        cashCents: balance.balance,
        positionsCents: balance.portfolio_value,
        cashFlowCents: flows.get(subaccount) ?? 0,
      };
    }),
  );
  await recordSnapshot(db, {
    userId: input.userId,
    credentialId: input.credential.id,
    at,
    reason: input.reason,
    readings,
  });
}
