/**
 * Request schemas for accounts and sessions, shared by the sign-in / sign-up
 * forms and their server handlers.
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;
// scrypt copes with long inputs, but an upper bound keeps requests small.
export const PASSWORD_MAX_LENGTH = 256;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

const passwordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX_LENGTH, "That password is too long.");

export const signUpSchema = z.object({ email: emailSchema, password: newPasswordSchema });
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({ email: emailSchema, password: passwordSchema });
export type SignInInput = z.infer<typeof signInSchema>;

/** `POST /api/auth/reauth` */
export const reauthSchema = z.object({ password: passwordSchema });
export type ReauthInput = z.infer<typeof reauthSchema>;
