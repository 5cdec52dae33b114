/**
 * Client order ids in use, per user: Kalshi refuses a `client_order_id` the
 * user already used. Kept per user so the check on every order is two lookups
 * with strings the caller already holds, instead of building, flattening and
 * hashing a `${userId}|${clientOrderId}` key in one exchange-wide table.
 */
export class ClientOrderIds {
  private readonly byUser = new Map<string, Map<string, string>>();
  private count = 0;

  /** Ids in use across all users. */
  get size(): number {
    return this.count;
  }

  /** The order id that uses `clientOrderId` for `userId`, if any. */
  get(userId: string, clientOrderId: string): string | undefined {
    return this.byUser.get(userId)?.get(clientOrderId);
  }

  has(userId: string, clientOrderId: string): boolean {
    return this.byUser.get(userId)?.has(clientOrderId) === true;
  }

  set(userId: string, clientOrderId: string, orderId: string): void {
    let ids = this.byUser.get(userId);
    if (!ids) {
      ids = new Map();
      this.byUser.set(userId, ids);
    }
    const before = ids.size;
    ids.set(clientOrderId, orderId);
    this.count += ids.size - before;
  }

  delete(userId: string, clientOrderId: string): boolean {
    const ids = this.byUser.get(userId);
    if (!ids?.delete(clientOrderId)) return false;
    this.count -= 1;
    if (ids.size === 0) this.byUser.delete(userId);
    return true;
  }

  /** `[${userId}|${clientOrderId}, orderId]` pairs (tests, diagnostics). */
  *entries(): IterableIterator<[string, string]> {
    for (const [userId, ids] of this.byUser) {
      for (const [clientOrderId, orderId] of ids) yield [`${userId}|${clientOrderId}`, orderId];
    }
  }
}
