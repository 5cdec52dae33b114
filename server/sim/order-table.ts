/**
 * The exchange's orders by order id, in arrival order, with the Map methods
 * the simulator uses. Order ids come from the exchange's IdGenerator, so the
 * table keys them by the id's number instead of the 36-character string: no
 * string to hash on every insert, lookup and eviction, and compact small
 * integer keys (the engine adds, finds and evicts an order for nearly every
 * operation). A lookup checks the stored order's id, so a string that only
 * parses to a known number is still a miss. An id that is not this
 * generator's (none today) is kept by its string.
 */
import type { IdGenerator } from "@/server/sim/ids";
import type { OrderRecord } from "@/server/sim/model";

export class OrderTable implements Iterable<[string, OrderRecord]> {
  private readonly byNumber = new Map<number, OrderRecord>();
  private readonly byString = new Map<string, OrderRecord>();

  constructor(private readonly ids: IdGenerator) {}

  get size(): number {
    return this.byNumber.size + this.byString.size;
  }

  get(orderId: string): OrderRecord | undefined {
    const n = this.ids.numberOf(orderId);
    if (n === null) return this.byString.get(orderId);
    const order = this.byNumber.get(n);
    return order !== undefined && order.orderId === orderId ? order : undefined;
  }

  has(orderId: string): boolean {
    return this.get(orderId) !== undefined;
  }

  set(orderId: string, order: OrderRecord): this {
    const n = this.ids.numberOf(orderId);
    if (n === null) this.byString.set(orderId, order);
    else this.byNumber.set(n, order);
    return this;
  }

  delete(orderId: string): boolean {
    const n = this.ids.numberOf(orderId);
    if (n === null) return this.byString.delete(orderId);
    const order = this.byNumber.get(n);
    return order !== undefined && order.orderId === orderId && this.byNumber.delete(n);
  }

  values(): IterableIterator<OrderRecord> {
    // The usual case (every id is this generator's): the Map's own iterator, no generator frames.
    if (this.byString.size === 0) return this.byNumber.values();
    return this.allValues();
  }

  private *allValues(): IterableIterator<OrderRecord> {
    yield* this.byNumber.values();
    yield* this.byString.values();
  }

  *keys(): IterableIterator<string> {
    for (const order of this.values()) yield order.orderId;
  }

  *entries(): IterableIterator<[string, OrderRecord]> {
    for (const order of this.values()) yield [order.orderId, order];
  }

  [Symbol.iterator](): IterableIterator<[string, OrderRecord]> {
    return this.entries();
  }
}
