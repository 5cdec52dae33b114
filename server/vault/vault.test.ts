import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  masterKeyCheck,
  matchesCheck,
  parseMasterKey,
  rewrap,
  seal,
  unseal,
  VaultError,
  type SealedSecret,
} from "@/server/vault/vault";

const master = { key: randomBytes(32), version: 1 };
const binding = { userId: "7b0f1a52-6f7e-4c3c-9a55-6f1f3e0e1a01", apiKeyId: "key-abc" };
const secret = Buffer.from(
  "-----BEGIN PRIVATE KEY-----\nsecret material\n-----END PRIVATE KEY-----\n",
);

function flipByte(base64: string, index = 0): string {
  const bytes = Buffer.from(base64, "base64");
  bytes[index % bytes.length] = (bytes[index % bytes.length] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

function expectVaultError(fn: () => unknown, code: VaultError["code"]): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe(code);
    return;
  }
  throw new Error("expected a VaultError, but it opened");
}

describe("vault", () => {
  it("round-trips a secret and never stores it in the clear", () => {
    const sealed = seal(master, secret, binding);
    expect(JSON.stringify(sealed)).not.toContain("secret material");
    expect(Buffer.from(sealed.ciphertext, "base64").includes(Buffer.from("secret material"))).toBe(
      false,
    );
    expect(sealed.keyVersion).toBe(1);
    expect(unseal(master, sealed, binding).equals(secret)).toBe(true);
  });

  it("uses a fresh data key and nonce per record", () => {
    const a = seal(master, secret, binding);
    const b = seal(master, secret, binding);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.iv).not.toBe(b.iv);
    expect(a.wrappedDataKey).not.toBe(b.wrappedDataKey);
  });

  const tamperings: Array<[string, (s: SealedSecret) => SealedSecret]> = [
    ["ciphertext", (s) => ({ ...s, ciphertext: flipByte(s.ciphertext, 5) })],
    ["auth tag", (s) => ({ ...s, authTag: flipByte(s.authTag, 3) })],
    ["iv", (s) => ({ ...s, iv: flipByte(s.iv) })],
    ["wrapped data key (nonce)", (s) => ({ ...s, wrappedDataKey: flipByte(s.wrappedDataKey, 0) })],
    ["wrapped data key (body)", (s) => ({ ...s, wrappedDataKey: flipByte(s.wrappedDataKey, 20) })],
    ["wrapped data key (tag)", (s) => ({ ...s, wrappedDataKey: flipByte(s.wrappedDataKey, 59) })],
    [
      "truncated tag",
      (s) => ({
        ...s,
        authTag: Buffer.from(s.authTag, "base64").subarray(0, 8).toString("base64"),
      }),
    ],
    ["empty ciphertext", (s) => ({ ...s, ciphertext: "" })],
  ];
  it.each(tamperings)("fails closed when the %s is altered", (_name, tamper) => {
    const sealed = tamper(seal(master, secret, binding));
    expectVaultError(() => unseal(master, sealed, binding), "tampered");
  });

  it("fails closed when the record is moved to another user or key id (AAD)", () => {
    const sealed = seal(master, secret, binding);
    expectVaultError(
      () => unseal(master, sealed, { ...binding, userId: "another-user" }),
      "tampered",
    );
    expectVaultError(
      () => unseal(master, sealed, { ...binding, apiKeyId: "key-other" }),
      "tampered",
    );
    expectVaultError(
      () => unseal(master, sealed, { userId: binding.apiKeyId, apiKeyId: binding.userId }),
      "tampered",
    );
  });

  it("fails closed when two records swap their wrapped data keys", () => {
    const mine = seal(master, secret, binding);
    const theirs = seal(master, Buffer.from("other"), { userId: "u2", apiKeyId: "k2" });
    expectVaultError(
      () => unseal(master, { ...mine, wrappedDataKey: theirs.wrappedDataKey }, binding),
      "tampered",
    );
  });

  it("refuses another master key and a forged key version", () => {
    const sealed = seal(master, secret, binding);
    expectVaultError(
      () => unseal({ key: randomBytes(32), version: 1 }, sealed, binding),
      "tampered",
    );
    expectVaultError(
      () => unseal(master, { ...sealed, keyVersion: 2 }, binding),
      "wrong_master_key",
    );
    expectVaultError(
      () => unseal({ ...master, version: 2 }, { ...sealed, keyVersion: 2 }, binding),
      "tampered",
    );
  });

  it("re-wraps under a new master key: the new one opens, the old one no longer does", () => {
    const sealed = seal(master, secret, binding);
    const next = { key: randomBytes(32), version: 2 };
    const rotated = rewrap(master, next, sealed, binding);
    expect(rotated.ciphertext).toBe(sealed.ciphertext);
    expect(rotated.keyVersion).toBe(2);
    expect(unseal(next, rotated, binding).equals(secret)).toBe(true);
    expectVaultError(() => unseal(master, rotated, binding), "wrong_master_key");
    expectVaultError(() => unseal({ key: master.key, version: 2 }, rotated, binding), "tampered");
  });

  it("parses only 32-byte master keys and recognises a key by its check value", () => {
    expectVaultError(
      () => parseMasterKey(randomBytes(16).toString("base64")),
      "invalid_master_key",
    );
    const key = parseMasterKey(master.key.toString("base64"));
    expect(matchesCheck(key, masterKeyCheck(master.key))).toBe(true);
    expect(matchesCheck(randomBytes(32), masterKeyCheck(master.key))).toBe(false);
    expect(masterKeyCheck(master.key)).not.toContain(master.key.toString("hex").slice(0, 16));
  });
});
