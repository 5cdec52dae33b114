/**
 * Kalshi API credentials as the settings page and `/api/credentials/**` see
 * them. The private key only ever travels browser → server, once; nothing
 * here describes a response that could carry it back.
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { KALSHI_ENVIRONMENTS } from "@/lib/kalshi-environments";
import { hasControlCharacters, MultilineText } from "@/lib/schemas/common";

export { ENVIRONMENT_LABELS, KALSHI_ENVIRONMENTS } from "@/lib/kalshi-environments";
export const kalshiEnvironmentSchema = z.enum(KALSHI_ENVIRONMENTS, {
  error: "Choose an environment: sim, demo or prod.",
});
export type KalshiEnvironmentName = z.infer<typeof kalshiEnvironmentSchema>;

export const credentialLabelSchema = z
  .string({ error: "Give the key a label." })
  .trim()
  .min(1, "Give the key a label.")
  .max(60, "Keep the label under 60 characters.")
  .refine(
    (value) => !hasControlCharacters(value),
    "The label must not contain control characters.",
  );

/** `POST /api/credentials` */
export const addCredentialSchema = z.object({
  label: credentialLabelSchema,
  environment: kalshiEnvironmentSchema,
  apiKeyId: z
    .string({ error: "Enter the API key id." })
    .trim()
    .min(1, "Enter the API key id.")
    .max(100, "That key id is too long.")
    .regex(/^[A-Za-z0-9_-]+$/, "A Kalshi key id has only letters, digits and dashes."),
  privateKeyPem: z
    .string({ error: "Paste the private key." })
    .trim()
    .min(1, "Paste the private key.")
    .max(16_384, "That is too long for an RSA private key.")
    .pipe(MultilineText),
});
export type AddCredentialInput = z.infer<typeof addCredentialSchema>;

/** `POST /api/credentials/sim-account` */
export const createSimAccountSchema = z.object({
  label: credentialLabelSchema.optional(),
});

/** Route params of `/api/credentials/[id]/**`. */
export const credentialIdParamsSchema = z.object({
  id: z.uuid({ error: "Not a credential id." }),
});

/** What the server ever says about a stored credential. */
export const credentialViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  environment: kalshiEnvironmentSchema,
  apiKeyId: z.string(),
  /** SHA-256 of the public key, hex, shortened for display. */
  fingerprint: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type CredentialView = z.infer<typeof credentialViewSchema>;

export const credentialListSchema = z.object({
  credentials: z.array(credentialViewSchema),
  /** Environments this server can validate keys against ("sim" only when a simulator is configured). */
  environments: z.array(kalshiEnvironmentSchema),
});
export type CredentialList = z.infer<typeof credentialListSchema>;
