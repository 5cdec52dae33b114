/**
 * Accounts: sign-up and password checks. Emails are stored normalised
 * (trimmed, lower-case) so uniqueness ignores case.
 */
import { eq } from "drizzle-orm";

import type { SignInInput, SignUpInput } from "@/lib/schemas/auth";
import type { Database } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { AppError } from "@/server/http/app-error";
import {
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from "@/server/auth/password";

export interface AccountUser {
  id: string;
  email: string;
}

/** Creates an account; 409 `email_taken` (field `email`) when the address is registered. */
export async function createUser(db: Database, input: SignUpInput): Promise<AccountUser> {
  const passwordHash = await hashPassword(input.password);
  const inserted = await db
    .insert(users)
    .values({ email: input.email.trim().toLowerCase(), passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email });
  const user = inserted[0];
  if (!user) {
    throw new AppError({
      code: "email_taken",
      message: "An account with this email already exists. Sign in instead.",
      status: 409,
      field: "email",
    });
  }
  return user;
}

/** The outcome of a password check, with why it failed (for logs and throttling; never shown). */
export type PasswordCheck =
  | { ok: true; user: AccountUser }
  | { ok: false; kind: "unknown_account" | "no_password" | "wrong_password"; userId?: string };

/**
 * Checks an email and password. Unknown emails and password-less (OAuth)
 * accounts cost the same scrypt work as a wrong password.
 */
export async function checkAccountPassword(
  db: Database,
  input: SignInInput,
): Promise<PasswordCheck> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, input.email.trim().toLowerCase()))
    .limit(1);
  if (!row)
    return verifyAgainstDummy(input.password).then(() => ({ ok: false, kind: "unknown_account" }));
  if (!row.passwordHash) {
    await verifyAgainstDummy(input.password);
    return { ok: false, kind: "no_password", userId: row.id };
  }
  if (!(await verifyPassword(input.password, row.passwordHash)))
    return { ok: false, kind: "wrong_password", userId: row.id };
  if (needsRehash(row.passwordHash)) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password) })
      .where(eq(users.id, row.id));
  }
  return { ok: true, user: { id: row.id, email: row.email } };
}

/** The user whose email and password match, or null. */
export async function authenticateUser(
  db: Database,
  input: SignInInput,
): Promise<AccountUser | null> {
  const result = await checkAccountPassword(db, input);
  return result.ok ? result.user : null;
}

/** Replaces the user's password hash. */
export async function setUserPassword(
  db: Database,
  userId: string,
  password: string,
): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, userId));
}

/** Re-checks the signed-in user's password (re-auth); false for OAuth-only accounts. */
export async function verifyUserPassword(
  db: Database,
  userId: string,
  password: string,
): Promise<boolean> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!row?.passwordHash) return verifyAgainstDummy(password);
  return verifyPassword(password, row.passwordHash);
}

/** Finds or creates the account for an OAuth sign-in; refuses to take over a password account. */
export async function findOrCreateOAuthUser(
  db: Database,
  email: string,
): Promise<AccountUser | null> {
  const normalised = email.trim().toLowerCase();
  await db
    .insert(users)
    .values({ email: normalised, passwordHash: null })
    .onConflictDoNothing({ target: users.email });
  const [row] = await db.select().from(users).where(eq(users.email, normalised)).limit(1);
  // An existing password account is not linked to a provider login by email alone.
  if (!row || row.passwordHash !== null) return null;
  return { id: row.id, email: row.email };
}

/** The user's email, or null when the account no longer exists. */
export async function findUserEmail(db: Database, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row?.email ?? null;
}
