/**
 * The exchange's orders by order id, in arrival order, with the Map methods
 * the simulator uses. Order ids come from the exchange's IdGenerator, so the
 * table keys them by the id's number instead of the 36-character string: no
 * string to hash on every insert, lookup and eviction, and compact small
 * integer keys (the engine adds, finds and evicts an order for nearly every
 * operation). The engine hands over the number it drew; a lookup by string
 * reads the number from the id's last digits and then compares the whole id
 * with the order's, so any other string misses. An id that is not this
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
    const n = this.ids.suffixNumber(orderId);
    const order = n === null ? undefined : this.byNumber.get(n);
    if (order !== undefined && order.orderId === orderId) return order;
    return this.byString.size === 0 ? undefined : this.byString.get(orderId);
  }

  /** The order whose id has number `n`, if in memory. */
  getNumber(n: number): OrderRecord | undefined {
    return this.byNumber.get(n);
  }

  has(orderId: string): boolean {
    return this.get(orderId) !== undefined;
  }

  /** Adds an order; `drawn` is its id's number when the caller knows it (it just drew the id). */
  set(orderId: string, order: OrderRecord, drawn?: number): this {
    const n = drawn ?? this.ids.numberOf(orderId);
    if (n === null) this.byString.set(orderId, order);
    else this.byNumber.set(n, order);
    return this;
  }

  delete(orderId: string): boolean {
    const n = this.ids.suffixNumber(orderId);
    const order = n === null ? undefined : this.byNumber.get(n);
    if (n !== null && order !== undefined && order.orderId === orderId) {
      return this.byNumber.delete(n);
    }
    return this.byString.delete(orderId);
  }

  /** Oldest first, with each order's id number (null: kept by string); for eviction. */
  *numbered(): IterableIterator<[number | null, OrderRecord]> {
    yield* this.byNumber.entries();
    for (const order of this.byString.values()) yield [null, order];
  }

  /** Removes the order with id number `n` (from `numbered`). */
  deleteNumber(n: number | null, order: OrderRecord): void {
    if (n === null) this.byString.delete(order.orderId);
    else this.byNumber.delete(n);
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
