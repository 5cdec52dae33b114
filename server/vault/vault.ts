/**
 * The API-key vault: envelope encryption with AES-256-GCM.
 *
 * Each record gets a fresh random 256-bit data key that encrypts the secret;
 * the data key itself is encrypted ("wrapped") under the master key from
 * VAULT_KEY. Both layers carry associated data binding the record to its
 * user id and API key id (and the wrap to its key version), so a ciphertext
 * moved to another row, another user or another version fails to open.
 * Every failure is a `VaultError`; nothing ever returns unauthenticated bytes.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type VaultErrorCode =
  /** Ciphertext, tag, nonce, wrapped key or binding was altered: fail closed. */
  | "tampered"
  /** The configured master key is not the one this record (or database) was sealed under. */
  | "wrong_master_key"
  /** A master key that is not 32 bytes. */
  | "invalid_master_key";

export class VaultError extends Error {
  override readonly name = "VaultError";
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What binds a sealed secret to its row. */
export interface VaultBinding {
  userId: string;
  apiKeyId: string;
}

/** The stored form of one secret; every field base64 except the version. */
export interface SealedSecret {
  ciphertext: string;
  iv: string;
  authTag: string;
  /** nonce ‖ encrypted data key ‖ tag */
  wrappedDataKey: string;
  keyVersion: number;
}

export interface MasterKey {
  key: Buffer;
  version: number;
}

/** Decodes a base64 master key, insisting on 32 bytes. */
export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new VaultError("invalid_master_key", "The vault master key must be 32 bytes in base64.");
  }
  return key;
}

/** A non-secret check value identifying a master key (HMAC of a constant). */
export function masterKeyCheck(key: Buffer): string {
  return createHmac("sha256", key)
    .update("kalshi-dashboard vault key check v1")
    .digest("hex")
    .slice(0, 32);
}

/** True when `key` produced `check` (constant-time). */
export function matchesCheck(key: Buffer, check: string): boolean {
  const expected = Buffer.from(masterKeyCheck(key));
  const actual = Buffer.from(check);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// JSON arrays keep the fields unambiguous whatever characters an id holds.
function dataAad(binding: VaultBinding): Buffer {
  return Buffer.from(JSON.stringify(["credential-secret/v1", binding.userId, binding.apiKeyId]));
}

function wrapAad(binding: VaultBinding, keyVersion: number): Buffer {
  return Buffer.from(
    JSON.stringify(["credential-data-key/v1", binding.userId, binding.apiKeyId, keyVersion]),
  );
}

function encrypt(
  key: Buffer,
  plaintext: Buffer,
  aad: Buffer,
): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function decrypt(
  key: Buffer,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad: Buffer,
): Buffer | null {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

function wrapDataKey(master: MasterKey, dataKey: Buffer, binding: VaultBinding): string {
  const { iv, ciphertext, tag } = encrypt(master.key, dataKey, wrapAad(binding, master.version));
  return Buffer.concat([iv, ciphertext, tag]).toString("base64");
}

function unwrapDataKey(master: MasterKey, sealed: SealedSecret, binding: VaultBinding): Buffer {
  if (sealed.keyVersion !== master.version) {
    throw new VaultError(
      "wrong_master_key",
      `This record is sealed under vault key version ${sealed.keyVersion}, not the configured version ${master.version}.`,
    );
  }
  const wrapped = Buffer.from(sealed.wrappedDataKey, "base64");
  const dataKey =
    wrapped.length === IV_BYTES + KEY_BYTES + TAG_BYTES
      ? decrypt(
          master.key,
          wrapped.subarray(0, IV_BYTES),
          wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
          wrapped.subarray(IV_BYTES + KEY_BYTES),
          wrapAad(binding, sealed.keyVersion),
        )
      : null;
  if (!dataKey) {
    throw new VaultError(
      "tampered",
      "The stored key could not be unwrapped: the record was altered, moved, or sealed under another master key.",
    );
  }
  return dataKey;
}

/** Encrypts `plaintext` under a fresh data key wrapped by `master`. */
export function seal(master: MasterKey, plaintext: Buffer, binding: VaultBinding): SealedSecret {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const { iv, ciphertext, tag } = encrypt(dataKey, plaintext, dataAad(binding));
    return {
      ciphertext: ciphertext.toString("base64"),
      iv: iv.toString("base64"),
      authTag: tag.toString("base64"),
      wrappedDataKey: wrapDataKey(master, dataKey, binding),
      keyVersion: master.version,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a sealed secret; throws `VaultError` on any mismatch, never returns garbage. */
export function unseal(master: MasterKey, sealed: SealedSecret, binding: VaultBinding): Buffer {
  const dataKey = unwrapDataKey(master, sealed, binding);
  try {
    const plaintext = decrypt(
      dataKey,
      Buffer.from(sealed.iv, "base64"),
      Buffer.from(sealed.ciphertext, "base64"),
      Buffer.from(sealed.authTag, "base64"),
      dataAad(binding),
    );
    if (!plaintext) {
      throw new VaultError(
        "tampered",
        "The stored key failed its integrity check and was not used.",
      );
    }
    return plaintext;
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps a record's data key under `next` without touching its ciphertext. */
export function rewrap(
  current: MasterKey,
  next: MasterKey,
  sealed: SealedSecret,
  binding: VaultBinding,
): SealedSecret {
  const dataKey = unwrapDataKey(current, sealed, binding);
  try {
    return {
      ...sealed,
      wrappedDataKey: wrapDataKey(next, dataKey, binding),
      keyVersion: next.version,
    };
  } finally {
    dataKey.fill(0);
  }
}
