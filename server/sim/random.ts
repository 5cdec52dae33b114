/**
 * Seeded pseudo-random numbers for the simulator. Everything random in the
 * simulator (seed data, ids, bots) draws from one of these, so a run with the
 * same `SIM_SEED` produces the same exchange.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (0, 1, 2...) so they don't start in similar states.
    this.state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 0x6d2b79f5;
  }

  /** The generator's whole state, for the journal (persistence/): `restore` continues from it. */
  snapshot(): number {
    return this.state;
  }

  restore(state: number): void {
    this.state = state >>> 0;
  }

  /** Uniform float in [0, 1) (mulberry32). Only for simulation choices, never for money. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick() from an empty list");
    return item;
  }

  /** Standard normal draw (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A version-4-shaped UUID drawn from this generator (deterministic ids under a seed). */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 16; i += 1) hex.push(this.int(0, 255).toString(16).padStart(2, "0"));
    hex[6] = `4${(hex[6] ?? "00").slice(1)}`;
    hex[8] = ((Number.parseInt(hex[8] ?? "0", 16) & 0x3f) | 0x80).toString(16).padStart(2, "0");
    const h = hex.join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
