/**
 * Turns a pasted private key into a KeyObject, with errors a trader can act
 * on. Never echoes any part of the input back.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

import { AppError } from "@/server/http/app-error";

const FIELD = "privateKeyPem";

function invalid(code: string, message: string): AppError {
  return new AppError({ code, message, status: 422, field: FIELD });
}

/** Parses a PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) RSA key. */
export function parsePrivateKeyPem(input: string): KeyObject {
  const pem = input.trim().replace(/\r\n?/g, "\n");
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type:\s*4,ENCRYPTED/i.test(pem)) {
    throw invalid(
      "encrypted_private_key",
      "This private key is protected by a passphrase. Paste the unencrypted key Kalshi gave you (it starts with -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----), or remove the passphrase with `openssl pkey -in key.pem -out plain.pem`.",
    );
  }
  if (
    /-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem) ||
    /^ssh-(rsa|ed25519)\s/.test(pem) ||
    /-----BEGIN CERTIFICATE-----/.test(pem)
  ) {
    throw invalid(
      "public_key_not_private",
      "This is a public key (or certificate), not the private key. Paste the private key file Kalshi let you download when you created the API key.",
    );
  }
  if (
    !/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]+-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)
  ) {
    throw invalid(
      "malformed_private_key",
      "That does not look like a PEM private key. Paste the whole file, including the -----BEGIN … PRIVATE KEY----- and -----END … PRIVATE KEY----- lines.",
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MISSING_PASSPHRASE") {
      throw invalid(
        "encrypted_private_key",
        "This private key is protected by a passphrase. Paste the unencrypted key.",
      );
    }
    throw invalid(
      "malformed_private_key",
      "The private key could not be read: it looks damaged or incomplete. Paste the whole file again, without extra characters.",
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw invalid(
      "unsupported_key_type",
      `This is ${key.asymmetricKeyType ? `an ${key.asymmetricKeyType.toUpperCase()}` : "a non-RSA"} key; Kalshi API keys are RSA. Paste the RSA private key Kalshi generated for your API key.`,
    );
  }
  return key;
}

/** SHA-256 of the key's SPKI public key, hex: the only identifier of a key we ever show. */
export function publicKeyFingerprint(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("hex");
}

/** `ab12cd34…9f8e7d6c`: enough to recognise a key, short enough to read. */
export function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`;
}
