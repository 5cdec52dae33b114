/**
 * Client order ids in use, per user: Kalshi refuses a `client_order_id` the
 * user already used. Kept per user, and an id shaped like the exchange's own
 * (the engine makes one for every order placed without) by its number, so the
 * check on every order is a lookup of a small integer, not the hashing of a
 * fresh 36-character string.
 */
import type { IdGenerator } from "@/server/sim/ids";

interface UserIds {
  /** Ids of the exchange's shape, by number → order id. */
  numbered: Map<number, string>;
  /** Any other id → order id. */
  named: Map<string, string>;
}

export class ClientOrderIds {
  private readonly byUser = new Map<string, UserIds>();
  private count = 0;

  constructor(private readonly ids: IdGenerator) {}

  /** Ids in use across all users. */
  get size(): number {
    return this.count;
  }

  /** The order id that uses `clientOrderId` for `userId`, if any. */
  get(userId: string, clientOrderId: string): string | undefined {
    const user = this.byUser.get(userId);
    if (!user) return undefined;
    const n = this.ids.numberOf(clientOrderId);
    return n === null ? user.named.get(clientOrderId) : user.numbered.get(n);
  }

  has(userId: string, clientOrderId: string): boolean {
    return this.get(userId, clientOrderId) !== undefined;
  }

  set(userId: string, clientOrderId: string, orderId: string): void {
    let user = this.byUser.get(userId);
    if (!user) {
      user = { numbered: new Map(), named: new Map() };
      this.byUser.set(userId, user);
    }
    const n = this.ids.numberOf(clientOrderId);
    const table: Map<number, string> | Map<string, string> =
      n === null ? user.named : user.numbered;
    const before = table.size;
    if (n === null) user.named.set(clientOrderId, orderId);
    else user.numbered.set(n, orderId);
    this.count += table.size - before;
  }

  delete(userId: string, clientOrderId: string): boolean {
    const user = this.byUser.get(userId);
    if (!user) return false;
    const n = this.ids.numberOf(clientOrderId);
    const deleted = n === null ? user.named.delete(clientOrderId) : user.numbered.delete(n);
    if (!deleted) return false;
    this.count -= 1;
    if (user.numbered.size === 0 && user.named.size === 0) this.byUser.delete(userId);
    return true;
  }

  /** `[${userId}|${clientOrderId}, orderId]` pairs (tests, diagnostics). */
  *entries(): IterableIterator<[string, string]> {
    for (const [userId, user] of this.byUser) {
      for (const [n, orderId] of user.numbered) yield [`${userId}|${this.ids.format(n)}`, orderId];
      for (const [clientOrderId, orderId] of user.named)
        yield [`${userId}|${clientOrderId}`, orderId];
    }
  }
}
