/**
 * Client order ids in use, per user: Kalshi refuses a `client_order_id` the
 * user already used. The engine makes one (an id of the exchange's own shape)
 * for every order placed without; those are kept by the number it drew, so the
 * check on every order is a small-integer lookup, not the hashing of a fresh
 * 36-character string. Ids a client chose are kept by string (whatever their
 * shape), and each kind of lookup also consults the other table, so the two
 * together answer exactly as one table of strings would.
 */
import type { IdGenerator } from "@/server/sim/ids";
import type { OrderRecord } from "@/server/sim/model";

interface UserIds {
  /** Engine-made ids, by number → order id. */
  made: Map<number, string>;
  /** Client-chosen ids → order id. */
  chosen: Map<string, string>;
}

export class ClientOrderIds {
  private readonly byUser = new Map<string, UserIds>();
  private count = 0;

  constructor(private readonly ids: IdGenerator) {}

  /** Ids in use across all users. */
  get size(): number {
    return this.count;
  }

  private user(userId: string): UserIds {
    let user = this.byUser.get(userId);
    if (!user) {
      user = { made: new Map(), chosen: new Map() };
      this.byUser.set(userId, user);
    }
    return user;
  }

  /** The order id that uses `clientOrderId` for `userId`, if any. */
  get(userId: string, clientOrderId: string): string | undefined {
    const user = this.byUser.get(userId);
    if (!user) return undefined;
    const chosen = user.chosen.get(clientOrderId);
    if (chosen !== undefined || user.made.size === 0) return chosen;
    const n = this.ids.numberOf(clientOrderId);
    return n === null ? undefined : user.made.get(n);
  }

  has(userId: string, clientOrderId: string): boolean {
    return this.get(userId, clientOrderId) !== undefined;
  }

  /** Whether the engine-made id `clientOrderId` (number `n`, just drawn) is in use. */
  hasMade(userId: string, n: number, clientOrderId: string): boolean {
    const user = this.byUser.get(userId);
    if (!user) return false;
    return user.made.has(n) || (user.chosen.size > 0 && user.chosen.has(clientOrderId));
  }

  /** Records a client-chosen id (or an id renamed to). */
  set(userId: string, clientOrderId: string, orderId: string): void {
    const { chosen } = this.user(userId);
    const before = chosen.size;
    chosen.set(clientOrderId, orderId);
    this.count += chosen.size - before;
  }

  /** Records an engine-made id by its number. */
  setMade(userId: string, n: number, orderId: string): void {
    const { made } = this.user(userId);
    const before = made.size;
    made.set(n, orderId);
    this.count += made.size - before;
  }

  /**
   * Frees the id `order` uses now (its order left memory). `orderNumber` is
   * the order's id number: an engine-made client order id is drawn just
   * before the order id, so it is tried first; anything else is looked up.
   */
  release(order: OrderRecord, orderNumber: number | null): void {
    const user = this.byUser.get(order.userId);
    if (!user) return;
    if (user.chosen.size > 0 && user.chosen.delete(order.clientOrderId)) {
      this.count -= 1;
    } else {
      let n = orderNumber === null ? null : orderNumber - 1;
      if (n === null || user.made.get(n) !== order.orderId) {
        n = this.ids.numberOf(order.clientOrderId);
      }
      if (n !== null && user.made.get(n) === order.orderId) {
        user.made.delete(n);
        this.count -= 1;
      }
    }
    if (user.made.size === 0 && user.chosen.size === 0) this.byUser.delete(order.userId);
  }

  /** `[${userId}|${clientOrderId}, orderId]` pairs (tests, diagnostics). */
  *entries(): IterableIterator<[string, string]> {
    for (const [userId, user] of this.byUser) {
      for (const [n, orderId] of user.made) yield [`${userId}|${this.ids.format(n)}`, orderId];
      for (const [clientOrderId, orderId] of user.chosen) yield [`${userId}|${clientOrderId}`, orderId];
    }
  }
}
