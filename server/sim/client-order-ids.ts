/**
 * Client order ids in use, per user: Kalshi refuses a `client_order_id` the
 * user already used (while the order that used it is in memory).
 *
 * Ids a client chose are kept by string. The id the engine makes for an order
 * placed without one is not stored at all: it is drawn just before the order's
 * own id, so the order numbered n + 1 in the order table is the one that uses
 * id n, if that is still its client order id. A freshly drawn id is new by
 * construction, so the check on every order placed without an id is at most
 * one lookup in the (usually empty) table of chosen ids, and nothing is added
 * or removed per order: what was three hash-table operations on 36-character
 * strings per order (check, add, evict) is none. An order renamed away from a
 * made id keeps that id reserved, as a chosen one.
 */
import type { IdGenerator } from "@/server/sim/ids";
import type { OrderRecord } from "@/server/sim/model";
import type { OrderTable } from "@/server/sim/order-table";

export class ClientOrderIds {
  /** User id → chosen client order id → order id. */
  private readonly chosen = new Map<string, Map<string, string>>();

  constructor(
    private readonly ids: IdGenerator,
    private readonly orders: OrderTable,
  ) {}

  /** The order id that uses `clientOrderId` for `userId`, if any. */
  get(userId: string, clientOrderId: string): string | undefined {
    const chosen = this.chosen.get(userId)?.get(clientOrderId);
    if (chosen !== undefined) return chosen;
    const made = this.madeUser(clientOrderId);
    return made !== undefined && made.userId === userId ? made.orderId : undefined;
  }

  has(userId: string, clientOrderId: string): boolean {
    return this.get(userId, clientOrderId) !== undefined;
  }

  /** Whether an id the engine just made is in use: only if a client chose that same string. */
  hasMade(userId: string, clientOrderId: string): boolean {
    const chosen = this.chosen.get(userId);
    return chosen !== undefined && chosen.has(clientOrderId);
  }

  /** Records a client-chosen id (or one an order is renamed to or from). */
  set(userId: string, clientOrderId: string, orderId: string): void {
    let chosen = this.chosen.get(userId);
    if (!chosen) {
      chosen = new Map();
      this.chosen.set(userId, chosen);
    }
    chosen.set(clientOrderId, orderId);
  }

  /** Frees the id `order` uses now (its order left memory); a made one needs nothing. */
  release(order: OrderRecord): void {
    const chosen = this.chosen.get(order.userId);
    if (!chosen?.delete(order.clientOrderId)) return;
    if (chosen.size === 0) this.chosen.delete(order.userId);
  }

  /** The order whose engine-made client order id is `clientOrderId`, if it is in memory. */
  private madeUser(clientOrderId: string): OrderRecord | undefined {
    const n = this.ids.numberOf(clientOrderId);
    if (n === null) return undefined;
    const order = this.orders.getNumber(n + 1);
    return order !== undefined && order.clientOrderId === clientOrderId ? order : undefined;
  }

  /** Whether `order` uses an id the engine made for it. */
  private usesMade(order: OrderRecord): boolean {
    return (
      this.madeUser(order.clientOrderId) === order &&
      this.chosen.get(order.userId)?.has(order.clientOrderId) !== true
    );
  }

  /** `[${userId}|${clientOrderId}, orderId]` pairs: chosen ids, then made ones in order (tests; O(orders)). */
  *entries(): IterableIterator<[string, string]> {
    for (const [userId, chosen] of this.chosen) {
      for (const [clientOrderId, orderId] of chosen) yield [`${userId}|${clientOrderId}`, orderId];
    }
    for (const order of this.orders.values()) {
      if (this.usesMade(order)) yield [`${order.userId}|${order.clientOrderId}`, order.orderId];
    }
  }

  /** Ids in use across all users (tests; O(orders)). */
  get size(): number {
    let count = 0;
    for (const chosen of this.chosen.values()) count += chosen.size;
    for (const order of this.orders.values()) if (this.usesMade(order)) count += 1;
    return count;
  }
}
