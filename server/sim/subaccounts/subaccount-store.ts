/**
 * Subaccounts (getting_started/subaccounts.md): numbered buckets 1–63 beside
 * the primary (0), each with its own cash and positions (the engine already
 * keys balances and positions by subaccount). This module owns what the
 * engine does not: creating them, cash transfers between them with their
 * history, and the per-subaccount netting setting.
 *
 * Transfers and netting live beside the exchange state (one store per
 * SimState) so SimState carries no subaccount-only fields.
 */
import { centsToMicros, formatDollars, type Micros } from "@/lib/fixed-point";
import { SimError, simErrors } from "@/server/sim/errors";
import type { UserRecord } from "@/server/sim/model";
import { effectiveTier, USAGE_TIERS } from "@/server/sim/rate-limit/tiers";
import { statePart, type SimState } from "@/server/sim/state";

/** create-subaccount.md: "Maximum 63 numbered subaccounts per user (64 including the primary account)." */
export const MAX_SUBACCOUNT_NUMBER = 63;
/** create-subaccount.md: "available to all users on the Advanced API tier and above". */
function tierAllowsSubaccounts(tier: string): boolean {
  return USAGE_TIERS.indexOf(effectiveTier(tier)) >= USAGE_TIERS.indexOf("advanced");
}

export interface SubaccountTransferRecord {
  transferId: string;
  userId: string;
  clientTransferId: string;
  fromSubaccount: number;
  toSubaccount: number;
  amountCents: number;
  createdTime: number;
}

interface Store {
  /** Newest last. */
  transfers: SubaccountTransferRecord[];
  /** `${userId}|${clientTransferId}`: a retried transfer is refused, not applied twice. */
  clientTransferIds: Set<string>;
  /** `${userId}|${subaccount}` → netting enabled; absent = enabled (the default). */
  netting: Map<string, boolean>;
}

const STORE = statePart<Store>("subaccounts", () => ({
  transfers: [],
  clientTransferIds: new Set(),
  netting: new Map(),
}));

function store(state: SimState): Store {
  return state.part(STORE);
}

export const subaccountErrors = {
  limitReached: () =>
    new SimError(
      400,
      "SUBACCOUNT_LIMIT_REACHED",
      `at most ${MAX_SUBACCOUNT_NUMBER} numbered subaccounts per user; all are in use`,
    ),
  tierTooLow: (tier: string) =>
    new SimError(
      400,
      "invalid_parameters",
      `subaccounts need the Advanced API tier or above; this account is on ${tier}`,
    ),
  doesNotExist: (field: string, subaccount: number) =>
    simErrors.invalidParameters(`${field}: subaccount ${subaccount} does not exist`),
  duplicateTransfer: (clientTransferId: string) =>
    new SimError(
      409,
      "TRANSFER_ALREADY_EXISTS",
      `client_transfer_id ${clientTransferId} was already used`,
    ),
} as const;

/** Whether `subaccount` exists for the user (0 always does). */
export function subaccountExists(user: UserRecord, subaccount: number): boolean {
  return Number.isInteger(subaccount) && subaccount >= 0 && subaccount <= user.subaccountCount;
}

/** Creates the next numbered subaccount (1, 2, ...) with zero cash; returns its number. */
export function createSubaccount(state: SimState, user: UserRecord): number {
  if (!tierAllowsSubaccounts(user.tier)) throw subaccountErrors.tierTooLow(user.tier);
  if (user.subaccountCount >= MAX_SUBACCOUNT_NUMBER) throw subaccountErrors.limitReached();
  user.subaccountCount += 1;
  const number = user.subaccountCount;
  if (!user.balances.has(number)) user.balances.set(number, 0);
  state.touchUserData();
  return number;
}

export interface TransferInput {
  clientTransferId: string;
  fromSubaccount: number;
  toSubaccount: number;
  amountCents: number;
}

/**
 * Moves free cash between two of the user's subaccounts. Refused (nothing
 * changes) when either side does not exist, both are the same, the amount is
 * more than the source's free cash, or the client_transfer_id was used.
 */
export function transferBetweenSubaccounts(
  state: SimState,
  user: UserRecord,
  input: TransferInput,
): SubaccountTransferRecord {
  const s = store(state);
  const key = `${user.userId}|${input.clientTransferId}`;
  if (s.clientTransferIds.has(key))
    throw subaccountErrors.duplicateTransfer(input.clientTransferId);
  if (!subaccountExists(user, input.fromSubaccount))
    throw subaccountErrors.doesNotExist("from_subaccount", input.fromSubaccount);
  if (!subaccountExists(user, input.toSubaccount))
    throw subaccountErrors.doesNotExist("to_subaccount", input.toSubaccount);
  if (input.fromSubaccount === input.toSubaccount) {
    throw simErrors.invalidParameters("to_subaccount: must differ from from_subaccount");
  }
  const amount: Micros = centsToMicros(input.amountCents);
  const available = state.balance(user, input.fromSubaccount);
  if (amount > available) {
    throw new SimError(
      400,
      "INSUFFICIENT_BALANCE",
      `insufficient balance: subaccount ${input.fromSubaccount} has $${formatDollars(Math.max(available, 0), 2)} ` +
        `available, the transfer needs $${formatDollars(amount, 2)}`,
    );
  }
  state.adjustBalance(user, input.fromSubaccount, -amount);
  state.adjustBalance(user, input.toSubaccount, amount);
  const record: SubaccountTransferRecord = {
    transferId: state.newId(),
    userId: user.userId,
    clientTransferId: input.clientTransferId,
    fromSubaccount: input.fromSubaccount,
    toSubaccount: input.toSubaccount,
    amountCents: input.amountCents,
    createdTime: state.now(),
  };
  s.transfers.push(record);
  s.clientTransferIds.add(key);
  state.touchUserData();
  return record;
}

/** The user's transfers, newest first. */
export function listSubaccountTransfers(
  state: SimState,
  userId: string,
): SubaccountTransferRecord[] {
  const out: SubaccountTransferRecord[] = [];
  const { transfers } = store(state);
  for (let i = transfers.length - 1; i >= 0; i -= 1) {
    const transfer = transfers[i];
    if (transfer && transfer.userId === userId) out.push(transfer);
  }
  return out;
}

/** Netting setting of every existing subaccount, 0 first. */
export function nettingConfigs(
  state: SimState,
  user: UserRecord,
): Array<{ subaccount: number; enabled: boolean }> {
  const { netting } = store(state);
  const out = [];
  for (let n = 0; n <= user.subaccountCount; n += 1) {
    out.push({ subaccount: n, enabled: netting.get(`${user.userId}|${n}`) ?? true });
  }
  return out;
}

/** Sets netting for one existing subaccount. */
export function setNetting(
  state: SimState,
  user: UserRecord,
  subaccount: number,
  enabled: boolean,
): void {
  if (!subaccountExists(user, subaccount))
    throw subaccountErrors.doesNotExist("subaccount_number", subaccount);
  store(state).netting.set(`${user.userId}|${subaccount}`, enabled);
  state.touchUserData();
}
