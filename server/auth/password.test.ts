import { describe, expect, it } from "vitest";

import {
  hashPassword,
  needsRehash,
  PASSWORD_HASH_PARAMS,
  verifyAgainstDummy,
  verifyPassword,
} from "@/server/auth/password";

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

  it("spends real scrypt work on the unknown-user path (timing-safe) and never matches", async () => {
    await verifyAgainstDummy("warm up the dummy hash");
    const started = performance.now();
    expect(await verifyAgainstDummy("dummy password that never matches")).toBe(false);
    const dummyMs = performance.now() - started;
    const stored = await hashPassword("another password");
    const realStarted = performance.now();
    await verifyPassword("wrong guess at it", stored);
    const realMs = performance.now() - realStarted;
    // Same cost parameters: within a generous factor of each other on a busy box.
    expect(dummyMs).toBeGreaterThan(realMs / 4);
  });
});
