/**
 * Record ids (orders, fills, trades, users, keys...): UUID-shaped, unique per
 * exchange, and cheap. A per-exchange prefix drawn once from the seed plus a
 * counter, instead of 16 random draws and a string build per id: the engine
 * makes two or three ids per trade, so this is on the hot path. The counter is
 * the generator's whole state, which is what the journal records and restores
 * (server/sim/persistence).
 */
import { SeededRandom } from "@/server/sim/random";

/** The last three hex digits of an id, by value (one lookup instead of a number-to-string per id). */
const LOW_DIGITS: readonly string[] = Array.from({ length: 4096 }, (_, i) =>
  i.toString(16).padStart(3, "0"),
);

/** 0-15 for a lowercase hex digit's char code, -1 for anything else. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

export class IdGenerator {
  private counter = 0;
  /** `xxxxxxxx-xxxx-4xxx-yxxx-` from the seed: ids of different seeds never collide in a mixed log. */
  private readonly prefix: string;
  /** A cache: the prefix and the first nine counter digits, which change once per 4,096 ids. */
  private headOf = -1;
  private head = "";

  constructor(seed: number) {
    const random = new SeededRandom((seed ^ 0x1d5eed) | 0);
    const hex = (digits: number) => {
      let out = "";
      for (let i = 0; i < digits; i += 1) out += random.int(0, 15).toString(16);
      return out;
    };
    const variant = (8 + random.int(0, 3)).toString(16);
    this.prefix = `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-`;
  }

  next(): string {
    this.counter += 1;
    const high = Math.floor(this.counter / 4096);
    if (high !== this.headOf) {
      this.headOf = high;
      this.head = this.prefix + high.toString(16).padStart(9, "0");
    }
    return this.head + (LOW_DIGITS[this.counter % 4096] as string);
  }

  /**
   * The counter behind an id of this generator, or null when `id` is not
   * shaped like one (it may still not be an id ever drawn: callers compare).
   */
  numberOf(id: string): number | null {
    const start = this.prefix.length;
    if (id.length !== start + 12 || !id.startsWith(this.prefix)) return null;
    // Only the canonical spelling (12 lowercase hex digits): one string per number, both ways.
    return this.suffixNumber(id);
  }

  /**
   * The number in an id's last 12 characters if they are 12 lowercase hex
   * digits, whatever comes before (no prefix check, which costs more than the
   * rest: for lookups that compare the id they find). Null otherwise.
   */
  suffixNumber(id: string): number | null {
    if (id.length !== this.prefix.length + 12) return null;
    let high = 0;
    let low = 0;
    const end = id.length;
    for (let i = end - 12; i < end - 6; i += 1) {
      const digit = hexDigit(id.charCodeAt(i));
      if (digit < 0) return null;
      high = high * 16 + digit;
    }
    for (let i = end - 6; i < end; i += 1) {
      const digit = hexDigit(id.charCodeAt(i));
      if (digit < 0) return null;
      low = low * 16 + digit;
    }
    return high * 16_777_216 + low;
  }

  /** The id with counter `n` (the inverse of `numberOf`). */
  format(n: number): string {
    return this.prefix + n.toString(16).padStart(12, "0");
  }

  /** How many ids were drawn so far (the generator's state). */
  get drawn(): number {
    return this.counter;
  }

  restore(drawn: number): void {
    this.counter = drawn;
  }
}
