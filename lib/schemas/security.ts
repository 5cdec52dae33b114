/**
 * Account security: active sessions, the security log and password change
 * (Settings → Security). Browser-safe.
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { newPasswordSchema, PASSWORD_MAX_LENGTH } from "@/lib/schemas/auth";

/** What the per-user security log records. */
export const SECURITY_EVENT_KINDS = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "session_revoked",
  "sessions_revoked",
  "password_changed",
  "password_change_failed",
  "key_added",
  "key_removed",
  "key_activated",
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** How each kind reads in the log. */
export const SECURITY_EVENT_LABELS: Record<SecurityEventKind, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Failed sign-in",
  sign_out: "Signed out",
  session_revoked: "Session revoked",
  sessions_revoked: "Signed out everywhere",
  password_changed: "Password changed",
  password_change_failed: "Password change refused",
  key_added: "API key added",
  key_removed: "API key removed",
  key_activated: "API key made active",
};

export const sessionViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const securityEventViewSchema = z.object({
  id: z.string(),
  kind: z.enum(SECURITY_EVENT_KINDS),
  detail: z.string().nullable(),
  createdAt: z.string(),
  userAgent: z.string().nullable(),
});
export type SecurityEventView = z.infer<typeof securityEventViewSchema>;

/** `POST /api/account/password` */
export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(PASSWORD_MAX_LENGTH, "That password is too long."),
    newPassword: newPasswordSchema,
  })
  .refine((value) => value.currentPassword !== value.newPassword, {
    message: "Choose a password different from the current one.",
    path: ["newPassword"],
  });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** Route params of `/api/account/sessions/[sessionId]`. */
export const sessionIdParamsSchema = z.object({
  sessionId: z.uuid({ error: "Not a session id." }),
});
