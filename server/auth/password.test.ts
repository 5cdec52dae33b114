import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  hashPassword,
  needsRehash,
  observeScryptDerivations,
  PASSWORD_HASH_PARAMS,
  verifyAgainstDummy,
  verifyPassword,
} from "@/server/auth/password";
import {
  authenticateUser,
  createUser,
  findOrCreateOAuthUser,
  verifyUserPassword,
} from "@/server/auth/users";
import { createTestDatabase, type TestDatabase } from "@/server/db/testing";

describe("password hashing", () => {
  it("stores scrypt parameters, a 16-byte salt and the hash, never the password", async () => {
    const stored = await hashPassword("correct horse battery");
    const [scheme, log2N, r, p, salt, hash] = stored.split("$");
    expect(scheme).toBe("scrypt");
    expect([Number(log2N), Number(r), Number(p)]).toEqual([
      PASSWORD_HASH_PARAMS.log2N,
      PASSWORD_HASH_PARAMS.r,
      PASSWORD_HASH_PARAMS.p,
    ]);
    expect(PASSWORD_HASH_PARAMS.log2N).toBeGreaterThanOrEqual(15);
    expect(Buffer.from(salt ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(hash ?? "", "base64")).toHaveLength(32);
    expect(stored).not.toContain("correct horse");
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password!")).not.toBe(await hashPassword("same password!"));
  });

  it("accepts the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterz", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("refuses malformed or absurd stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "plaintext")).toBe(false);
    expect(await verifyPassword("x", "scrypt$40$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$10$8$1$a$b")).toBe(false);
  });

  it("flags hashes made with weaker parameters for rehashing", async () => {
    const weak = await hashPassword("a password here", { log2N: 10, r: 8, p: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(await verifyPassword("a password here", weak)).toBe(true);
    expect(needsRehash(await hashPassword("a password here"))).toBe(false);
  });

  it("never matches on the unknown-user path", async () => {
    expect(await verifyAgainstDummy("dummy password that never matches")).toBe(false);
    expect(await verifyAgainstDummy("")).toBe(false);
  });
});

/**
 * Timing safety as work done, not wall-clock time (bench/password.bench.ts
 * prints the timings): every sign-in path runs the same number of scrypt
 * derivations with the same parameters, so its duration cannot tell an
 * unknown email from a wrong password.
 */
describe("sign-in work per path", () => {
  let db: TestDatabase;
  const derivations: Array<{ log2N: number; r: number; p: number }> = [];
  let stopObserving: () => void = () => undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUser(db.db, { email: "known@example.com", password: "the right password" });
    stopObserving = observeScryptDerivations((params) => derivations.push({ ...params }));
    // A fresh PGlite and a real scrypt hash: slow on a loaded 2-core box.
  }, 180_000);
  afterAll(async () => {
    stopObserving();
    await db.destroy();
  });

  async function workOf(run: () => Promise<unknown>) {
    derivations.length = 0;
    await run();
    return [...derivations];
  }

  it("costs an unknown email exactly what a wrong password costs, from the very first sign-in", async () => {
    const unknown = await workOf(() =>
      authenticateUser(db.db, { email: "nobody@example.com", password: "some guess here" }),
    );
    const wrong = await workOf(() =>
      authenticateUser(db.db, { email: "known@example.com", password: "some guess here" }),
    );
    expect(wrong).toEqual([PASSWORD_HASH_PARAMS]);
    expect(unknown).toEqual(wrong);
    // And again, once anything lazily prepared is in place.
    expect(
      await workOf(() =>
        authenticateUser(db.db, { email: "nobody@example.com", password: "again a guess" }),
      ),
    ).toEqual(wrong);
  });

  it("costs a re-auth of a password-less account what a wrong password costs", async () => {
    const oauth = await findOrCreateOAuthUser(db.db, "oauth@example.com");
    if (!oauth) throw new Error("no OAuth user");
    const known = await authenticateUser(db.db, {
      email: "known@example.com",
      password: "the right password",
    });
    if (!known) throw new Error("no known user");
    const passwordless = await workOf(() => verifyUserPassword(db.db, oauth.id, "a guess"));
    const wrong = await workOf(() => verifyUserPassword(db.db, known.id, "a guess"));
    expect(passwordless).toEqual(wrong);
    expect(wrong).toHaveLength(1);
  });
});
