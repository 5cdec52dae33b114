/**
 * Keyed hashes for things we must recognise but not store or log in clear:
 * client addresses (sessions, audit log, throttling keys) and account emails
 * (server logs). HMAC with the auth secret, so a leaked table or log cannot be
 * reversed by hashing every IPv4 address.
 */
import { createHmac } from "node:crypto";

import { getAuthSecret } from "@/server/auth/session";

function keyed(kind: string, value: string): string {
  return createHmac("sha256", getAuthSecret())
    .update(`${kind}\0${value}`)
    .digest("hex")
    .slice(0, 24);
}

/** The hash stored for a client address. */
export function hashAddress(address: string): string {
  return keyed("address", address);
}

/** The hash logged for an account (its normalised email or its id). */
export function hashAccount(account: string): string {
  return keyed("account", account.trim().toLowerCase());
}
