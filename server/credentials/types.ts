/**
 * The shape of a usable Kalshi credential, shared by the credential store
 * (which produces it) and the route wrapper and gateway (which consume it).
 * Its own module so neither side imports the other.
 */
import type { KeyObject } from "node:crypto";

export type KalshiEnvironment = "sim" | "demo" | "prod";

export interface ActiveCredential {
  id: string;
  label: string;
  environment: KalshiEnvironment;
  apiKeyId: string;
  /** Parsed once, cached per credential id + key version; never the PEM. */
  privateKey: KeyObject;
  restBaseUrl: string;
  wsUrl: string;
}
