/**
 * Sign-in timing per path: how long a password check takes for a known
 * account with a wrong password, and for an unknown email (the dummy check).
 * The unit test (server/auth/password.test.ts) proves both paths do the same
 * scrypt work; this prints what that work costs in time on this machine.
 *
 *   npx tsx bench/password.bench.ts [rounds=10]
 *
 * Prints figures only; nothing here asserts a timing.
 */
import { hashPassword, verifyAgainstDummy, verifyPassword } from "@/server/auth/password";

const rounds = Number(process.argv[2] ?? 10);

async function time(label: string, run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up: lazy OpenSSL setup is not part of the figure
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  const min = samples[0] ?? 0;
  const max = samples[samples.length - 1] ?? 0;
  console.log(
    `  ${label.padEnd(30)} median ${median.toFixed(1).padStart(7)} ms  (min ${min.toFixed(1)}, max ${max.toFixed(1)})`,
  );
  return samples;
}

async function main() {
  console.log(`password: scrypt check per sign-in path, ${rounds} rounds each`);
  const stored = await hashPassword("the right password");
  const wrong = await time("known email, wrong password", () =>
    verifyPassword("a wrong guess", stored),
  );
  const unknown = await time("unknown email (dummy check)", () =>
    verifyAgainstDummy("a wrong guess"),
  );
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? 0;
  console.log(`  unknown / wrong median ratio     ${(median(unknown) / median(wrong)).toFixed(2)}`);
}

void main();
