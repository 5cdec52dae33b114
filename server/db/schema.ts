/**
 * The database schema (Postgres dialect; PGlite in development, Postgres in
 * production). Migrations are generated from this file with drizzle-kit into
 * server/db/migrations and applied at start-up.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lower-cased and trimmed, so uniqueness is case-insensitive. */
    email: text("email").notNull(),
    /** `scrypt$N$r$p$salt$hash` (see server/auth/password.ts); null for OAuth-only accounts. */
    passwordHash: text("password_hash"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_unique").on(table.email)],
);

export const credentials = pgTable(
  "credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    /** "sim" | "demo" | "prod" */
    environment: text("environment").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    /** SHA-256 of the SPKI public key, hex: the only thing ever shown about the key. */
    fingerprint: text("fingerprint").notNull(),
    /** AES-256-GCM ciphertext of the PKCS#8 private key (base64). */
    ciphertext: text("ciphertext").notNull(),
    /** GCM nonce of the ciphertext (base64, 12 bytes). */
    iv: text("iv").notNull(),
    /** GCM tag of the ciphertext (base64, 16 bytes). */
    authTag: text("auth_tag").notNull(),
    /** The record's data key wrapped by the master key: nonce ‖ ciphertext ‖ tag (base64). */
    wrappedDataKey: text("wrapped_data_key").notNull(),
    /** Which master key generation wrapped the data key; bumped by `npm run vault:rotate`. */
    keyVersion: integer("key_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (table) => [
    index("credentials_user_idx").on(table.userId),
    uniqueIndex("credentials_user_env_key_unique").on(
      table.userId,
      table.environment,
      table.apiKeyId,
    ),
  ],
);

export const userSettings = pgTable("user_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** The credential trading routes use; cleared when that credential is deleted. */
  activeCredentialId: uuid("active_credential_id").references(() => credentials.id, {
    onDelete: "set null",
  }),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/**
 * One row per master-key generation of the vault. `check` is an HMAC of a
 * constant under that master key, so a wrong VAULT_KEY is recognised at once
 * instead of failing record by record; it reveals nothing about the key.
 */
export const vaultKeys = pgTable("vault_keys", {
  version: integer("version").primaryKey(),
  check: text("check").notNull(),
  /** True for the generation new records are sealed under; exactly one row. */
  current: boolean("current").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Markets a user watches (issue 6): one row per (user, market ticker), shown in the watchlist panel. */
export const watchlistItems = pgTable(
  "watchlist_items",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A Kalshi market ticker; not a foreign key, markets live on the exchange. */
    ticker: text("ticker").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.ticker] })],
);

/**
 * Signed-in sessions. The session cookie (an Auth.js JWT) carries the row's id
 * as `sid`; a session is live only while its row exists and is not revoked, so
 * signing out (or out everywhere, or changing the password) ends the cookie
 * even though the JWT itself would still verify.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Refreshed at most once a minute (a write per request would be a write per read). */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** The browser's User-Agent at sign-in, truncated; shown in Settings → Security. */
    userAgent: text("user_agent"),
    /** HMAC of the client address (never the address itself). */
    ipHash: text("ip_hash"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

/** The per-user security log shown in Settings → Security (sign-ins, key changes, revocations). */
export const securityEvents = pgTable(
  "security_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** See SECURITY_EVENT_KINDS in lib/schemas/security.ts. */
    kind: text("kind").notNull(),
    /** A short, non-secret detail (a key label, a failure kind); never a password or a key. */
    detail: text("detail"),
    ipHash: text("ip_hash"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("security_events_user_created_idx").on(table.userId, table.createdAt)],
);

/**
 * The equity curve's record: each subaccount's cash and marked positions,
 * taken together (one `taken_at` per pass) at a fixed interval and after
 * every fill, settlement and transfer the server notices
 * (server/portfolio/snapshotter.ts). `cash_flow_cents` is money moved in or
 * out of the subaccount since its previous snapshot (transfers), so a chart
 * can tell it apart from P&L. Kept per credential: another key is another account.
 */
export const portfolioSnapshots = pgTable(
  "portfolio_snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    credentialId: uuid("credential_id")
      .notNull()
      .references(() => credentials.id, { onDelete: "cascade" }),
    /** 0 is the primary account. */
    subaccount: integer("subaccount").notNull(),
    takenAt: timestamp("taken_at", { withTimezone: true }).notNull(),
    cashCents: bigint("cash_cents", { mode: "number" }).notNull(),
    /** Kalshi's `portfolio_value`: open positions at the market's mark, cents. */
    positionsCents: bigint("positions_cents", { mode: "number" }).notNull(),
    cashFlowCents: bigint("cash_flow_cents", { mode: "number" }).notNull().default(0),
    /** interval | fill | settlement | transfer | manual */
    reason: text("reason").notNull(),
  },
  (table) => [
    index("portfolio_snapshots_credential_time_idx").on(
      table.credentialId,
      table.subaccount,
      table.takenAt,
    ),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type SecurityEventRow = typeof securityEvents.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;
export type PortfolioSnapshotRow = typeof portfolioSnapshots.$inferSelect;
