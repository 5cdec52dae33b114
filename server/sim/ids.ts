/**
 * Record ids (orders, fills, trades, users, keys...): UUID-shaped, unique per
 * exchange, and cheap. A per-exchange prefix drawn once from the seed plus a
 * counter, instead of 16 random draws and a string build per id: the engine
 * makes two or three ids per trade, so this is on the hot path. The counter is
 * the generator's whole state, which is what the journal records and restores
 * (server/sim/persistence).
 */
import { SeededRandom } from "@/server/sim/random";

export class IdGenerator {
  private counter = 0;
  /** `xxxxxxxx-xxxx-4xxx-yxxx-` from the seed: ids of different seeds never collide in a mixed log. */
  private readonly prefix: string;

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
    return this.prefix + this.counter.toString(16).padStart(12, "0");
  }

  /** How many ids were drawn so far (the generator's state). */
  get drawn(): number {
    return this.counter;
  }

  restore(drawn: number): void {
    this.counter = drawn;
  }
}
