/**
 * Password hashing with scrypt (memory-hard), parameters stored in the hash
 * so they can be raised later: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

import { HashGate } from "@/server/auth/hash-gate";
import { getServerConfig } from "@/server/config";

let gate: HashGate | undefined;

/** The process's hash gate (PASSWORD_HASH_CONCURRENCY / PASSWORD_HASH_QUEUE). */
export function passwordHashGate(): HashGate {
  const { limits } = getServerConfig();
  gate ??= new HashGate(limits.hashConcurrency, limits.hashQueue);
  return gate;
}

/** Forgets the gate so the next hash reads the configuration again (tests only). */
export function resetPasswordHashGateForTests(): void {
  gate = undefined;
}

/** N = 2^15, r = 8: 32 MiB and ~50-100 ms per hash on a laptop core (OWASP's scrypt floor is 2^17 at r=8 p=1 with less memory per call; 2^15 keeps a 2-core box responsive). */
export const PASSWORD_HASH_PARAMS = { log2N: 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

type DerivationListener = (params: { log2N: number; r: number; p: number }) => void;
const derivationListeners = new Set<DerivationListener>();

/**
 * Calls `listener` with the parameters of every scrypt derivation from now
 * on (tests count the work each sign-in path does); returns the unsubscribe.
 */
export function observeScryptDerivations(listener: DerivationListener): () => void {
  derivationListeners.add(listener);
  return () => derivationListeners.delete(listener);
}

function scryptAsync(
  password: string,
  salt: Buffer,
  params: { log2N: number; r: number; p: number },
): Promise<Buffer> {
  for (const listener of derivationListeners)
    listener({ log2N: params.log2N, r: params.r, p: params.p });
  const N = 2 ** params.log2N;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs 128·N·r bytes; leave headroom over Node's 32 MiB default.
    maxmem: 256 * N * params.r,
  };
  return passwordHashGate().run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize("NFKC"), salt, HASH_BYTES, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/** Hashes a password for storage. */
export async function hashPassword(
  password: string,
  params: { log2N: number; r: number; p: number } = PASSWORD_HASH_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, params);
  return [
    "scrypt",
    params.log2N,
    params.r,
    params.p,
    salt.toString("base64"),
    hash.toString("base64"),
  ].join("$");
}

interface ParsedHash {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [log2N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // Bounds keep a corrupted row from asking for gigabytes.
  if (
    ![log2N, r, p].every(Number.isInteger) ||
    log2N < 10 ||
    log2N > 20 ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 16
  ) {
    return null;
  }
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const hash = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length < 16 || hash.length !== HASH_BYTES) return null;
  return { log2N, r, p, salt, hash };
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await scryptAsync(password, parsed.salt, parsed);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a stored hash uses weaker parameters than today's and should be replaced after sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return (
    !parsed ||
    parsed.log2N < PASSWORD_HASH_PARAMS.log2N ||
    parsed.r < PASSWORD_HASH_PARAMS.r ||
    parsed.p < PASSWORD_HASH_PARAMS.p
  );
}

/**
 * A well-formed stored hash at today's parameters whose salt and hash are
 * random bytes: checking a password against it costs exactly one derivation,
 * like a real check, and matches with probability 2^-256. Made without any
 * derivation, so even the first unknown-email sign-in costs no extra work.
 */
const DUMMY_HASH = [
  "scrypt",
  PASSWORD_HASH_PARAMS.log2N,
  PASSWORD_HASH_PARAMS.r,
  PASSWORD_HASH_PARAMS.p,
  randomBytes(SALT_BYTES).toString("base64"),
  randomBytes(HASH_BYTES).toString("base64"),
].join("$");

/**
 * Burns the same scrypt work as a real check, for unknown emails, so response
 * time does not reveal whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
